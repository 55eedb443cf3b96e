"""Discord misbehaving under load: a gateway reset mid-answers, bursts of 429s, a stuck download.

tests/e2e/test_resilience.py covers one drop with a clean close and one 429 on one follow-up,
and tests/e2e/test_custom_questions.py a download answered with 404; these go further.
"""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest

from tests.e2e.fake_discord import Interaction, Message
from tests.e2e.harness import World
from tests.e2e.test_answer_storm import feedback_of
from tests.e2e.test_custom_questions import CSV
from tests.e2e.test_quiz_flow import attempts, ids_starting


async def served(world: World, count: int) -> list[tuple[Message, str]]:
    """`count` MCQ questions, alternately ada's and bo's, each with the option to click."""
    out = []
    for n in range(count):
        user = world.ada if n % 2 == 0 else world.bo
        ix = await world.slash(user, "quiz", {"kind": "mcq"})
        message = await ix.wait_message()
        out.append((message, ids_starting(message, "gq:a:")[n % 2]))
    return out


async def click_all(world: World, questions_: list[tuple[Message, str]]) -> list[Interaction]:
    """Click each question's option as its owner, without waiting for answers."""
    clicks = []
    for n, (message, custom_id) in enumerate(questions_):
        user = world.ada if n % 2 == 0 else world.bo
        clicks.append(await world.fake.click(user, message, custom_id, guild=world.guild))
    return clicks


async def all_answered(world: World, clicks: list[Interaction], limit: float = 10.0) -> None:
    """Until every click has its private feedback, or fail naming those without."""
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not all(feedback_of(ix) is not None for ix in clicks):
        missing = [ix for ix in clicks if feedback_of(ix) is None]
        assert loop.time() < end, f"no feedback for {missing}"
        await asyncio.sleep(0.05)


def unhandled(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Logged bugs: what the error boundary calls unhandled, and tracebacks discord.py logs."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR
        and ("unhandled" in r.getMessage() or "Ignoring exception" in r.getMessage())
    ]


async def test_a_gateway_reset_mid_answers_loses_none(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A TCP reset with answers in flight, more sent while down: all answered once after RESUME."""
    questions_ = await served(world, 8)
    with caplog.at_level(logging.WARNING):
        before = await click_all(world, questions_[:4])
        await world.fake.disconnect(resume=True, code=None)  # no close frame: a dead socket
        during = await click_all(world, questions_[4:])  # queued by Discord, replayed on RESUME
        await world.fake.wait_resumed()
        await all_answered(world, before + during)
    assert world.fake.resumes >= 1
    assert world.fake.unanswered() == []
    assert len(await attempts(world)) == 8, "each answer stored once, replay or not"
    assert unhandled(caplog) == []


async def test_a_burst_of_429s_still_answers_everyone_clearly(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Callbacks and follow-ups rate limited in a burst: every user still gets an answer."""
    questions_ = await served(world, 6)
    fake = world.fake
    fake.rate_limit_next("POST", r"^/interactions/\d+/[^/]+/callback$", retry_after=0.2, count=3)
    fake.rate_limit_next("POST", r"^/webhooks/\d+/[^/]+$", retry_after=0.3, count=6)
    with caplog.at_level(logging.WARNING):
        clicks = await click_all(world, questions_)
        board = await world.slash(world.bo, "leaderboard")
        stats = await world.slash(world.ada, "stats")
        await all_answered(world, clicks, limit=15)
        for ix in (board, stats):
            assert (await ix.wait_message(timeout=10)).text(), f"{ix.label}: an empty reply"
    assert fake.rate_limited == 9, "every injected 429 was hit"
    assert fake.unanswered() == [], "a 429 on the callback still answers within 3 s"
    assert len(await attempts(world)) == 6
    assert unhandled(caplog) == []


async def test_a_stuck_or_failing_attachment_download_gets_a_clear_reply(
    world: World, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CDN that hangs or answers 503: the admin hears "upload it again", quickly; nothing kept."""
    # The running bot's module: each bot start loads its feature modules afresh.
    running = sys.modules["bot.features.admin.questions"]
    monkeypatch.setattr(running, "DOWNLOAD_TIMEOUT_SECONDS", 1.0)

    async def upload() -> str:
        ix = await world.slash(
            world.admin, "gradient questions import", {"file": ("qs.csv", CSV.encode(), "text/csv")}
        )
        return (await ix.wait_message(timeout=4)).text()

    with caplog.at_level(logging.WARNING):
        world.fake.download_delay = 3.0
        stuck = await upload()
        world.fake.download_delay = 0.0
        world.fake.download_status = 503
        failed = await upload()
        world.fake.download_status = None
        worked = await upload()
    for reply in (stuck, failed):
        assert "couldn't download qs.csv" in reply and "upload it again" in reply, reply
    assert "Imported 2 question(s)" in worked, worked
    assert unhandled(caplog) == []
