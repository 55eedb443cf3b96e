"""Server administration: reset scores, start a season. Permission checks happen in the cog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db.models import Guild, Score
from bot.db.types import utcnow
from bot.db.users import ensure_guild


class AdminService:
    """Changes to a server's leaderboards; the global board is never touched."""

    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self.clock = clock

    async def reset_scores(
        self, session: AsyncSession, guild_id: int, user_id: int | None = None
    ) -> int:
        """Delete this server's score rows (one member's, or everyone's); returns rows removed."""
        stmt = delete(Score).where(col(Score.scope) == guild_id)
        if user_id is not None:
            stmt = stmt.where(col(Score.user_id) == user_id)
        result = await session.execute(stmt)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def start_season(self, session: AsyncSession, guild_id: int, guild_name: str) -> datetime:
        """Begin a new season now: a fresh season board, all-time untouched."""
        now = self.clock()
        await ensure_guild(session, guild_id, guild_name, now)
        await session.execute(
            update(Guild)
            .where(col(Guild.id) == guild_id)
            .values(season_started_at=now, updated_at=now)
        )
        return now
