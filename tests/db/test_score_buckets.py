"""score_buckets stays a GROUP BY over scores, and ranks match a brute-force ranking.

Random answers, regrades, resets, forgotten users and new periods run concurrently (truly so on
PostgreSQL, where each worker holds its own connection), then every board is checked.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db import leaderboards, migrate, scores, users
from bot.db.engine import Database
from bot.db.models import Score, ScoreBucket
from bot.db.scores import Board, Tally
from tests.conftest import PG_URL, backend_of

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
GUILDS = (500, 501)
PLAYERS = list(range(1, 31))
WEEKS = (date(2026, 11, 23), date(2026, 11, 30))  # a period change: last week, this week
DAY: Board = (0, "day", date(2026, 12, 3))


def boards_of(guild: int, season: date, week: date) -> list[Board]:
    """Every board one answer in `guild` counts on, but the day."""
    return [
        (scope, period, start)
        for scope in (0, guild)
        for period, start in (
            ("week", week),
            ("month", date(2026, 12, 1)),
            ("all", date(1970, 1, 1)),
        )
    ] + [(guild, "season", season)]


async def apply(session: AsyncSession, op: tuple[str, int, list[Board], list[int]]) -> None:
    """One random write, through bot/db/scores.py or users.delete_user as the bot does it."""
    kind, number, boards, who = op
    if kind == "answer":
        # `number` spreads the points over a few values, so ties are common.
        tallies: dict[tuple[Board, int], Tally] = {}
        for user in who:
            await users.ensure_user(session, user_id=user, name=f"u{user}", now=NOW)
            points = (0, 10, 10, 20, 30)[(number + user) % 5]
            for board in boards:
                tallies[(board, user)] = Tally(points, 1, int(points > 0))
        day = {user: Tally(10, 1, 1) for user in who}
        await scores.add_tallies_returning(session, board=DAY, tallies=day)
        await scores.add_tallies(session, tallies=tallies)
    elif kind == "regrade":
        # The day board first, as learning.rate_recall does; points may drop to nothing.
        await scores.adjust_scores(
            session, boards=[DAY, *boards], user_id=who[0], points=number, correct=0
        )
    elif kind == "reset":
        await scores.delete_scores(session, scope=boards[-1][0], user_id=who[0] if number else None)
    else:
        await users.delete_user(session, user_id=who[0])


async def with_retry(database: Database, op: tuple[str, int, list[Board], list[int]]) -> None:
    """Run one op in its own unit of work, again if PostgreSQL chose it as a deadlock's victim."""
    for _ in range(20):
        try:
            async with database.unit_of_work() as session:
                await apply(session, op)
            return
        except Exception as error:
            if "deadlock" not in str(error).lower():
                raise
    raise AssertionError("a unit of work kept deadlocking")


async def worker(database: Database, seed: int, steps: int) -> None:
    """Random answers (60%), regrades (20%), resets (10%) and forgotten users (10%)."""
    rng = random.Random(seed)
    for _ in range(steps):
        roll = rng.random()
        kind = (
            "answer"
            if roll < 0.6
            else "regrade"
            if roll < 0.8
            else "reset"
            if roll < 0.9
            else "forget"
        )
        number = rng.choice((-30, -10, 10, 20)) if kind == "regrade" else rng.randrange(5)
        boards = boards_of(
            rng.choice(GUILDS),
            rng.choice((date(2026, 11, 1), date(2026, 12, 2))),  # a season, then a new one
            rng.choice(WEEKS),
        )
        await with_retry(database, (kind, number, boards, rng.sample(PLAYERS, rng.randint(1, 6))))


async def check_every_board(database: Database) -> int:
    """Buckets equal the GROUP BY, and every standing the brute-force rank; returns boards."""
    async with database.unit_of_work() as session:
        stored = {
            (b.scope, b.period, b.period_start, b.points): b.players
            for b in (await session.scalars(select(ScoreBucket))).all()
        }
        grouped = select(
            col(Score.scope),
            col(Score.period),
            col(Score.period_start),
            col(Score.points),
            func.count(),
        ).where(col(Score.points) > 0, col(Score.period) != "day")
        expected = {
            (s, p, d, pts): n
            for s, p, d, pts, n in (
                await session.execute(
                    grouped.group_by(Score.scope, Score.period, Score.period_start, Score.points)
                )
            ).all()
        }
        assert stored == expected
        assert all(n > 0 for n in stored.values()), "an empty bucket was left behind"
        on_board: dict[Board, dict[int, int]] = defaultdict(dict)
        for row in (await session.scalars(select(Score))).all():
            if row.period != "day":
                on_board[(row.scope, row.period, row.period_start)][row.user_id] = row.points
        for board, points in on_board.items():
            players = {u: p for u, p in points.items() if p > 0}
            assert await leaderboards.board_size(session, board=board) == len(players)
            for user in PLAYERS:
                mine = await leaderboards.standing(session, board=board, user_id=user)
                if user not in players:
                    assert mine is None
                    continue
                assert mine is not None
                rank, row, size = mine
                brute = 1 + sum(1 for p in players.values() if p > players[user])
                assert (rank, row.points, size) == (brute, players[user], len(players))
    return len(on_board)


