"""The scores table: points per scope (a guild, or 0 for global), period and user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.bulk import upsert_rows
from bot.db.models import Score

# One leaderboard row's key: (scope, period, period start).
Board = tuple[int, str, date]


async def adjust_scores(
    session: AsyncSession, *, boards: Sequence[Board], user_id: int, points: int, correct: int
) -> None:
    """Add (or take back) points and correct answers on existing score rows, atomically."""
    table = Score.__table__.c  # type: ignore[attr-defined]
    for scope, period, start in boards:
        await session.execute(
            Score.__table__.update()  # type: ignore[attr-defined]
            .where(
                table.scope == scope,
                table.period == period,
                table.period_start == start,
                table.user_id == user_id,
            )
            .values(points=table.points + points, correct=table.correct + correct)
        )


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
    result = await session.execute(stmt)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


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
    rows = await upsert_rows(
        session,
        Score.__table__,  # type: ignore[attr-defined]
        _tally_rows({(board, user): tally for user, tally in tallies.items()}),
        conflict=_TALLY_KEY,
        updates=_TALLY_ADDS,
        returning=("user_id", "points"),
    )
    return {int(user): int(points) for user, points in rows}


async def add_tallies(session: AsyncSession, *, tallies: dict[tuple[Board, int], Tally]) -> None:
    """Atomically add tallies to many (board, user) rows in one statement."""
    await upsert_rows(
        session,
        Score.__table__,  # type: ignore[attr-defined]
        _tally_rows(tallies),
        conflict=_TALLY_KEY,
        updates=_TALLY_ADDS,
    )
