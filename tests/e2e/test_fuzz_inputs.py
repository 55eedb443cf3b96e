"""Fuzzed custom_ids, command options and uploads: refused or handled, nothing corrupted."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.db.models import Attempt
from tests.e2e.fake_discord import Message
from tests.e2e.fuzzing import (
    EVIL,
    FUZZ,
    answered,
    assert_nothing_pings,
    bug_lines,
    check_state,
    drawn,
    errors_in,
    new_member,
    record_payloads,
)
from tests.e2e.harness import World
from tests.e2e.test_quiz_flow import ids_starting

CUSTOM_ID_PREFIXES = [
    "gq:a:",
    "gq:m:",
    "gq:r:",
    "gq:n:",
    "gq:s:",
    "dc:a:",
    "dc:m:",
    "dc:s:",
    "rs:",
    "wk:",
    "fm:",
    "lb:s:",
    "lb:",
    "rp:",
    "rp:s:",
    "cq:add:",
    "",
]
ID_TAIL = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=90),
    st.lists(
        st.one_of(
            st.integers(-(10**25), 10**25).map(str),
            st.text("AZaz09-_", max_size=14),
            st.sampled_from(["", "week", "all", "next", "prev", "yes", "no", "sql", "0"]),
        ),
        max_size=5,
    ).map(":".join),
)
CUSTOM_IDS = st.tuples(st.sampled_from(CUSTOM_ID_PREFIXES), ID_TAIL).map(
    lambda parts: (parts[0] + parts[1])[:100] or "x"
)


def tampered(real: list[str]) -> st.SearchStrategy[str]:
    """A real custom_id with one character changed, a part dropped or a part appended."""

    def mutate(args: tuple[str, int, str]) -> str:
        custom_id, at, char = args
        at %= len(custom_id)
        return (custom_id[:at] + char + custom_id[at + 1 :])[:100]

    return st.one_of(
        st.tuples(st.sampled_from(real), st.integers(0, 99), st.characters(codec="ascii")).map(
            mutate
        ),
        st.sampled_from(real).map(lambda c: c.rsplit(":", 1)[0]),
        st.tuples(st.sampled_from(real), ID_TAIL).map(lambda p: (p[0] + ":" + p[1])[:100]),
    )


async def test_random_and_tampered_custom_ids_score_nothing(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Random, tampered, replayed and another user's custom_ids: a reply, nothing recorded."""
    questions: list[Message] = []
    for kind in ("mcq", "short", "open"):
        ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": kind})
        questions.append(await ix.wait_message())
    real = [c for q in questions for c in q.custom_ids()]
    ids = drawn(st.one_of(CUSTOM_IDS, tampered(real)), FUZZ)
    pick: Callable[[int], Message] = lambda i: questions[i % len(questions)]  # noqa: E731
    with caplog.at_level(logging.INFO):
        for i, custom_id in enumerate(ids):
            # bo clicks everything (so real ids are "another user's"), ada only forged ones
            for user in (world.bo, world.ada) if custom_id not in real else (world.bo,):
                payload = world.fake.component_payload(user, pick(i), custom_id, guild=world.guild)
                await answered(await world.fake.send_raw_interaction(payload))
            form = {"type": 4, "custom_id": "answer", "value": "A"}
            data = {"custom_id": custom_id, "components": [{"type": 1, "components": [form]}]}
            raw = world.fake._base_payload(5, world.bo, world.guild, world.channel, data, pick(i))
            await answered(await world.fake.send_raw_interaction(raw))
        for custom_id in ids_starting(questions[0], "gq:a:"):
            clicked = world.fake.component_payload(
                world.bo, questions[0], custom_id, guild=world.guild
            )
            assert "someone else" in str(
                await answered(await world.fake.send_raw_interaction(clicked))
            )
    assert not errors_in(caplog) and not bug_lines(caplog), errors_in(caplog)
    async with world.container.database.unit_of_work() as session:
        stored = list((await session.scalars(select(Attempt))).all())
    assert [a.user_id for a in stored if a.user_id != world.ada.id] == []
    # ada's tampered ids may only ever answer ada's own questions, once each
    assert len({a.question_id for a in stored}) == len(stored) <= len(questions)
    # a real click still works once, and its replays record nothing more
    first = ids_starting(questions[0], "gq:a:")[0]
    before = len(stored)
    for _ in range(3):
        await answered(await world.fake.click(world.ada, questions[0], first, guild=world.guild))
    async with world.container.database.unit_of_work() as session:
        after = len((await session.scalars(select(Attempt))).all())
    assert after - before <= 1
    await check_state(world)


