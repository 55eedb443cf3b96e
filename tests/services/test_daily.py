"""Daily challenges on the store: configure, claim exactly once, answer once, reveal."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.db.engine import Database, Session
from bot.domain.errors import NoQuestionAvailable
from bot.services.daily import (
    ChallengeClosed,
    DailyAnswered,
    DailyService,
    NoChallengeToday,
    NotThisServer,
)
from bot.services.daily_answers import DailyAnswerRequest, DailyAnswers
from tests.services.conftest import GUILD, Services
from tests.services.test_learning_engine import SSM_ANSWER

MORNING = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # 08:00 in Berlin


@pytest.fixture
async def daily_service(services: Services) -> DailyService:
    services.clock.set(MORNING)
    svc = services.daily
    async with services.database.unit_of_work() as session:
        await svc.configure(
            session,
            GUILD,
            "Study Group",
            channel_id=9,
            at=time(9, 0),
            timezone="Europe/Berlin",
            topics=["transformers"],
            difficulty=None,
        )
    return svc


async def answer(
    svc: DailyService,
    session: Session,
    challenge_id: int,
    user_id: int,
    name: str,
    text: str,
    *,
    guild_id: int | None,
) -> DailyAnswered:
    """A member's daily answer through the batch path, as a batch of one."""
    request = DailyAnswerRequest(challenge_id, user_id, name, text, guild_id=guild_id)
    return await DailyAnswers(svc).answer(session, request)


async def claim(services: Services, svc: DailyService, **kw: bool) -> int | None:
    async with services.database.unit_of_work() as session:
        got = (await svc.claim(session, GUILD, **kw)).claim
        return got.challenge.id if got else None


async def test_configure_validates_and_returns_next_post(services: Services) -> None:
    svc = services.daily
    services.clock.set(MORNING)
    async with services.database.unit_of_work() as session:
        nxt = await svc.configure(
            session,
            GUILD,
            "g",
            channel_id=9,
            at=time(9, 0),
            timezone="europe/berlin",
            topics=[],
            difficulty="medium",
        )
        cfg = await svc.config(session, GUILD)
    assert nxt == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert cfg is not None
    assert (cfg.enabled, cfg.timezone, cfg.at) == (True, "Europe/Berlin", time(9, 0))
    with pytest.raises(NoQuestionAvailable):
        async with services.database.unit_of_work() as session:
            await svc.configure(
                session,
                GUILD,
                "g",
                channel_id=9,
                at=time(9, 0),
                timezone="UTC",
                topics=["behavioral"],
                difficulty="easy",
            )


async def test_claim_waits_for_post_time_then_happens_once(
    services: Services, daily_service: DailyService
) -> None:
    assert await claim(services, daily_service) is None  # 08:00 local: not yet
    services.clock.set(MORNING + timedelta(hours=1, minutes=1))
    first = await claim(services, daily_service)
    assert first is not None
    assert await claim(services, daily_service) is None  # claimed, lease still held
    assert await claim(services, daily_service, force=True) is None


async def test_a_lost_claim_is_retaken_after_the_lease(
    services: Services, daily_service: DailyService
) -> None:
    services.clock.set(MORNING + timedelta(hours=2))
    first = await claim(services, daily_service)
    services.clock.advance(seconds=30)
    async with services.database.unit_of_work() as session:
        held = await daily_service.claim(session, GUILD)
    assert held.claim is None, "a live lease belongs to the run that holds it"
    assert held.retry_in == daily_service.lease - timedelta(seconds=30), "look again when it ends"
    services.clock.advance(minutes=5)  # the process died before sending
    async with services.database.unit_of_work() as session:
        again = (await daily_service.claim(session, GUILD)).claim
    assert again is not None and again.retaken, "the retaker must look for a post first"
    retaken = again.challenge.id
    assert retaken == first
    async with services.database.unit_of_work() as session:
        await daily_service.mark_posted(session, retaken or 0, 555, None)
    services.clock.advance(minutes=5)
    assert await claim(services, daily_service) is None  # posted: never again today


async def test_concurrent_claims_have_one_winner(
    services: Services, daily_service: DailyService
) -> None:
    services.clock.set(MORNING + timedelta(hours=2))
    other = Database.from_url(
        str(services.database.engine.url.render_as_string(hide_password=False))
    )
    try:

        async def claim_on(db: Database) -> int | None:
            async with db.unit_of_work() as session:
                got = (await daily_service.claim(session, GUILD)).claim
                return got.challenge.id if got else None

        results = await asyncio.gather(
            *(claim_on(db) for db in (services.database, other, services.database, other))
        )
    finally:
        await other.dispose()
    assert len([r for r in results if r is not None]) == 1


async def test_answers_once_and_reveal_counts(
    services: Services, daily_service: DailyService
) -> None:
    services.clock.set(MORNING + timedelta(hours=2))
    async with services.database.unit_of_work() as session:
        with pytest.raises(NoChallengeToday):
            await daily_service.current(session, GUILD)
        got = (await daily_service.claim(session, GUILD)).claim
        assert got is not None
        await daily_service.mark_posted(session, got.challenge.id, 777, None)
        question = got.question
    right = {"mcq": "A", "short": "keys", "open": SSM_ANSWER}[question.kind]
    async with services.database.unit_of_work() as session:
        current = await daily_service.current(session, GUILD)
        first = await answer(
            daily_service, session, current.id or 0, 1, "user1", right, guild_id=GUILD
        )
        out = first.outcome
        assert first.streak.current == 1
        wrong = "B" if question.kind == "mcq" else "nonsense"
        await answer(daily_service, session, current.id or 0, 2, "user2", wrong, guild_id=GUILD)
    assert out.breakdown.bonus > 0
    async with services.database.unit_of_work() as session:
        again = (
            await answer(daily_service, session, current.id or 0, 1, "user1", wrong, guild_id=GUILD)
        ).outcome
    assert again.replayed, "a second answer shows the first, recorded one"
    assert (again.grade.correct, again.points) == (True, out.points)
    for elsewhere in (GUILD + 1, None):
        with pytest.raises(NotThisServer):
            async with services.database.unit_of_work() as session:
                await answer(
                    daily_service, session, current.id or 0, 4, "user4", right, guild_id=elsewhere
                )
    async with services.database.unit_of_work() as session:
        stats = await daily_service.reveal_stats(session, current.id or 0)
    assert (stats.answered, stats.correct, stats.first_correct) == (2, 1, ("user1",))
    services.clock.set(current.closes_at + timedelta(seconds=1))
    with pytest.raises(ChallengeClosed):
        async with services.database.unit_of_work() as session:
            await answer(daily_service, session, current.id or 0, 3, "user3", right, guild_id=GUILD)
    async with services.database.unit_of_work() as session:
        tomorrow = (await daily_service.claim(session, GUILD)).claim
    assert tomorrow is not None
    assert tomorrow.previous is not None
    assert tomorrow.previous.id == current.id
    assert (
        tomorrow.challenge.question_id != current.question_id
        or len(daily_service.pool(["transformers"], None)) == 1
    )
