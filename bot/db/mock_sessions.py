"""The mock_sessions table: a timed mock interview's fixed questions and where it has got to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.models import Attempt, MockSession, ServedQuestion


async def add_mock(
    session: AsyncSession,
    *,
    token: str,
    user_id: int,
    guild_id: int | None,
    question_ids: Sequence[str],
    now: datetime,
) -> None:
    """Store a new mock at its first question."""
    session.add(
        MockSession(
            token=token,
            user_id=user_id,
            guild_id=guild_id,
            question_ids=list(question_ids),
            position=0,
            started_at=now,
        )
    )
    await session.flush()


async def get_mock(session: AsyncSession, *, token: str) -> MockSession | None:
    """A mock by token."""
    return await session.get(MockSession, token)


async def move_on(session: AsyncSession, *, token: str, position: int) -> bool:
    """Move the mock from `position` to the next, once; False when it had moved already."""
    # A conditional update, so a double click on "Continue" moves the mock on only once.
    moved = await session.execute(
        update(MockSession)
        .where(col(MockSession.token) == token, col(MockSession.position) == position)
        .values(position=position + 1)
    )
    return bool(moved.rowcount == 1)  # type: ignore[attr-defined]


async def finish(session: AsyncSession, *, token: str, now: datetime) -> None:
    """Record when the mock ended."""
    await session.execute(
        update(MockSession).where(col(MockSession.token) == token).values(finished_at=now)
    )


async def answers(session: AsyncSession, *, token: str) -> list[tuple[str, float, int | None]]:
    """The mock's answers in order: question id, credit and response time in milliseconds."""
    rows = await session.execute(
        select(Attempt.question_id, Attempt.credit, Attempt.response_ms)
        .join(ServedQuestion, col(ServedQuestion.attempt_id) == col(Attempt.id))
        .where(col(ServedQuestion.mock_token) == token)
        .order_by(col(Attempt.id))
    )
    return [(qid, credit, ms) for qid, credit, ms in rows]
