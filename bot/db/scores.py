"""The scores table: points per scope (a guild, or 0 for global), period and user.

Every write here also keeps `score_buckets` exact (players per points value on each ranked
board), in the same unit of work: it learns each row's points before and after from RETURNING
and moves the player between buckets. Nothing else may write scores, or the buckets drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.bulk import upsert_rows
from bot.db.models import Score, ScoreBucket
from bot.domain.periods import Period

# One leaderboard row's key: (scope, period, period start).
Board = tuple[int, str, date]
# A player's move on one board: (board, points before, points after).
Move = tuple[Board, int, int]
_BUCKET_KEY = ("scope", "period", "period_start", "points")


def _day(value: Any) -> date:
    # RETURNING through text() gives SQLite's stored text, asyncpg a date.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def move_players(session: AsyncSession, moves: Iterable[Move]) -> None:
    """Move players between their boards' points buckets, netted into one atomic upsert.

    Only players with points are on a board, and the day board (the daily cap) is unranked,
    so neither has buckets. Increments are `players + excluded.players`, so concurrent writers
    stay exact, and sorted by key (upsert_rows), so they lock buckets in one order; a bucket
    left empty is deleted, keeping a rank's range sum over points somebody holds.
    """
    net: dict[tuple[int, str, date, int], int] = defaultdict(int)
    for (scope, period, start), before, after in moves:
        if before == after or period == Period.DAY:
            continue
        if before > 0:
            net[(scope, period, start, before)] -= 1
        if after > 0:
            net[(scope, period, start, after)] += 1
    rows = [
        {"scope": k[0], "period": k[1], "period_start": k[2], "points": k[3], "players": n}
        for k, n in net.items()
        if n
    ]
    touched = await upsert_rows(
        session,
        ScoreBucket.__table__,  # type: ignore[attr-defined]
        rows,
        conflict=_BUCKET_KEY,
        updates={"players": "score_buckets.players + excluded.players"},
        returning=(*_BUCKET_KEY, "players"),
    )
    empty = [(s, p, _day(d), pts) for s, p, d, pts, n in touched if n == 0]
    if empty:
        key = tuple_(*(ScoreBucket.__table__.c[name] for name in _BUCKET_KEY))  # type: ignore[attr-defined]
        await session.execute(
            delete(ScoreBucket).where(key.in_(empty), col(ScoreBucket.players) == 0)
        )


async def adjust_scores(
    session: AsyncSession, *, boards: Sequence[Board], user_id: int, points: int, correct: int
) -> None:
    """Add (or take back) points and correct answers on existing score rows, atomically."""
    table = Score.__table__.c  # type: ignore[attr-defined]
    moves: list[Move] = []
    for scope, period, start in boards:
        result = await session.execute(
            Score.__table__.update()  # type: ignore[attr-defined]
            .where(
                table.scope == scope,
                table.period == period,
                table.period_start == start,
                table.user_id == user_id,
            )
            .values(points=table.points + points, correct=table.correct + correct)
            .returning(table.points)
        )
        # The row's new points, as the row lock saw them: the old ones are `points` fewer.
        moves.extend(((scope, period, start), new - points, new) for new in result.scalars())
    await move_players(session, moves)


async def take_back_points(
    session: AsyncSession, *, board: Board, user_id: int, points: int
) -> None:
    """Remove points granted over the cap (same transaction, same row)."""
    await adjust_scores(session, boards=[board], user_id=user_id, points=-points, correct=0)


async def points_of(session: AsyncSession, *, board: Board, user_id: int) -> int:
    """A user's points on one board (0 when they have no row there)."""
    scope, period, start = board
    value = await session.scalar(
        select(Score.points).where(
            Score.scope == scope,
            Score.period == period,
            Score.period_start == start,
            Score.user_id == user_id,
        )
    )
    return int(value or 0)


async def delete_scores(session: AsyncSession, *, scope: int, user_id: int | None = None) -> int:
    """Delete a scope's score rows (one user's, or everyone's); returns rows removed."""
    stmt = delete(Score).where(col(Score.scope) == scope)
    if user_id is not None:
        stmt = stmt.where(col(Score.user_id) == user_id)
    return await _delete_moving(session, stmt)


async def delete_user_scores(session: AsyncSession, *, user_id: int) -> int:
    """Delete every score row of one user, on every board; returns rows removed."""
    return await _delete_moving(session, delete(Score).where(col(Score.user_id) == user_id))


async def _delete_moving(session: AsyncSession, stmt: Any) -> int:
    # The rows as deleted (RETURNING, under their row locks) leave their buckets: reading
    # them first could miss a concurrent commit, and emptying a scope's buckets wholesale
    # could drop a row that another transaction inserts meanwhile.
    gone = (
        await session.execute(
            stmt.returning(
                col(Score.scope), col(Score.period), col(Score.period_start), col(Score.points)
            )
        )
    ).all()
    await move_players(session, (((s, p, d), pts, 0) for s, p, d, pts in gone))
    return len(gone)


@dataclass(frozen=True)
class Tally:
    """What a batch of answers adds to one user's row on one board."""

    points: int
    answers: int
    correct: int


_TALLY_KEY = ("scope", "period", "period_start", "user_id")
_TALLY_ADDS = {
    name: f"scores.{name} + excluded.{name}" for name in ("points", "answers", "correct")
}


def _tally_rows(tallies: dict[tuple[Board, int], Tally]) -> list[dict[str, Any]]:
    return [
        {
            "scope": scope,
            "period": period,
            "period_start": start,
            "user_id": user_id,
            "points": tally.points,
            "answers": tally.answers,
            "correct": tally.correct,
        }
        for ((scope, period, start), user_id), tally in tallies.items()
    ]


async def add_tallies_returning(
    session: AsyncSession, *, board: Board, tallies: dict[int, Tally]
) -> dict[int, int]:
    """Atomically add each user's tally to one board; returns each user's new points."""
    new = await add_tallies(
        session, tallies={(board, user): tally for user, tally in tallies.items()}
    )
    return {user: points for (_board, user), points in new.items()}


async def add_tallies(
    session: AsyncSession, *, tallies: dict[tuple[Board, int], Tally]
) -> dict[tuple[Board, int], int]:
    """Atomically add tallies to many (board, user) rows in one statement; returns new points."""
    rows = await upsert_rows(
        session,
        Score.__table__,  # type: ignore[attr-defined]
        _tally_rows(tallies),
        conflict=_TALLY_KEY,
        updates=_TALLY_ADDS,
        returning=(*_TALLY_KEY, "points"),
    )
    new = {((s, p, _day(d)), int(u)): int(pts) for s, p, d, u, pts in rows}
    # Inserted or updated, a row held its new points less this tally's before the statement.
    await move_players(
        session, ((key[0], new[key] - tally.points, new[key]) for key, tally in tallies.items())
    )
    return new
