"""Key-value facts the bot keeps across restarts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AppState
from bot.db.upsert import insert


async def get_value(session: AsyncSession, key: str) -> str | None:
    """The stored value for a key."""
    row = await session.get(AppState, key)
    return row.value if row else None


async def set_value(session: AsyncSession, key: str, value: str, now: datetime) -> None:
    """Store a value under a key."""
    stmt = insert(session, AppState).values(key=key, value=value, updated_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"], set_={"value": value, "updated_at": now}
    )
    await session.execute(stmt)
