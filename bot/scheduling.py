"""The daily-challenge scheduler: one cron job per server, rebuilt from the database on start.

Exactly once comes from the store, not the scheduler: every run claims the (server, local date)
row first, so a duplicate trigger (DST fall-back, a second process, a restart mid-post) finds the
day taken and does nothing. The scheduler only decides *when* to try.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot import metrics
from bot.db.engine import Database
from bot.domain import daily
from bot.services.daily import Claim, DailyConfig, DailyService, RevealStats

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = (
    6 * 3600
)  # a post delayed by a busy loop or a restart is still sent, hours late
REQUESTS_PER_SECOND = 25.0  # well under Discord's global 50/s, leaving room for interactions
# Thousands of servers can share a post minute; a few runs at a time keep database transactions
# short and uncontended (SQLite in particular), and the rate limiter is the real pace anyway.
CONCURRENT_RUNS = 8
# A failed run is retried once the claim lease it may still hold has run out.
RETRY_MARGIN = timedelta(seconds=5)


class ChannelUnavailable(Exception):
    """The channel is gone or the bot may not post there; the server's daily is switched off."""


class Poster(Protocol):
    """Sends a claimed challenge (with the previous day's reveal) and returns the message id."""

    async def post(self, claim: Claim, reveal: RevealStats | None) -> int: ...


class RateLimiter:
    """Spaces calls evenly at a fixed rate across all tasks."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Return when the next slot comes; slots are handed out in order."""
        async with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


@dataclass(frozen=True)
class RunResult:
    """What one run did, for logs, status and tests."""

    guild_id: int
    outcome: str  # posted | skipped | disabled | failed
    message_id: int | None = None


