"""Server administration: reset scores, start a season. Permission checks happen in the cog."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.db import guilds, scores
from bot.db.engine import Session


class AdminService:
    """Changes to a server's leaderboards; the global board is never touched."""

    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock

    async def reset_scores(
        self, session: Session, guild_id: int, user_id: int | None = None
    ) -> int:
        """Delete this server's score rows (one member's, or everyone's); returns rows removed."""
        return await scores.delete_scores(session, scope=guild_id, user_id=user_id)

    async def start_season(self, session: Session, guild_id: int, guild_name: str) -> datetime:
        """Begin a new season now: a fresh season board, all-time untouched."""
        now = self.clock()
        await guilds.ensure_guild(session, guild_id=guild_id, name=guild_name, now=now)
        await guilds.start_season(session, guild_id=guild_id, now=now)
        return now
