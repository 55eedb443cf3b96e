"""Leaderboards in SQL: a page by an indexed ORDER BY over scores, a rank by bucket sums.

Ranks are standard competition ranks: equal points share a rank (1, 2, 2, 4), so a rank is
1 + the players with more points, and the order inside a tie (more correct, then lower id) only
lays out the page. Both the rank and the board's size are sums over `score_buckets` (players
per points value, kept by bot/db/scores.py), whose rows are the board's distinct points
values, far fewer than its players. Counting the players inside a tie instead would scan the
tie, which at a common points value is most of a board.

A whole read (the page, the caller's line, the sums) is one statement: once the counts became
sums over a few thousand buckets, each further round trip through the driver cost more than
the SQL. It is built once, with bound parameters, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    union_all,
)
from sqlalchemy import null as sql_null
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db.models import Score, ScoreBucket, User
from bot.db.scores import Board


@dataclass(frozen=True)
class Row:
    """One player's line on a board, before ranking."""

    user_id: int
    name: str
    points: int
    answers: int
    correct: int


@dataclass(frozen=True)
class BoardRead:
    """One read of a board: its size, a page, and the caller's line, with who is above them."""

    size: int
    page: list[Row]
    above_page: int  # players with more points than the page's first
    mine: Row | None
    above_mine: int  # players with more points than the caller


def _on(table: Any, *conditions: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    # One board's rows: scope, period and start bound at execution.
    return [
        table.scope == bindparam("scope"),
        table.period == bindparam("period"),
        table.period_start == bindparam("start"),
        *conditions,
    ]


def _read() -> Any:
    # Three parts in one result, told apart by `part`: 0 the sums over the board's buckets
    # (in the points, answers and correct columns: size, above the caller, above the page's
    # first), 1 the caller's line, 2 the page. The page is cut before joining users, so only
    # its rows are looked up; the two points subqueries are uncorrelated, so run once.
    points, players = col(ScoreBucket.points), col(ScoreBucket.players)
    on_board = col(Score.points) > 0
    mine = sa_select(col(Score.points)).where(*_on(Score, col(Score.user_id) == bindparam("user")))
    first = (
        sa_select(col(Score.points))
        .where(*_on(Score, on_board))
        .order_by(col(Score.points).desc())
        .offset(bindparam("offset"))
        .limit(1)
    )

    def above(subquery: Any) -> Any:
        return func.coalesce(func.sum(case((points > subquery.scalar_subquery(), players))), 0)

    sums = sa_select(
        literal_column("0").label("part"),
        cast(sql_null(), BigInteger).label("user_id"),
        cast(sql_null(), String).label("name"),
        func.coalesce(func.sum(players), 0).label("points"),
        above(mine).label("answers"),
        above(first).label("correct"),
    ).where(*_on(ScoreBucket))
    line = (
        col(Score.user_id),
        col(User.name),
        col(Score.points),
        col(Score.answers),
        col(Score.correct),
    )
    caller: Any = (
        sa_select(literal_column("1"), *line)
        .join(User, col(User.id) == col(Score.user_id))
        .where(*_on(Score, col(Score.user_id) == bindparam("user"), on_board))
    )
    cut = (
        sa_select(*line[:1], *line[2:])
        .where(*_on(Score, on_board))
        .order_by(col(Score.points).desc(), col(Score.correct).desc(), col(Score.user_id))
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery()
    )
    page = sa_select(
        literal_column("2"),
        cut.c.user_id,
        col(User.name),
        cut.c.points,
        cut.c.answers,
        cut.c.correct,
    ).join(User, col(User.id) == cut.c.user_id)
    return union_all(sums, caller, page)


_READ = _read()


def _order(row: Row) -> tuple[int, int, int]:
    return (-row.points, -row.correct, row.user_id)


async def read_board(
    session: AsyncSession, *, board: Board, user_id: int | None, offset: int, limit: int
) -> BoardRead:
    """A board's size, `limit` players from `offset`, and the caller's line, in one statement.

    The page is by points, then (inside a tie) more correct, then lower id.
    """
    scope, period, start = board
    params = {
        "scope": scope,
        "period": period,
        "start": start,
        "user": user_id,
        "offset": offset,
        "limit": limit,
    }
    size = above_mine = above_page = 0
    mine: Row | None = None
    page: list[Row] = []
    for part, *line in (await session.execute(_READ, params)).all():
        if part == 0:
            size, above_mine, above_page = (int(v) for v in line[2:])
        elif part == 1:
            mine = Row(*line)
        else:
            page.append(Row(*line))
    # UNION ALL keeps no order: the page's is restored here, on the same keys.
    return BoardRead(size, sorted(page, key=_order), above_page, mine, above_mine)


async def board_size(session: AsyncSession, *, board: Board) -> int:
    """How many players are on a board."""
    return (await read_board(session, board=board, user_id=None, offset=0, limit=0)).size


async def standing(
    session: AsyncSession, *, board: Board, user_id: int
) -> tuple[int, Row, int] | None:
    """A player's rank and line on a board and the board's size, or None when not on it.

    Equal points share a rank (standard competition ranking: 1, 2, 2, 4), so the rank is 1 +
    the players with more points.
    """
    read = await read_board(session, board=board, user_id=user_id, offset=0, limit=0)
    return None if read.mine is None else (read.above_mine + 1, read.mine, read.size)