SLASH_TEXT = st.one_of(
    st.sampled_from(EVIL[:9]), st.text(st.characters(blacklist_categories=["Cs"]), max_size=100)
)
DIFFICULTY = st.sampled_from(["easy", "medium", "hard"])
KIND = st.sampled_from(["mcq", "short", "open"])
COMPETENCY = st.sampled_from(
    ["conflict", "failure", "leadership", "ownership", "ambiguity", "prioritisation"]
)
OPTIONS: list[tuple[str, st.SearchStrategy[dict[str, Any]]]] = [
    (
        "quiz",
        st.fixed_dictionaries(
            {"topic": SLASH_TEXT}, optional={"difficulty": DIFFICULTY, "kind": KIND}
        ),
    ),
    ("behavioral", st.fixed_dictionaries({}, optional={"competency": COMPETENCY})),
    (
        "leaderboard",
        st.fixed_dictionaries(
            {},
            optional={
                "period": st.sampled_from(["week", "month", "all", "season"]),
                "scope": st.sampled_from(["server", "global"]),
            },
        ),
    ),
    ("review", st.just({})),
    ("weak", st.just({})),
    ("daily", st.just({})),
    ("stats", st.just({})),
    (
        "gradient questions add",
        st.fixed_dictionaries({"topic": SLASH_TEXT, "kind": KIND, "difficulty": DIFFICULTY}),
    ),
    ("mock", st.fixed_dictionaries({"length": st.integers(3, 10)})),
    ("gradient questions remove", st.fixed_dictionaries({"question_id": SLASH_TEXT})),
    (
        "gradient daily set",
        st.fixed_dictionaries(
            {"time": SLASH_TEXT, "timezone": SLASH_TEXT},
            optional={"topics": SLASH_TEXT},
        ),
    ),
]


async def test_every_text_option_of_every_command_is_handled(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Fuzzed free-text options and autocomplete input always get a polite, mention-free reply."""
    seen = record_payloads(world)
    cases = drawn(
        runs=settings(FUZZ, max_examples=60),
        strategy=st.sampled_from(range(len(OPTIONS))).flatmap(
            lambda i: st.tuples(st.just(i), OPTIONS[i][1])
        ),
    )
    with caplog.at_level(logging.INFO):
        for index, drawn_options in cases:
            name = OPTIONS[index][0]
            options = dict(drawn_options)
            if name == "gradient daily set":
                options["channel"] = world.channel
            user = world.admin if name.startswith("gradient") else new_member(world)
            response = await answered(await world.slash(user, name, options))
            assert response["type"] in (4, 5, 9), response
            focused = next(iter(o for o in options if o in ("topic", "timezone")), None)
            if focused is not None:
                choices = await world.fake.autocomplete(
                    user, name, options, focused=focused, guild=world.guild, channel=world.channel
                )
                assert len(choices) <= 25
    assert not errors_in(caplog) and not bug_lines(caplog), errors_in(caplog)
    assert_nothing_pings(seen)
    await check_state(world)


def bad_files() -> list[tuple[str, bytes]]:
    """Malformed, hostile and wrongly encoded uploads, each under the size limit."""
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        laughs.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    laughs.append("questions: [{kind: short, topic: sql, prompt: *j, answers: *j}]")
    header = "topic,kind,difficulty,prompt,choices,answers,explanation,tags\n"
    return [
        ("laughs.yaml", "\n".join(laughs).encode()),
        ("deep.yaml", b"questions: " + b"[" * 5000 + b"]" * 5000),
        ("flow.yaml", b"[" + b"a," * 120_000 + b"]"),
        ("cycle.yaml", b"questions:\n- &a {kind: short, topic: sql, prompt: *a}\n"),
        ("utf16.csv", (header + "sql,short,easy,Which?,,a,why,\n").encode("utf-16")),
        ("latin1.yaml", "topic: sql\nquestions:\n- prompt: caf\xe9\n".encode("latin-1")),
        ("cr.csv", (header + "sql,short,easy,\rWhich?\r,,a,why,\n").encode()),
        ("huge-cell.csv", (header + "sql,short,easy," + "x" * 200_000 + ",,a,why,\n").encode()),
        ("nul.csv", (header + "sql,short,easy,Wh\x00ich?,,a,why,\n").encode()),
        ("python.yaml", b"!!python/object/apply:os.system [echo pwned]\n"),
    ]


async def test_hostile_uploads_are_refused_without_stalling_the_bot(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Each hostile file gets "Import failed"; others are served meanwhile; nothing is stored."""
    lags: list[float] = []

    async def watch_the_loop() -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.05)
            lags.append(loop.time() - before - 0.05)

    watcher = asyncio.create_task(watch_the_loop())
    with caplog.at_level(logging.INFO):
        for filename, data in bad_files():
            ix = await world.slash(
                world.admin,
                "gradient questions import",
                {"file": (filename, data, "text/plain")},
            )
            reply = (await ix.wait_message(timeout=15.0)).text()
            assert "Import failed" in reply or "Nothing was imported" in reply, (filename, reply)
    watcher.cancel()
    # parsing runs off the event loop, so every other server keeps being served meanwhile
    assert lags and max(lags) < 1.0, f"the event loop stalled for {max(lags):.2f} s"
    assert not errors_in(caplog) and not bug_lines(caplog), errors_in(caplog)
    listed = await answered(await world.slash(world.admin, "gradient questions list"))
    assert "no questions of its own" in str(listed["data"])
