"""Leaderboards in SQL over the scores table: a page by an indexed ORDER BY, a rank by counts.

The statements are built once, with bound parameters: a leaderboard read is a few index range
scans, and building the expressions anew on every read cost more than running them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, bindparam, func
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

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


def _on(table: Any, *conditions: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    # One board's rows: scope, period and start bound at execution.
    return [
        table.scope == bindparam("scope"),
        table.period == bindparam("period"),
        table.period_start == bindparam("start"),
        *conditions,
    ]


def _count(*conditions: ColumnElement[bool]) -> ScalarSelect[int]:
    return (
        sa_select(func.count()).select_from(Score).where(*_on(Score, *conditions)).scalar_subquery()
    )


# Only players who scored are on a board.
_SIZE = sa_select(func.count()).select_from(Score).where(*_on(Score, col(Score.points) > 0))

_PAGE = (
    sa_select(
        col(Score.user_id),
        col(User.name),
        col(Score.points),
        col(Score.answers),
        col(Score.correct),
    )
    .join(User, col(User.id) == col(Score.user_id))
    .where(*_on(Score, col(Score.points) > 0))
    .order_by(col(Score.points).desc(), col(Score.correct).desc(), col(Score.user_id))
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)


def _standing() -> Any:
    # The caller's line, rank and the board's size in one statement. The rank is 1 + everyone
    # ordered ahead under the page's ordering, counted as three index ranges (more points; as
    # many points and more correct; a full tie and a lower id) rather than one OR, which the
    # planners cannot turn into a range.
    me: Any = aliased(Score)
    points, correct, user = col(Score.points), col(Score.correct), col(Score.user_id)
    ahead = (
        _count(points > me.points)
        + _count(points == me.points, correct > me.correct)
        + _count(points == me.points, correct == me.correct, user < me.user_id)
    )
    return (
        sa_select(
            me.points,
            me.answers,
            me.correct,
            col(User.name),
            ahead.label("ahead"),
            _count(points > 0).label("size"),
        )
        .join(User, col(User.id) == me.user_id)
        .where(*_on(me, me.user_id == bindparam("user_id"), me.points > 0))
    )


_STANDING = _standing()


def _key(board: Board) -> dict[str, Any]:
    scope, period, start = board
    return {"scope": scope, "period": period, "start": start}


async def board_size(session: AsyncSession, *, board: Board) -> int:
    """How many players are on a board."""
    return int((await session.execute(_SIZE, _key(board))).scalar_one())


async def board_page(session: AsyncSession, *, board: Board, offset: int, limit: int) -> list[Row]:
    """Players by points (ties: more correct, then lower id), `limit` from `offset`."""
    params = {**_key(board), "offset": offset, "limit": limit}
    return [Row(*row) for row in (await session.execute(_PAGE, params)).all()]


async def standing(
    session: AsyncSession, *, board: Board, user_id: int
) -> tuple[int, Row, int] | None:
    """A player's rank and line on a board and the board's size, or None when not on it."""
    params = {**_key(board), "user_id": user_id}
    mine = (await session.execute(_STANDING, params)).one_or_none()
    if mine is None:
        return None
    points, answers, correct, name, ahead, size = mine
    return int(ahead) + 1, Row(user_id, name, points, answers, correct), int(size)
