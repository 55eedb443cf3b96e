"""Daily-challenge fan-out: N servers due at the same minute, posted through the fake Discord.

Two schedulers (as two processes would be) share one database and race for every server; the
claim rows must let exactly one post through per server, and the rate limit must keep REST
traffic at or below 25 requests per second in all, so N servers take about N / 25 seconds.

    python bench/daily_fanout.py [--guilds 2000]                 # both own every server
    python bench/daily_fanout.py --guilds 2000 --processes 2     # sharded: each owns its half

With --processes, each scheduler owns the servers of its own shard and has its own limiter at
its share of the budget (FANOUT_PER_SECOND × its shards / SHARD_COUNT), as separate processes
would; their combined rate must still stay under the budget.

Ends with a line such as:
guilds=2000 seconds=81.2 bound_seconds=80.0 ratio=1.02 duplicates=0 http_429=0
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import GradientBot
from bot.clock import Clock
from bot.container import build_container
from bot.db import migrate
from bot.db.engine import Database
from bot.scheduling import REQUESTS_PER_SECOND, DailyScheduler, RateLimiter, shard_owner
from bot.services.daily import DailyService
from bot.settings import Settings
from tests.conftest import TEST_BANK
from tests.e2e.fake_discord import FakeDiscord

POST_AT = clock_time(9, 0)
NOW = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)


async def fan_out(guilds: int, processes: int) -> None:
    """Set up N servers, then let two schedulers race to post them all."""
    fake = FakeDiscord()
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp, fake.patched():
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'fanout.db'}"
        await asyncio.to_thread(migrate.upgrade, url)
        settings = Settings(DISCORD_TOKEN=fake.token, DATABASE_URL=url, QUESTIONS_DIR=TEST_BANK)  # type: ignore[call-arg]
        container = await build_container(settings)
        bot = GradientBot(container)
        await bot.login(fake.token)  # REST only: posting needs no gateway connection
        channels = []
        service = DailyService(
            container.bank, container.learning, custom=container.custom, clock=Clock(lambda: NOW)
        )
        async with container.database.unit_of_work() as session:
            for i in range(guilds):
                guild = fake.add_guild(f"guild {i}")
                channel = fake.add_channel(guild, "daily")
                channels.append(channel)
                await service.configure(
                    session,
                    guild.id,
                    guild.name,
                    channel_id=channel.id,
                    at=POST_AT,
                    timezone="UTC",
                    topics=[],
                    difficulty=None,
                )
            configs = await service.enabled_configs(session)
        second_db = Database.from_url(url)
        poster = bot.container.scheduler.poster
        if processes > 1:
            # Sharded: each "process" owns its shard and spends its share of the budget.
            schedulers = [
                DailyScheduler(
                    db,
                    service,
                    poster,
                    owns=shard_owner({shard}, processes),
                    clock=lambda: NOW,
                    limiter=RateLimiter(REQUESTS_PER_SECOND / processes),
                )
                for shard, db in enumerate((container.database, second_db))
            ]
        else:
            limiter = RateLimiter(REQUESTS_PER_SECOND)  # one budget for all REST traffic
            schedulers = [
                DailyScheduler(db, service, poster, clock=lambda: NOW, limiter=limiter)
                for db in (container.database, second_db)
            ]
        before = len(fake.requests)
        started = time.perf_counter()
        results = await asyncio.gather(
            *(s.catch_up([c for c in configs if s.owns(c.guild_id)]) for s in schedulers)
        )
        elapsed = time.perf_counter() - started
        posts = Counter(m.channel_id for m in fake.messages.values() if not m.ephemeral)
        duplicates = sum(count - 1 for count in posts.values() if count > 1)
        missing = sum(1 for c in channels if posts[c.id] == 0)
        outcomes = Counter(r.outcome for batch in results for r in batch)
        requests = len(fake.requests) - before
        await second_db.dispose()
        await bot.close()
    await fake.stop()
    bound = guilds / REQUESTS_PER_SECOND
    print(f"{guilds} servers due at once, two schedulers racing on one database")
    print(f"outcomes: {dict(outcomes)}; REST requests: {requests}; missing posts: {missing}")
    print(f"rate: {requests / elapsed:.1f} requests/s (limit {REQUESTS_PER_SECOND:.0f}/s)")
    print(
        f"guilds={guilds} seconds={elapsed:.1f} bound_seconds={bound:.1f} "
        f"ratio={elapsed / bound:.2f} duplicates={duplicates} http_429={fake.rate_limited}"
    )


def main() -> None:
    """Parse arguments and run the fan-out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=2000)
    parser.add_argument("--processes", type=int, choices=[1, 2], default=1)
    args = parser.parse_args()
    asyncio.run(fan_out(args.guilds, args.processes))


if __name__ == "__main__":
    main()
