"""The user's data and the right to delete it."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db.models import User


async def forget_user(session: AsyncSession, user_id: int) -> bool:
    """Delete the user and, by cascade, all their answers, scores, streaks and cards."""
    result = await session.execute(delete(User).where(col(User.id) == user_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]
