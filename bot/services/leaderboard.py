"""Leaderboards, computed in SQL from the maintained per-period score rows."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.db import guilds, leaderboards
from bot.db.engine import Session
from bot.db.models import GLOBAL_SCOPE
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
        """Top players by points (ties: more correct, then lower id); guild_id None is global."""
        scope = GLOBAL_SCOPE if guild_id is None else guild_id
        season = (
            await guilds.season_start(session, guild_id=guild_id)
            if period is Period.SEASON
            else None
        )
        if period is Period.SEASON and season is None:
            raise NoSeason()
        board = (scope, period, period_start(period, self.clock(), season))
        # The caller's line carries the board's size, so a page read is two statements.
        mine = (
            await leaderboards.standing(session, board=board, user_id=caller_id)
            if caller_id is not None
            else None
        )
        if mine is not None:
            rank, row, total = mine
            me: Standing | None = _standing(rank, row)
        else:
            total, me = await leaderboards.board_size(session, board=board), None
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        rows = await leaderboards.board_page(
            session, board=board, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )
        entries = tuple(_standing(page * PAGE_SIZE + i + 1, r) for i, r in enumerate(rows))
        return LeaderboardPage(scope, period, page, pages, entries, me)


def _standing(rank: int, row: leaderboards.Row) -> Standing:
    return Standing(rank, row.user_id, row.name, row.points, row.answers, row.correct)
