"""Leaderboard reads for 1,000,000 users over 1,000 servers, against the best raw SQL.

    python bench/leaderboard.py [--users 1000000] [--guilds 1000] [--runs 200]
    BENCH_DATABASE_URL=postgresql+asyncpg://… python bench/leaderboard.py --backend postgresql

Seeds users and the maintained `scores` rows directly with set-based SQL (a recursive CTE on
SQLite, generate_series on PostgreSQL): every user belongs to one server and has all-time
points there and globally; one in three also scored this month, one in ten this week, one in
five in the server's season. Then, for a server board and the global board of each period,
times what /leaderboard does (LeaderboardService.leaderboard in a reading unit of work: the top
10, the page count and a random caller's rank) against the best raw SQL on the same schema for
the same answer, through the bare driver (sqlite3, or asyncpg): one statement with the top 10 by
the scores index, the caller's row, and one pass over the board's `score_buckets` for the
players ahead (equal points share a rank) and the board's size. The last line is the summary,
for the worst board: p50_ms=… p99_ms=… raw_p99_ms=… ratio=…
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bot.container import build_container
from bot.db import migrate
from bot.db.engine import make_engine
from bot.domain.periods import Period, period_start
from bot.settings import Settings

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
SEASON = datetime(2026, 11, 1, tzinfo=UTC)
GUILD = 7  # the server whose boards are read
WARMUP = 5  # untimed reads per board and path
# Who is on which board: all-time everyone, then every k-th user.
EVERY = {Period.ALL: 1, Period.MONTH: 3, Period.WEEK: 10, Period.SEASON: 5}
BOARDS = [
    ("server", GUILD, Period.WEEK),
    ("server", GUILD, Period.MONTH),
    ("server", GUILD, Period.ALL),
    ("server", GUILD, Period.SEASON),
    ("global", None, Period.WEEK),
    ("global", None, Period.MONTH),
    ("global", None, Period.ALL),
]


def _points(i: str) -> str:
    # A deterministic, skewed spread with many ties: a few thousand distinct values.
    return f"(({i} * 2654435761) % 4294967296) % 397 * (({i} * 40503) % 13 + 1) * 10"


def seed_statements(dialect: str, users: int, guilds: int) -> list[str]:
    """Set-based INSERTs for the users, the guilds and every score row."""
    if dialect == "sqlite":
        series = (
            f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {users}) "
        )
        source, now = "s", f"'{NOW:%Y-%m-%d %H:%M:%S.000000}'"
        gseries = (
            f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {guilds}) "
        )
    else:
        series, source, now = "", f"generate_series(1::bigint, {users}) AS s(i)", "now()"
        gseries = ""
    statements = [
        f"{series}INSERT INTO users (id, name, created_at, updated_at) "
        f"SELECT i, 'user' || i, {now}, {now} FROM {source}",
    ]
    gsource = "s" if dialect == "sqlite" else f"generate_series(1, {guilds}) AS s(i)"
    season = f"'{SEASON:%Y-%m-%d %H:%M:%S.000000}'" if dialect == "sqlite" else f"'{SEASON}'"
    statements.append(
        f"{gseries}INSERT INTO guilds (id, name, timezone, daily_enabled, daily_topics, "
        f"daily_custom, season_started_at, created_at, updated_at) "
        f"SELECT i, 'server' || i, 'UTC', false, '[]', false, {season}, {now}, {now} "
        f"FROM {gsource}".replace("false", "0" if dialect == "sqlite" else "false")
    )
    for period, every in EVERY.items():
        start = period_start(period, NOW, SEASON.date())
        scopes = ["(i - 1) % " + str(guilds) + " + 1"]
        if period is not Period.SEASON:
            scopes.append("0")
        for scope in scopes:
            statements.append(
                f"{series}INSERT INTO scores (scope, period, period_start, user_id, points, "
                f"answers, correct) SELECT {scope}, '{period.value}', '{start}', i, "
                f"{_points('i')} / {every} + 10, {_points('i')} / 100 + 1, "
                f"{_points('i')} / 200 + (i % 3) FROM {source} WHERE (i / {guilds}) % {every} = 0"
            )
    # The points buckets, as migration 0007 backfills them and bot/db/scores.py keeps them.
    statements.append(
        "INSERT INTO score_buckets (scope, period, period_start, points, players) "
        "SELECT scope, period, period_start, points, count(*) FROM scores "
        "WHERE points > 0 AND period <> 'day' GROUP BY scope, period, period_start, points"
    )
    return statements


def on_board(scope: int, period: Period, users: int, guilds: int) -> list[int]:
    """The users with a row on a board."""
    every = EVERY[period]
    first, step = (1, 1) if scope == 0 else (scope, guilds)
    return [u for u in range(first, users + 1, step) if (u // guilds) % every == 0]


BOARD = "scope = {0} AND period = {1} AND period_start = {2}"
# One round trip: the sums over the board's points buckets (its size, and the players with
# more points than the caller: equal points share a rank), the caller's line, and the top 10,
# cut by the scores index before users are joined. The first column tells the parts apart.
READ = (
    f"SELECT 0, NULL, NULL, coalesce(sum(players), 0), coalesce(sum(CASE WHEN points > "
    f"(SELECT points FROM scores WHERE {BOARD} AND user_id = {{3}}) THEN players END), 0), 0 "
    f"FROM score_buckets WHERE {BOARD} "
    f"UNION ALL SELECT 1, s.user_id, u.name, s.points, s.answers, s.correct FROM scores s "
    f"JOIN users u ON u.id = s.user_id WHERE s.{BOARD.replace(' AND ', ' AND s.')} "
    f"AND s.user_id = {{3}} AND s.points > 0 "
    f"UNION ALL SELECT 2, t.user_id, u.name, t.points, t.answers, t.correct FROM "
    f"(SELECT user_id, points, answers, correct FROM scores WHERE {BOARD} AND points > 0 "
    f"ORDER BY points DESC, correct DESC, user_id LIMIT 10) t JOIN users u ON u.id = t.user_id"
)


def answer(rows: list[Any]) -> tuple[Any, ...]:
    """The top 10's ids, the board's size and the caller's rank, from READ's rows."""
    top = sorted((r for r in rows if r[0] == 2), key=lambda r: (-r[3], -r[5], r[1]))
    [sums] = [r for r in rows if r[0] == 0]
    return tuple(r[1] for r in top), sums[3], sums[4] + 1


def raw_sqlite(path: str) -> Callable[[tuple[int, str, date], int], Awaitable[tuple[Any, ...]]]:
    """The same answer from sqlite3 alone (one connection, a read transaction per call)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    p = ("?1", "?2", "?3")

    def read(board: tuple[int, str, date], caller: int) -> tuple[Any, ...]:
        scope, period, start = board
        key = (scope, period, start.isoformat())
        conn.execute("BEGIN")
        rows = conn.execute(READ.format(*p, "?4"), (*key, caller)).fetchall()
        conn.execute("COMMIT")
        return answer(rows)

    async def call(board: tuple[int, str, date], caller: int) -> tuple[Any, ...]:
        return read(board, caller)

    return call


