"""Fuzzing the running bot: command options, modal text and custom_ids from hypothesis.

Each test drives one bot through the loopback fake. Hypothesis draws the inputs up front (a
sync @given collects them) and the async test replays them against the bot, asserting that
every interaction is answered, nothing unhandled is logged, nothing sent can ping anyone, and
the stored state stays consistent.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.db.models import Attempt, Score, ServedQuestion
from bot.interactions.boundary import APOLOGY
from tests.e2e.fake_discord import FakeUser, Message
from tests.e2e.fake_discord.models import walk_components
from tests.e2e.fake_discord.server import RestRequest
from tests.e2e.harness import World
from tests.e2e.test_quiz_flow import ids_starting

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    # The same examples on every run, so CI is repeatable (drop this locally to explore).
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EVIL = [
    "@everyone",
    "@here",
    "<@1>",
    "<@!1>",
    "<@&1>",
    "<#1>",
    "@everyone <@&1> **bold** __u__ ~~s~~ ||spoiler|| `code` ```block```",
    "> quote\n# Heading\n- [link](https://example.com)",
    "\x00\x01\x07\x1b[31m\u202e\u200b\ufeff",
    "😀" * 1000,
    "a" * 4000,
    "e\u0301" * 2000,
    " ",
]
TEXT = st.one_of(
    st.sampled_from(EVIL),
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=4000),
    st.lists(st.sampled_from(EVIL[:9]), min_size=1, max_size=5).map(" ".join),
)


def drawn(strategy: st.SearchStrategy[Any], runs: settings = FUZZ) -> list[Any]:
    """Examples hypothesis generates for a strategy, collected by a sync @given."""
    out: list[Any] = []

    @runs
    @given(strategy)
    def collect(value: Any) -> None:
        out.append(value)

    collect()
    return out


Payloads = list[tuple[str, str, Any]]


def record_payloads(world: World) -> Payloads:
    """Every JSON body the bot sends to the fake, as (method, path, payload)."""
    seen: Payloads = []
    server = world.fake.server
    original = server._read_body

    async def recording(request: web.Request, rest: RestRequest) -> None:
        await original(request, rest)
        seen.append((rest.method, rest.path, rest.payload))

    server._read_body = recording  # type: ignore[method-assign]
    return seen


def messages_in(payload: Any) -> list[dict[str, Any]]:
    """The message bodies in a request: a create/edit body, or an interaction callback's data."""
    if not isinstance(payload, dict):
        return []
    found = [payload] if "content" in payload or "embeds" in payload else []
    data = payload.get("data")
    if isinstance(data, dict) and ("content" in data or "embeds" in data):
        found.append(data)
    return found


def assert_nothing_pings(seen: Payloads) -> None:
    """Every message the bot sent or edited carries allowed_mentions that parse nothing."""
    bodies = [(m, p, body) for m, p, payload in seen for body in messages_in(payload)]
    assert bodies, "the bot sent no messages at all"
    for method, path, body in bodies:
        mentions = body.get("allowed_mentions")
        assert mentions is not None, f"{method} {path} sends no allowed_mentions: {body}"
        assert mentions.get("parse") == [], (method, path, mentions)
        assert not mentions.get("users") and not mentions.get("roles"), (method, path, mentions)


