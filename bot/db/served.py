"""The served_questions table: a question shown to one user, answered and moved on from once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.db.models import ServedQuestion


async def add_served(
    session: AsyncSession,
    *,
    token: str,
    user_id: int,
    guild_id: int | None,
    question_id: str,
    source: str,
    topic: str | None,
    difficulty: str | None,
    kind: str | None,
    competency: str | None,
    mock_token: str | None,
    now: datetime,
) -> None:
    """Store a served question under its token."""
    session.add(
        ServedQuestion(
            token=token,
            user_id=user_id,
            guild_id=guild_id,
            question_id=question_id,
            source=source,
            topic=topic,
            difficulty=difficulty,
            kind=kind,
            competency=competency,
            mock_token=mock_token,
            served_at=now,
        )
    )
    await session.flush()


async def get_served(session: AsyncSession, *, token: str) -> ServedQuestion | None:
    """The served row behind a token."""
    return await session.get(ServedQuestion, token)


async def claim_answer(
    session: AsyncSession, *, token: str, user_id: int, now: datetime
) -> ServedQuestion | None:
    """Mark the user's open question answered; None when it is not theirs or not open any more."""
    stmt = (
        update(ServedQuestion)
        .where(
            col(ServedQuestion.token) == token,
            col(ServedQuestion.user_id) == user_id,
            col(ServedQuestion.answered_at).is_(None),
        )
        .values(answered_at=now)
        .returning(ServedQuestion)
    )
    result = await session.scalars(stmt, execution_options={"populate_existing": True})
    return result.one_or_none()


async def set_attempt(session: AsyncSession, *, token: str, attempt_id: int) -> None:
    """Link a served question to the attempt that answered it."""
    await session.execute(
        update(ServedQuestion)
        .where(col(ServedQuestion.token) == token)
        .values(attempt_id=attempt_id)
    )


async def mark_continued(session: AsyncSession, *, token: str, now: datetime) -> bool:
    """Mark a served question as moved on from, once; False when it was already."""
    moved = await session.execute(
        update(ServedQuestion)
        .where(col(ServedQuestion.token) == token, col(ServedQuestion.continued_at).is_(None))
        .values(continued_at=now)
    )
    return bool(moved.rowcount == 1)  # type: ignore[attr-defined]
