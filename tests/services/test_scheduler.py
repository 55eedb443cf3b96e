"""The daily scheduler with a test clock: catch-up, crashes, lost channels, DST, two processes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.db.engine import Database
from bot.db.guilds import ensure_guild
from bot.db.models import DailyChallenge, Guild
from bot.scheduling import (
    MISFIRE_GRACE_SECONDS,
    ChannelUnavailable,
    DailyScheduler,
    RateLimiter,
    shard_owner,
)
from bot.services.daily import Claim, DailyService, RevealStats
from tests.services.conftest import GUILD, Services

OTHER = 501


class FakePoster:
    """Records posts; can be told to crash or to find the channel gone."""

    def __init__(self) -> None:
        self.posts: list[tuple[int, str, RevealStats | None]] = []
        self.fail_next: Exception | None = None
        self.next_id = 1000

    async def post(self, claim: Claim, reveal: RevealStats | None) -> int:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        await asyncio.sleep(0)
        self.posts.append(
            (claim.challenge.guild_id, claim.challenge.local_date.isoformat(), reveal)
        )
        self.next_id += 1
        return self.next_id


async def configure(
    services: Services, svc: DailyService, guild_id: int, at: time, zone: str
) -> None:
    async with services.database.unit_of_work() as session:
        await ensure_guild(session, guild_id=guild_id, name=f"g{guild_id}", now=services.clock())
        await svc.configure(
            session,
            guild_id,
            f"g{guild_id}",
            channel_id=guild_id * 10,
            at=at,
            timezone=zone,
            topics=[],
            difficulty=None,
        )


@pytest.fixture
def svc(services: Services) -> DailyService:
    services.clock.set(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    return services.daily


def make(
    services: Services, svc: DailyService, poster: FakePoster, db: Database | None = None
) -> DailyScheduler:
    return DailyScheduler(db or services.database, svc, poster, limiter=RateLimiter(1000))


async def test_start_arms_jobs_in_each_zone_and_catches_up(
    services: Services, svc: DailyService
) -> None:
    await configure(
        services, svc, GUILD, time(9, 0), "Europe/Berlin"
    )  # 09:00 Berlin = 07:00 UTC: missed
    await configure(services, svc, OTHER, time(9, 0), "America/New_York")  # 13:00 UTC: later today
    poster = FakePoster()
    scheduler = make(services, svc, poster)
    await scheduler.start()
    try:
        assert scheduler._catch_up is not None
        results = await scheduler._catch_up
        job = scheduler.scheduler.get_job(scheduler.job_id(GUILD))
        assert job is not None
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS
        assert job.coalesce is True
        assert str(job.trigger.timezone) == "Europe/Berlin"
        next_run = scheduler.next_run(OTHER)  # APScheduler runs on the real clock
        assert next_run is not None
        assert next_run.astimezone(ZoneInfo("America/New_York")).time() == time(9, 0)
    finally:
        await scheduler.shutdown()
    assert [r.outcome for r in results] == ["posted"]
    assert poster.posts == [(GUILD, "2026-07-01", None)]
    # A restart the same day finds the post done and sends nothing.
    again = make(services, svc, poster)
    await again.start()
    try:
        assert again._catch_up is not None
        assert [r.outcome for r in await again._catch_up] == ["skipped"]
    finally:
        await again.shutdown()
    assert len(poster.posts) == 1


async def test_crash_between_claim_and_send_neither_loses_nor_doubles(
    services: Services, svc: DailyService
) -> None:
    await configure(services, svc, GUILD, time(9, 0), "Europe/Berlin")
    poster = FakePoster()
    poster.fail_next = RuntimeError("process killed mid-send")
    scheduler = make(services, svc, poster)
    assert (await scheduler.run_guild(GUILD)).outcome == "failed"
    assert (await scheduler.run_guild(GUILD)).outcome == "skipped"  # claim lease still held
    services.clock.advance(minutes=3)
    assert (await scheduler.run_guild(GUILD)).outcome == "posted"
    assert (await scheduler.run_guild(GUILD)).outcome == "skipped"
    assert len(poster.posts) == 1


async def test_a_lost_channel_disables_the_daily_with_a_reason(
    services: Services, svc: DailyService
) -> None:
    await configure(services, svc, GUILD, time(9, 0), "Europe/Berlin")
    poster = FakePoster()
    poster.fail_next = ChannelUnavailable("the channel was deleted")
    scheduler = make(services, svc, poster)
    scheduler.scheduler.start()
    try:
        async with services.database.unit_of_work() as session:
            cfg = await svc.config(session, GUILD)
        assert cfg is not None
        scheduler.arm(cfg)
        assert (await scheduler.run_guild(GUILD)).outcome == "disabled"
        assert scheduler.scheduler.get_job(scheduler.job_id(GUILD)) is None
    finally:
        await scheduler.shutdown()
    async with services.database.unit_of_work() as session:
        guild = await session.get(Guild, GUILD)
    assert guild is not None
    assert (guild.daily_enabled, guild.daily_problem) == (False, "the channel was deleted")


@pytest.mark.parametrize(
    ("zone", "at", "first_fire"),
    [
        (
            "America/New_York",
            time(1, 30),
            datetime(2026, 10, 30, 5, 30, tzinfo=UTC),
        ),  # fall back: fires twice
        ("Europe/Berlin", time(2, 30), datetime(2026, 10, 23, 0, 30, tzinfo=UTC)),
        (
            "America/New_York",
            time(2, 30),
            datetime(2026, 3, 6, 7, 30, tzinfo=UTC),
        ),  # spring forward gap
        ("Australia/Sydney", time(2, 30), datetime(2026, 4, 2, 15, 30, tzinfo=UTC)),
    ],
)
async def test_dst_neither_skips_nor_doubles(
    services: Services, svc: DailyService, zone: str, at: time, first_fire: datetime
) -> None:
    services.clock.set(first_fire - timedelta(hours=1))
    await configure(services, svc, GUILD, at, zone)
    poster = FakePoster()
    scheduler = make(services, svc, poster)
    async with services.database.unit_of_work() as session:
        cfg = await svc.config(session, GUILD)
    assert cfg is not None
    scheduler.scheduler.start()
    try:
        scheduler.arm(cfg)
        trigger = scheduler.scheduler.get_job(scheduler.job_id(GUILD)).trigger  # type: ignore[union-attr]
        fire, fires = None, []
        now = services.clock()
        while len(fires) < 8:
            fire = trigger.get_next_fire_time(fire, now)
            fires.append(fire)
            now = fire + timedelta(minutes=1)
        for moment in fires:  # the scheduler would run the job at each fire time
            services.clock.set(moment.astimezone(UTC) + timedelta(seconds=5))
            await scheduler.run_guild(GUILD)
    finally:
        await scheduler.shutdown()
    days = [d for _, d, _ in poster.posts]
    assert len(days) == len(set(days)), "a local day was posted twice"
    first, last = datetime.fromisoformat(days[0]).date(), datetime.fromisoformat(days[-1]).date()
    assert len(days) == (last - first).days + 1, "a local day was skipped"
    # Each reveal refers to the previous day's challenge.
    assert poster.posts[0][2] is None
    assert all(reveal is not None for _, _, reveal in poster.posts[1:])


async def test_two_schedulers_on_one_database_post_once(
    services: Services, svc: DailyService
) -> None:
    await configure(services, svc, GUILD, time(9, 0), "Europe/Berlin")
    second_db = Database.from_url(
        services.database.engine.url.render_as_string(hide_password=False)
    )
    poster_a, poster_b = FakePoster(), FakePoster()
    try:
        a, b = make(services, svc, poster_a), make(services, svc, poster_b, second_db)
        results = await asyncio.gather(a.run_guild(GUILD), b.run_guild(GUILD), a.run_guild(GUILD))
    finally:
        await second_db.dispose()
    assert sorted(r.outcome for r in results) == ["posted", "skipped", "skipped"]
    assert len(poster_a.posts) + len(poster_b.posts) == 1
    async with services.database.unit_of_work() as session:
        rows = (await session.scalars(select(DailyChallenge))).all()
    assert [r.status for r in rows] == ["posted"]


def test_shard_ownership_follows_discords_formula() -> None:
    owns = shard_owner({1}, 2)
    assert owns(1 << 22)
    assert not owns(2 << 22)
    assert shard_owner({0}, 1)(123456789)


async def test_rate_limiter_spaces_calls() -> None:
    limiter = RateLimiter(50)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.gather(*(limiter.wait() for _ in range(11)))
    assert loop.time() - start >= 0.19


async def test_a_failed_post_is_retried_later_the_same_day(
    services: Services, svc: DailyService
) -> None:
    await configure(services, svc, GUILD, time(9, 0), "Europe/Berlin")
    poster = FakePoster()
    poster.fail_next = RuntimeError("Discord had a bad minute")
    scheduler = make(services, svc, poster)
    scheduler.scheduler.start()
    try:
        assert (await scheduler.run_guild(GUILD)).outcome == "failed"
        retry = scheduler.scheduler.get_job(f"daily-retry:{GUILD}")
        assert retry is not None
        services.clock.advance(minutes=3)
        assert (await scheduler.run_guild(GUILD)).outcome == "posted"
    finally:
        await scheduler.shutdown()