class DailyScheduler:
    """Arms one job per enabled server this process owns and runs the post routine."""

    def __init__(
        self,
        database: Database,
        service: DailyService,
        poster: Poster | None = None,
        owns: Callable[[int], bool] = lambda _guild_id: True,
        clock: Callable[[], datetime] | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        # The lease lives on the service, which enforces it; retries wait for it to run out.
        self.database = database
        self.service = service
        self.poster = poster
        self.owns = owns
        # The service's clock (the container's) unless told otherwise, so the scheduler's "now"
        # is the one the claims it makes are judged by.
        self.clock = clock if clock is not None else service.clock
        self.limiter = limiter or RateLimiter(REQUESTS_PER_SECOND)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._catch_up: asyncio.Task[list[RunResult]] | None = None
        self._slots = asyncio.Semaphore(CONCURRENT_RUNS)

    @property
    def _margin(self) -> timedelta:
        return min(RETRY_MARGIN, self.service.lease / 4)

    @staticmethod
    def job_id(guild_id: int) -> str:
        """The fixed id of a server's job."""
        return f"daily:{guild_id}"

    async def start(self) -> None:
        """Start the scheduler, arm every owned server's job, and catch up missed posts."""
        async with self.database.unit_of_work() as session:
            configs = await self.service.enabled_configs(session)
        self.scheduler.add_listener(_note_lag, EVENT_JOB_SUBMITTED)
        self.scheduler.start()
        owned = [c for c in configs if self.owns(c.guild_id)]
        for config in owned:
            self.arm(config)
        log.info("daily scheduler: %d servers armed", len(owned))
        # Catch up in the background so start-up (and the gateway connection) is not held back.
        self._catch_up = asyncio.create_task(self.catch_up(owned), name="daily-catch-up")

    def arm(self, config: DailyConfig) -> None:
        """(Re)schedule a server's job in its own timezone; replaces any previous job."""
        if not config.enabled or config.at is None or not self.owns(config.guild_id):
            self.disarm(config.guild_id)
            return
        trigger = CronTrigger(
            hour=config.at.hour, minute=config.at.minute, timezone=ZoneInfo(config.timezone)
        )
        self.scheduler.add_job(
            self.run_guild,
            trigger,
            args=[config.guild_id],
            id=self.job_id(config.guild_id),
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )

    def disarm(self, guild_id: int) -> None:
        """Remove a server's job if it has one."""
        if self.scheduler.get_job(self.job_id(guild_id)) is not None:
            self.scheduler.remove_job(self.job_id(guild_id))

    def next_run(self, guild_id: int) -> datetime | None:
        """When the server's job fires next."""
        job = self.scheduler.get_job(self.job_id(guild_id))
        return job.next_run_time if job is not None else None

    async def catch_up(self, configs: list[DailyConfig]) -> list[RunResult]:
        """Post today's challenge for servers whose post time passed while we were down."""
        now = self.clock()
        due = [
            c
            for c in configs
            if c.at is not None
            and daily.due_today(now, c.at, daily.parse_zone(c.timezone)) is not None
        ]
        return list(await asyncio.gather(*(self.run_guild(c.guild_id) for c in due)))

    async def run_guild(self, guild_id: int, force: bool = False) -> RunResult:
        """Claim, send, confirm: the whole post for one server; a failure is retried shortly."""
        result = await self._attempt(guild_id, force)
        metrics.DAILY_POSTS.labels(result.outcome).inc()
        return result

    async def _attempt(self, guild_id: int, force: bool) -> RunResult:
        try:
            async with self._slots:
                return await self._run(guild_id, force)
        except Exception:
            retry = datetime.now(UTC) + self.service.lease + self._margin
            log.exception("daily post for guild %s failed; retrying at %s", guild_id, retry)
            self._retry_at(guild_id, retry)
            return RunResult(guild_id, "failed")

    def _retry_at(self, guild_id: int, when: datetime) -> None:
        # By then the lease a failed or crashed run holds has expired, so the retry can retake it.
        if self.scheduler.running:
            self.scheduler.add_job(
                self.run_guild,
                "date",
                run_date=when,
                args=[guild_id],
                id=f"daily-retry:{guild_id}",
                replace_existing=True,
                misfire_grace_time=MISFIRE_GRACE_SECONDS,
            )

    async def _run(self, guild_id: int, force: bool) -> RunResult:
        async with self.database.unit_of_work() as session:
            attempt = await self.service.claim(session, guild_id, force=force)
            claim = attempt.claim
            reveal = None
            if claim is not None and claim.previous is not None and claim.previous.id is not None:
                reveal = await self.service.reveal_stats(session, claim.previous.id)
        if claim is None:
            if attempt.retry_in is not None:
                # Another run is posting; if it dies before confirming, take over promptly.
                self._retry_at(guild_id, datetime.now(UTC) + attempt.retry_in + self._margin)
            return RunResult(guild_id, "skipped")
        if self.poster is None:
            raise RuntimeError("no poster: the daily feature sets one when the bot starts")
        await self.limiter.wait()
        try:
            message_id = await self.poster.post(claim, reveal)
        except ChannelUnavailable as problem:
            async with self.database.unit_of_work() as session:
                await self.service.disable(session, guild_id, str(problem))
            self.disarm(guild_id)
            log.warning("daily challenge disabled for guild %s: %s", guild_id, problem)
            return RunResult(guild_id, "disabled")
        async with self.database.unit_of_work() as session:
            assert claim.challenge.id is not None
            previous = claim.previous.id if claim.previous is not None else None
            await self.service.mark_posted(session, claim.challenge.id, message_id, previous)
        return RunResult(guild_id, "posted", message_id)

    async def shutdown(self) -> None:
        """Stop firing jobs and wait for a catch-up in flight."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._catch_up is not None and not self._catch_up.done():
            self._catch_up.cancel()
            await asyncio.gather(self._catch_up, return_exceptions=True)


def _note_lag(event: JobSubmissionEvent) -> None:
    # How late the job started against its scheduled time: a busy loop shows up here first.
    times = event.scheduled_run_times
    if times:
        metrics.SCHEDULER_LAG.set((datetime.now(UTC) - max(times)).total_seconds())


def shard_owner(shard_ids: set[int], shard_count: int) -> Callable[[int], bool]:
    """Which servers this process posts for: those on its shards (Discord's guild→shard formula)."""

    def owns(guild_id: int) -> bool:
        return (guild_id >> 22) % max(shard_count, 1) in shard_ids

    return owns
