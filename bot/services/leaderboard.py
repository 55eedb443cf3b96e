"""Leaderboards, computed in SQL from the maintained per-period score rows and points buckets.

Equal points share a rank (standard competition ranking: 1, 2, 2, 4): a player's rank is 1 +
the players with more points. Inside a tie the page lists more correct answers first, then
lower ids, only so that pages are stable.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.db import guilds, leaderboards
from bot.db.engine import Session
from bot.db.models import GLOBAL_SCOPE
from bot.db.scores import Board
from bot.domain.errors import GradientError
from bot.domain.periods import Period, period_start

PAGE_SIZE = 10


class NoSeason(GradientError):
    """A season board was asked for where no season has started."""

    user_message = "No season has started here. An admin can start one with /gradient season start."


@dataclass(frozen=True)
class Standing:
    """One row of a leaderboard."""

    rank: int
    user_id: int
    name: str
    points: int
    answers: int
    correct: int


@dataclass(frozen=True)
class LeaderboardPage:
    """A page of the board, the caller's own standing, and how many pages there are."""

    scope: int
    period: Period
    page: int
    pages: int
    entries: tuple[Standing, ...]
    me: Standing | None


class LeaderboardService:
    """Reads leaderboards; never writes."""

    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock

    async def leaderboard(
        self,
        session: Session,
        *,
        guild_id: int | None,
        period: Period,
        page: int = 0,
        caller_id: int | None = None,
    ) -> LeaderboardPage:
        """Top players by points, equal points sharing a rank; guild_id None is global."""
        if period is Period.DAY:
            raise ValueError("the day board backs the daily point cap and is not ranked")
        scope = GLOBAL_SCOPE if guild_id is None else guild_id
        season = (
            await guilds.season_start(session, guild_id=guild_id)
            if period is Period.SEASON
            else None
        )
        if period is Period.SEASON and season is None:
            raise NoSeason()
        board = (scope, period, period_start(period, self.clock(), season))
        # One statement reads the page, the caller's line and the board's size; only a page
        # asked for past the end is read again, as the last page.
        page = max(page, 0)
        read = await self._read(session, board, caller_id, page)
        pages = max(1, -(-read.size // PAGE_SIZE))
        if page >= pages:
            page = pages - 1
            read = await self._read(session, board, caller_id, page)
        me = None if read.mine is None else _standing(read.above_mine + 1, read.mine)
        # The top of a board is rank 1; a later page may open inside a tie begun before it.
        ranks = competition_ranks(
            read.above_page + 1, page * PAGE_SIZE, [r.points for r in read.page]
        )
        entries = tuple(_standing(rank, r) for rank, r in zip(ranks, read.page, strict=True))
        return LeaderboardPage(scope, period, page, pages, entries, me)

    async def _read(
        self, session: Session, board: Board, caller_id: int | None, page: int
    ) -> leaderboards.BoardRead:
        return await leaderboards.read_board(
            session, board=board, user_id=caller_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )


def competition_ranks(first: int, offset: int, points: list[int]) -> list[int]:
    """Ranks of a page's players, listed by points from board position `offset`.

    The first has rank `first`; each next one shares the rank above when its points are
    equal, and otherwise is ranked by its position (everyone listed above has more points).
    """
    ranks: list[int] = []
    for i, p in enumerate(points):
        ranks.append(first if i == 0 else ranks[-1] if p == points[i - 1] else offset + i + 1)
    return ranks


def _standing(rank: int, row: leaderboards.Row) -> Standing:
    return Standing(rank, row.user_id, row.name, row.points, row.answers, row.correct)
