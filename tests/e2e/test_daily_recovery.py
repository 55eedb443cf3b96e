"""Exactly one daily post per server and day, through real crashes of real bot processes.

Each bot here is its own OS process (tests/e2e/bot_process.py) talking to the fake Discord in
the test process, and dies by SIGKILL at a chosen point of the post, as a crash would.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.container import build_container
from bot.db.models import DailyChallenge
from bot.settings import Settings
from tests.conftest import TEST_BANK
from tests.e2e.fake_discord import FakeChannel, FakeDiscord, FakeGuild
from tests.e2e.processes import BotProcess, start_bot

KILLED = -signal.SIGKILL


def midday_schedule() -> tuple[str, time]:
    """A timezone where it is about noon now, and a post time a minute ago there.

    Catch-up on start then posts today's challenge, and no test runs near a local midnight.
    """
    now = datetime.now(UTC)
    offset = 12 - now.hour
    zone = "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"
    local = now + timedelta(hours=offset) - timedelta(minutes=1)
    return zone, time(local.hour, local.minute)


@contextlib.asynccontextmanager
async def servers(
    count: int,
) -> AsyncIterator[tuple[FakeDiscord, list[tuple[FakeGuild, FakeChannel]]]]:
    """A running fake Discord with `count` servers, each with a channel for the daily post."""
    fake = FakeDiscord()
    await fake.start()
    try:
        made = []
        for n in range(count):
            guild = fake.add_guild(f"Server {n}")
            made.append((guild, fake.add_channel(guild, "daily")))
        yield fake, made
    finally:
        await fake.stop()


async def turn_on_daily(db_url: str, places: list[tuple[FakeGuild, FakeChannel]]) -> None:
    """Set every server's daily challenge to a minute ago, as an admin would have."""
    zone, at = midday_schedule()
    settings = Settings(DATABASE_URL=db_url, QUESTIONS_DIR=TEST_BANK)  # type: ignore[call-arg]
    container = await build_container(settings)
    try:
        async with container.database.unit_of_work() as session:
            for guild, channel in places:
                await container.daily.configure(
                    session,
                    guild.id,
                    guild.name,
                    channel_id=channel.id,
                    at=at,
                    timezone=zone,
                    topics=["transformers"],
                    difficulty="medium",
                )
    finally:
        await container.close()


async def stored(db_url: str) -> dict[int, tuple[str, int | None]]:
    """Each server's challenge today: its status and the message id stored for it."""
    settings = Settings(DATABASE_URL=db_url, QUESTIONS_DIR=TEST_BANK)  # type: ignore[call-arg]
    container = await build_container(settings)
    try:
        async with container.database.unit_of_work() as session:
            rows = (await session.scalars(select(DailyChallenge))).all()
    finally:
        await container.close()
    return {r.guild_id: (r.status, r.message_id) for r in rows}


def posts(fake: FakeDiscord, channel: FakeChannel) -> list[int]:
    """The ids of the daily posts in a channel."""
    return [m.id for m in fake.channel_messages(channel) if "Daily challenge" in m.text()]


async def eventually(check: Callable[[], object], limit: float = 30.0) -> None:
    """Until check() is true (it may be a coroutine function), or fail."""
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert loop.time() < end, "condition not met in time"
        await asyncio.sleep(0.2)


@pytest.mark.parametrize("recovery", ["nonce", "history"])
async def test_a_crash_after_sending_never_posts_twice(db_url: str, recovery: str) -> None:
    async with servers(1) as (fake, places):
        [(guild, channel)] = places
        await turn_on_daily(db_url, places)
        first = await start_bot(fake, db_url, die="after-post", DAILY_CLAIM_LEASE_SECONDS="1")
        assert await first.exited() == KILLED, first.log
        [sent] = posts(fake, channel)
        assert (await stored(db_url))[guild.id] == ("claimed", None), "died before storing the id"
        if recovery == "history":
            fake.nonce_ttl = 0  # Discord no longer remembers the nonce: the channel is read
        else:
            fake.history_visible = False  # no Read Message History: only the nonce guards
        second = await start_bot(fake, db_url, DAILY_CLAIM_LEASE_SECONDS="1")
        try:
            await eventually(lambda: _posted(db_url, guild.id))
            assert posts(fake, channel) == [sent], "exactly one post"
            assert (await stored(db_url))[guild.id] == ("posted", sent)
            if recovery == "nonce":
                assert fake.duplicate_nonces == 1, "Discord refused the second copy"
        finally:
            await second.stop()


