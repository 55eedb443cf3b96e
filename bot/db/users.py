"""The users table: a learner is created on first sight, and deleted with all they own."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db import scores
from bot.db.bulk import upsert_rows
from bot.db.models import QuestionRow, User
from bot.db.upsert import insert


async def ensure_user(session: AsyncSession, *, user_id: int, name: str, now: datetime) -> None:
    """Create the user or refresh their display name, without a read-modify-write race."""
    stmt = insert(session, User).values(id=user_id, name=name[:100], created_at=now, updated_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"], set_={"name": stmt.excluded.name, "updated_at": now}
    )
    await session.execute(stmt)


async def delete_user(session: AsyncSession, *, user_id: int) -> bool:
    """Delete the user and every row about them; False when there was none.

    The schema cascades to what they own; the questions they wrote for a server stay (the
    server keeps them) but no longer name their author. Their score rows go first, through
    scores.py, so the boards' points buckets lose them too (a cascade would bypass that).
    """
    # Lock the user first: a concurrent answer's new score rows wait on it (their foreign key
    # check) or are committed before it, so the delete below sees them all and none is left
    # for the cascade, which would remove them behind the buckets' back.
    await session.execute(select(col(User.id)).where(col(User.id) == user_id).with_for_update())
    await scores.delete_user_scores(session, user_id=user_id)
    await session.execute(
        update(QuestionRow).where(col(QuestionRow.created_by) == user_id).values(created_by=None)
    )
    result = await session.execute(delete(User).where(col(User.id) == user_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def ensure_users(session: AsyncSession, *, names: Mapping[int, str], now: datetime) -> None:
    """Create several users or refresh their display names, in one statement."""
    table = User.__table__  # type: ignore[attr-defined]
    rows = [
        {"id": i, "name": name[:100], "created_at": now, "updated_at": now}
        for i, name in names.items()
    ]
    updates = {"name": "excluded.name", "updated_at": "excluded.updated_at"}
    await upsert_rows(session, table, rows, conflict=("id",), updates=updates)
