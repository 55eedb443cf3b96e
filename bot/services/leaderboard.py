"""Leaderboards, computed in SQL from the maintained per-period score rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db import progress
from bot.db.models import GLOBAL_SCOPE, Score, User
from bot.db.types import utcnow
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

    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self.clock = clock

    async def leaderboard(
        self,
        session: AsyncSession,
        *,
        guild_id: int | None,
        period: Period,
        page: int = 0,
        caller_id: int | None = None,
    ) -> LeaderboardPage:
        """Top players by points (ties: more correct, then lower id); guild_id None is global."""
        scope = GLOBAL_SCOPE if guild_id is None else guild_id
        season = await progress.season_start(session, guild_id) if period is Period.SEASON else None
        if period is Period.SEASON and season is None:
            raise NoSeason()
        start = period_start(period, self.clock(), season)
        where = and_(
            col(Score.scope) == scope,
            col(Score.period) == period,
            col(Score.period_start) == start,
            col(Score.points) > 0,
        )
        total = int(
            (
                await session.execute(select(func.count()).select_from(Score).where(where))
            ).scalar_one()
        )
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
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
                .where(where)
                .order_by(col(Score.points).desc(), col(Score.correct).desc(), col(Score.user_id))
                .offset(page * PAGE_SIZE)
                .limit(PAGE_SIZE)
            )
        ).all()
        entries = tuple(
            Standing(page * PAGE_SIZE + i + 1, uid, name, points, answers, correct)
            for i, (uid, name, points, answers, correct) in enumerate(rows)
        )
        me = await self._standing(session, where, caller_id) if caller_id is not None else None
        return LeaderboardPage(scope, period, page, pages, entries, me)

    async def _standing(
        self, session: AsyncSession, where: object, user_id: int
    ) -> Standing | None:
        mine = (
            await session.execute(
                select(Score.points, Score.answers, Score.correct, User.name)
                .join(User, col(User.id) == col(Score.user_id))
                .where(where, col(Score.user_id) == user_id)  # type: ignore[arg-type]
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
            await session.execute(
                select(func.count()).select_from(Score).where(where, ahead)  # type: ignore[arg-type]
            )
        ).scalar_one()
        return Standing(int(count) + 1, user_id, name, points, answers, correct)
