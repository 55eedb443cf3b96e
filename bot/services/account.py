"""The user's data and the right to delete it."""

from __future__ import annotations

from bot.db import users
from bot.db.engine import Session


async def forget_user(session: Session, user_id: int) -> bool:
    """Delete the user and, by cascade, all their answers, scores, streaks and cards."""
    return await users.delete_user(session, user_id=user_id)
