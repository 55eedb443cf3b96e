"""Users and guilds are created on first sight, without a read-modify-write race."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Guild, User
from bot.db.upsert import insert


async def ensure_user(session: AsyncSession, user_id: int, name: str, now: datetime) -> None:
    """Create the user or refresh their display name."""
    stmt = insert(session, User).values(id=user_id, name=name[:100], created_at=now, updated_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"], set_={"name": stmt.excluded.name, "updated_at": now}
    )
    await session.execute(stmt)


async def ensure_guild(session: AsyncSession, guild_id: int, name: str, now: datetime) -> None:
    """Create the guild row on first sight, keeping its settings."""
    stmt = insert(session, Guild).values(
        id=guild_id, name=name[:100], daily_topics=[], created_at=now, updated_at=now
    )
    stmt = stmt.on_conflict_do_update(index_elements=["id"], set_={"name": stmt.excluded.name})
    await session.execute(stmt)