def fit(modal: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """Values cut to each input's max_length, as Discord's client would; blank becomes "-"."""
    limits = {
        c["custom_id"]: int(c.get("max_length") or 4000)
        for c in walk_components(modal["components"])
        if c.get("type") == 4
    }
    lows = {
        c["custom_id"]: int(c.get("min_length") or 0)
        for c in walk_components(modal["components"])
        if c.get("type") == 4
    }
    return {
        k: (v[: limits[k]] or "-").ljust(lows[k], ".") for k, v in values.items() if k in limits
    }


def errors_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log lines at ERROR or above (the error boundary logs every unhandled exception so)."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def bug_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Interaction log lines whose outcome was a bug."""
    return [r.getMessage() for r in caplog.records if "outcome=bug" in r.getMessage()]


_names = itertools.count()


def new_member(world: World) -> FakeUser:
    """A fresh member of the world's server (each has its own rate limit)."""
    user = world.fake.add_user(f"fuzzer{next(_names)}")
    world.fake.add_member(world.guild, user)
    return user


async def check_state(world: World) -> None:
    """Invariants: global all-time points equal the attempts' points; attempts are the server's."""
    async with world.container.database.unit_of_work() as session:
        attempts = list((await session.scalars(select(Attempt))).all())
        served = list((await session.scalars(select(ServedQuestion))).all())
        scores = list(
            (
                await session.scalars(
                    select(Score).where(Score.scope == 0, Score.period == "all")  # type: ignore[arg-type]
                )
            ).all()
        )
    earned: dict[int, int] = defaultdict(int)
    for attempt in attempts:
        earned[attempt.user_id] += attempt.points
        assert attempt.points >= 0
    board: dict[int, int] = defaultdict(int)
    for score in scores:
        board[score.user_id] += score.points
    assert {u: p for u, p in board.items() if p} == {u: p for u, p in earned.items() if p}
    owners = {a.id: a.user_id for a in attempts}
    for row in served:
        if row.attempt_id is not None and row.attempt_id in owners:
            assert owners[row.attempt_id] == row.user_id, "scored another user's question"
    keys = [(a.user_id, a.question_id, a.answered_at) for a in attempts]
    assert len(keys) == len(set(keys)), "an answer was recorded twice"


async def answered(ix: Any) -> dict[str, Any]:
    """The interaction's first response, which must not be the error boundary's apology."""
    response: dict[str, Any] = await ix.done(timeout=8.0)
    assert APOLOGY not in str(response.get("data")), response
    return response


async def test_modal_answers_of_any_text_are_graded_and_never_ping(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Any Unicode, 4,000 characters, controls, markdown and mentions in answer forms."""
    seen = record_payloads(world)
    texts = drawn(TEXT)
    kinds = itertools.cycle(["short", "open"])
    refused = 0
    with caplog.at_level(logging.INFO):
        for drawn_text in texts:
            user = new_member(world)
            quiz = await world.slash(user, "quiz", {"topic": "transformers", "kind": next(kinds)})
            question = await quiz.wait_message(timeout=8.0)
            opener = await world.fake.click(
                user, question, ids_starting(question, "gq:m:")[0], guild=world.guild
            )
            modal = await answered(opener)
            assert modal["type"] == 9
            text = fit(modal["data"], {"answer": drawn_text})["answer"]
            submit = await world.fake.submit_modal(
                user,
                modal["data"]["custom_id"],
                {"answer": text},
                guild=world.guild,
                channel=world.channel,
                message=question,
            )
            reply = await answered(submit)
            if reply["type"] == 4:  # refused (a blank answer): a private word, nothing recorded
                assert reply["data"]["flags"] & 64 and not text.strip(), reply
                refused += 1
                continue
            feedback = await submit.wait_followup(timeout=8.0)
            assert feedback.ephemeral, "feedback quoting the answer stays private"
            public = world.fake.messages[question.id]
            assert text.strip()[:200] not in public.text() or len(text.strip()) < 3
    assert not errors_in(caplog) and not bug_lines(caplog), errors_in(caplog)
    assert_nothing_pings(seen)
    await check_state(world)
    async with world.container.database.unit_of_work() as session:
        count = len((await session.scalars(select(Attempt))).all())
    assert count == len(texts) - refused, "each form submission records exactly one answer"


async def test_forms_that_echo_text_never_ping(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The add-question and report forms accept any text and echo it without mentions."""
    seen = record_payloads(world)
    inputs = drawn(st.tuples(TEXT, TEXT, TEXT, st.sampled_from(["mcq", "short", "open"])))
    with caplog.at_level(logging.INFO):
        quiz = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
        question = await quiz.wait_message()
        click = await world.fake.click(
            world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
        )
        feedback = await click.wait_followup()
        [report_id] = ids_starting(feedback, "rp:")
        for prompt, body, explanation, kind in inputs:
            opened = await answered(
                await world.slash(
                    world.admin,
                    "gradient questions add",
                    {"topic": "transformers", "kind": kind, "difficulty": "easy"},
                )
            )
            fields = {
                "mcq": {"choices": body},
                "short": {"answers": body},
                "open": {"model_answer": body, "key_points": body},
            }[kind]
            modal = opened["data"]
            submit = await world.fake.submit_modal(
                world.admin,
                modal["custom_id"],
                fit(modal, {"prompt": prompt, **fields, "explanation": explanation}),
                guild=world.guild,
                channel=world.channel,
            )
            reply = await answered(submit)
            assert reply["data"]["flags"] & 64, "form replies are private"
            report = await answered(
                await world.fake.click(world.ada, feedback, report_id, guild=world.guild)
            )
            sent = await world.fake.submit_modal(
                world.ada,
                report["data"]["custom_id"],
                fit(report["data"], {"report": body}),
                guild=world.guild,
                channel=world.channel,
            )
            await answered(sent)
        await answered(await world.slash(world.admin, "gradient questions reports"))
        await answered(await world.slash(world.admin, "gradient questions list"))
        export = await world.slash(world.admin, "gradient questions export")
        await answered(export)
    assert not errors_in(caplog) and not bug_lines(caplog), errors_in(caplog)
    assert_nothing_pings(seen)


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