async def test_buckets_stay_exact_under_concurrent_writes(database: Database) -> None:
    await asyncio.gather(*(worker(database, seed, 25) for seed in range(4)))
    assert await check_every_board(database) > 10
    await asyncio.gather(*(worker(database, seed, 25) for seed in range(4, 8)))
    await check_every_board(database)


async def test_equal_points_share_a_rank(database: Database) -> None:
    board: Board = (0, "all", date(1970, 1, 1))
    async with database.unit_of_work() as session:
        for user, points in zip(range(1, 6), (50, 40, 40, 30, 40), strict=True):
            await users.ensure_user(session, user_id=user, name=f"u{user}", now=NOW)
            await scores.add_tallies(session, tallies={(board, user): Tally(points, 1, 1)})
        ranks = {
            u: (await leaderboards.standing(session, board=board, user_id=u) or (0,))[0]
            for u in range(1, 6)
        }
    assert ranks == {1: 1, 2: 2, 3: 2, 5: 2, 4: 5}


async def test_forgetting_a_user_takes_them_off_every_board(database: Database) -> None:
    boards = boards_of(500, date(2026, 11, 1), WEEKS[1])
    async with database.unit_of_work() as session:
        for user in (1, 2):
            await users.ensure_user(session, user_id=user, name=f"u{user}", now=NOW)
        await scores.add_tallies(
            session,
            tallies={(b, u): Tally(10 * u, 1, 1) for b in boards for u in (1, 2)},
        )
    async with database.unit_of_work() as session:
        assert await users.delete_user(session, user_id=2)
    async with database.unit_of_work() as session:
        for board in boards:
            assert await leaderboards.board_size(session, board=board) == 1
            assert await leaderboards.standing(session, board=board, user_id=1) == (
                1,
                leaderboards.Row(1, "u1", 10, 1, 1),
                1,
            )
        left = await session.scalar(select(func.sum(ScoreBucket.players)))
    assert left == len(boards)


def _backfill_url(tmp_path: Path, name: str) -> str:
    if name == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'backfill.db'}"
    if PG_URL is None:
        pytest.skip("PostgreSQL not reachable")
    # A database of its own, named after the test database, away from the shared migrated one.
    return f"{PG_URL}_backfill"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_backfills_buckets_from_existing_scores(tmp_path: Path, backend: str) -> None:
    url = _backfill_url(tmp_path, backend)

    async def fresh() -> None:
        if backend_of(url) != "postgresql":
            return
        admin = Database.from_url(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        async with admin.engine.connect() as conn:
            await conn.execute(text(f"DROP DATABASE IF EXISTS {_name(url)}"))
            await conn.execute(text(f"CREATE DATABASE {_name(url)}"))
        await admin.dispose()

    async def seed_then_read() -> dict[tuple[int, str, int], int]:
        db = Database.from_url(url)
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, name, created_at, updated_at) VALUES "
                    "(1, 'a', :t, :t), (2, 'b', :t, :t), (3, 'c', :t, :t)"
                ),
                {"t": NOW},
            )
            for user, period, points in (
                (1, "all", 20),
                (2, "all", 20),
                (3, "all", 5),
                (3, "week", 0),
                (1, "day", 9),
            ):
                await conn.execute(
                    text("INSERT INTO scores VALUES (0, :p, :d, :u, :pts, 1, 1)"),
                    {"p": period, "d": date(2026, 11, 30), "u": user, "pts": points},
                )
        await asyncio.to_thread(migrate.upgrade, url)
        async with db.engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT scope, period, points, players FROM score_buckets"))
            ).all()
        await db.dispose()
        return {(s, p, pts): n for s, p, pts, n in rows}

    asyncio.run(fresh())
    migrate.upgrade(url, "0006")
    assert asyncio.run(seed_then_read()) == {(0, "all", 20): 2, (0, "all", 5): 1}
    if backend == "postgresql":
        asyncio.run(_drop(url))


async def _drop(url: str) -> None:
    admin = Database.from_url(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    async with admin.engine.connect() as conn:
        await conn.execute(text(f"DROP DATABASE IF EXISTS {_name(url)} WITH (FORCE)"))
    await admin.dispose()


def _name(url: str) -> str:
    return url.rsplit("/", 1)[1]
