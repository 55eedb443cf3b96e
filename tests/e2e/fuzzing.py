"""Shared parts of the fuzz tests (test_fuzz_text.py, test_fuzz_inputs.py).

Each test drives one bot through the loopback fake. Hypothesis draws the inputs up front (a
sync @given collects them) and the async test replays them against the bot, asserting that
every interaction is answered, nothing unhandled is logged, nothing sent can ping anyone, and
the stored state stays consistent.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.db.models import Attempt, Score, ServedQuestion
from bot.interactions.boundary import APOLOGY
from tests.e2e.fake_discord import FakeUser
from tests.e2e.fake_discord.models import walk_components
from tests.e2e.fake_discord.server import RestRequest
from tests.e2e.harness import World

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
