"""Leaderboards in SQL over the scores table: a page by an indexed ORDER BY, a rank by a count."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.models import Score, User
from bot.db.scores import Board


@dataclass(frozen=True)
class Row:
    """One player's line on a board, before ranking."""

    user_id: int
    name: str
    points: int
    answers: int
    correct: int


def _on_board(board: Board) -> ColumnElement[bool]:
    # Only players who scored are on a board.
    scope, period, start = board
    return and_(
        col(Score.scope) == scope,
        col(Score.period) == period,
        col(Score.period_start) == start,
        col(Score.points) > 0,
    )


async def board_size(session: AsyncSession, *, board: Board) -> int:
    """How many players are on a board."""
    query = select(func.count()).select_from(Score).where(_on_board(board))
    return int((await session.execute(query)).scalar_one())


async def board_page(session: AsyncSession, *, board: Board, offset: int, limit: int) -> list[Row]:
    """Players by points (ties: more correct, then lower id), `limit` from `offset`."""
    rows = (
        await session.execute(
            sa_select(
                col(Score.user_id),
                col(User.name),
                col(Score.points),
                col(Score.answers),
                col(Score.correct),
            )
            .join(User, col(User.id) == col(Score.user_id))
            .where(_on_board(board))
            .order_by(col(Score.points).desc(), col(Score.correct).desc(), col(Score.user_id))
            .offset(offset)
            .limit(limit)
        )
    ).all()
    return [Row(*row) for row in rows]


async def standing(session: AsyncSession, *, board: Board, user_id: int) -> tuple[int, Row] | None:
    """A player's rank and line on a board, or None when they are not on it."""
    where = _on_board(board)
    mine = (
        await session.execute(
            select(Score.points, Score.answers, Score.correct, User.name)
            .join(User, col(User.id) == col(Score.user_id))
            .where(where, col(Score.user_id) == user_id)
        )
    ).one_or_none()
    if mine is None:
        return None
    points, answers, correct, name = mine
    # Rank = 1 + everyone ordered ahead of me under the same ordering as the page.
    ahead = or_(
        col(Score.points) > points,
        and_(col(Score.points) == points, col(Score.correct) > correct),
        and_(
            col(Score.points) == points,
            col(Score.correct) == correct,
            col(Score.user_id) < user_id,
        ),
    )
    count = (
        await session.execute(select(func.count()).select_from(Score).where(where, ahead))
    ).scalar_one()
    return int(count) + 1, Row(user_id, name, points, answers, correct)