async def raw_postgres(
    url: str,
) -> tuple[Callable[[tuple[int, str, date], int], Awaitable[tuple[Any, ...]]], Any]:
    """The same answer from asyncpg alone, with prepared statements."""
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    p = ("$1", "$2", "$3")
    read = await conn.prepare(READ.format(*p, "$4"))

    async def call(board: tuple[int, str, date], caller: int) -> tuple[Any, ...]:
        async with conn.transaction(readonly=True):
            rows = await read.fetch(*board, caller)
        return answer(list(rows))

    return call, conn


def percentiles(timings: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    timings = sorted(timings)
    return statistics.median(timings), timings[int(0.99 * (len(timings) - 1))]


async def main() -> int:
    """Seed, then time the service and the raw SQL on every board."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--guilds", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=200, help="reads per board and path")
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.db")
        if args.backend == "sqlite":
            url = f"sqlite+aiosqlite:///{path}"
            await asyncio.to_thread(migrate.upgrade, url)
        else:
            url = PG_URL
            engine = make_engine(url)
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await engine.dispose()
            await asyncio.to_thread(migrate.upgrade, url)
        container = await build_container(
            Settings(DATABASE_URL=url),
            clock=lambda: NOW,
        )
        started = time.perf_counter()
        async with container.database.engine.begin() as conn:
            for statement in seed_statements(container.database.dialect, args.users, args.guilds):
                await conn.execute(text(statement))
        async with container.database.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            # What autovacuum / a periodic ANALYZE leave behind in production.
            await conn.execute(
                text("VACUUM ANALYZE" if args.backend == "postgresql" else "ANALYZE")
            )
        async with container.database.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT count(*) FROM scores"))).scalar_one()
        seeded = time.perf_counter() - started
        print(f"seeded {args.users} users, {rows} score rows in {seeded:.1f} s")
        if args.backend == "sqlite":
            raw, raw_conn = raw_sqlite(path), None
        else:
            raw, raw_conn = await raw_postgres(url)
        results = []
        service = container.leaderboards
        for label, guild_id, period in BOARDS:
            scope = 0 if guild_id is None else guild_id
            board = (scope, period.value, period_start(period, NOW, SEASON.date()))
            members = on_board(scope, period, args.users, args.guilds)
            callers = [rng.choice(members) for _ in range(args.runs)]
            # Untimed warm-up on both paths: the first reads of a board load its pages from the
            # OS cache and, for the service, compile the statement for this board's parameters.
            for caller in callers[:WARMUP]:
                await raw(board, caller)
                async with container.database.reading() as session:
                    await service.leaderboard(
                        session, guild_id=guild_id, period=period, caller_id=caller
                    )
            timings: dict[str, list[float]] = {"service": [], "raw": []}
            for i, caller in enumerate(callers):
                for name in ("service", "raw") if i % 2 else ("raw", "service"):
                    began = time.perf_counter()
                    if name == "raw":
                        top, total, rank = await raw(board, caller)
                    else:
                        async with container.database.reading() as session:
                            page = await service.leaderboard(
                                session, guild_id=guild_id, period=period, caller_id=caller
                            )
                    timings[name].append((time.perf_counter() - began) * 1000)
                assert page.me is not None
                assert page.me.rank == rank, (page.me, rank)
                assert tuple(e.user_id for e in page.entries) == top
                assert page.pages == -(-total // 10)
            s50, s99 = percentiles(timings["service"])
            r50, r99 = percentiles(timings["raw"])
            results.append((f"{label} {period.value}", len(members), s50, s99, r50, r99))
        if raw_conn is not None:
            await raw_conn.close()
        await container.close()
    print(f"{args.runs} reads per board: top 10, page count and a random caller's rank")
    print(
        f"{'board':<16}{'players':>9}{'p50 ms':>9}{'p99 ms':>9}{'raw p50':>9}{'raw p99':>9}"
        f"{'ratio':>7}"
    )
    for name, players, s50, s99, r50, r99 in results:
        print(
            f"{name:<16}{players:>9}{s50:>9.2f}{s99:>9.2f}{r50:>9.2f}{r99:>9.2f}{s99 / r99:>7.2f}"
        )
    worst = max(results, key=lambda r: r[3])
    print(
        f"backend={args.backend} users={args.users} board={worst[0].replace(' ', '_')} "
        f"p50_ms={worst[2]:.2f} p99_ms={worst[3]:.2f} raw_p99_ms={worst[5]:.2f} "
        f"ratio={worst[3] / worst[5]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