async def _posted(db_url: str, guild_id: int) -> bool:
    return (await stored(db_url)).get(guild_id, ("", None))[0] == "posted"


async def test_a_database_error_after_sending_never_posts_twice(db_url: str) -> None:
    async with servers(1) as (fake, places):
        [(guild, channel)] = places
        await turn_on_daily(db_url, places)
        # The message id cannot be stored: the bot's database goes read-only right after the
        # post (a failing statement), then comes back; the retry must not post again.
        bot = await start_bot(
            fake,
            db_url,
            die="store-fails-once",
            DAILY_CLAIM_LEASE_SECONDS="1",
        )
        try:
            await bot.wait_for("retrying at")
            await eventually(lambda: _posted(db_url, guild.id))
            [sent] = posts(fake, channel)
            assert (await stored(db_url))[guild.id] == ("posted", sent)
        finally:
            await bot.stop()


async def test_a_claim_left_by_a_dead_process_is_taken_over_without_a_restart(
    db_url: str,
) -> None:
    async with servers(3) as (fake, places):
        await turn_on_daily(db_url, places)
        lease = {"DAILY_CLAIM_LEASE_SECONDS": "6"}
        # The first process claims every server's post, then dies before sending any.
        doomed = await start_bot(fake, db_url, die="before-post", **lease)
        assert await doomed.exited() == KILLED, doomed.log
        claims = await stored(db_url)
        assert {status for status, _ in claims.values()} == {"claimed"}
        # The second was already up: it found the claims held and must retake them once the
        # lease runs out, not wait for its own next start.
        survivor: BotProcess = await start_bot(fake, db_url, **lease)
        try:
            await survivor.wait_for("connected as")
            await eventually(lambda: _all_posted(db_url, [g.id for g, _ in places]), limit=30)
            for _guild, channel in places:
                assert len(posts(fake, channel)) == 1
        finally:
            await survivor.stop()


async def _all_posted(db_url: str, guild_ids: list[int]) -> bool:
    found = await stored(db_url)
    return all(found.get(g, ("", None))[0] == "posted" for g in guild_ids)


async def test_two_sharded_processes_post_every_server_once_through_a_restart(
    db_url: str,
) -> None:
    async with servers(200) as (fake, places):
        await turn_on_daily(db_url, places)
        shards = Counter((g.id >> 22) % 2 for g, _ in places)
        assert len(shards) == 2, f"the test servers must span both shards: {shards}"
        common = {"SHARD_COUNT": "2", "DAILY_CLAIM_LEASE_SECONDS": "2"}
        first = await start_bot(fake, db_url, SHARD_IDS="0", **common)
        second = await start_bot(fake, db_url, SHARD_IDS="1", **common)
        try:
            await first.wait_for("connected as")
            # Restart the first process in the middle of its fan-out.
            await eventually(lambda: sum(map(len, (posts(fake, c) for _, c in places))) >= 40)
            first.process.kill()
            await first.exited()
            first = await start_bot(fake, db_url, SHARD_IDS="0", **common)
            await eventually(lambda: _all_posted(db_url, [g.id for g, _ in places]), limit=90)
            counts = Counter(len(posts(fake, c)) for _, c in places)
            assert counts == {1: 200}, f"posts per server: {counts}"
        finally:
            await first.stop()
            await second.stop()
