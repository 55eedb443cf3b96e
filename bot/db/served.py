"""The served_questions table: a question shown to one user, answered and moved on from once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

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


async def get_served(
    session: AsyncSession, *, token: str, fresh: bool = False
) -> ServedQuestion | None:
    """The served row behind a token (`fresh`: as stored now, not as read earlier)."""
    return await session.get(ServedQuestion, token, populate_existing=fresh)


async def mark_continued(session: AsyncSession, *, token: str, now: datetime) -> bool:
    """Mark a served question as moved on from, once; False when it was already."""
    moved = await session.execute(
        update(ServedQuestion)
        .where(col(ServedQuestion.token) == token, col(ServedQuestion.continued_at).is_(None))
        .values(continued_at=now)
    )
    return bool(moved.rowcount == 1)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ServedRef:
    """What answering needs of a served row, read as plain values (no model is built)."""

    token: str
    user_id: int
    guild_id: int | None
    question_id: str
    source: str
    served_at: datetime
    answered_at: datetime | None
    mock_token: str | None


async def get_many(session: AsyncSession, *, tokens: Sequence[str]) -> dict[str, ServedRef]:
    """The served rows behind several tokens, as stored now, by token."""
    table = ServedQuestion.__table__  # type: ignore[attr-defined]
    names = [f.name for f in fields(ServedRef)]
    # Core rows: loading models for a batch cost more than the query itself (measured).
    rows = await session.execute(
        select(*(table.c[name] for name in names)).where(table.c.token.in_(list(tokens)))
    )
    return {row.token: ServedRef(*row) for row in rows}


async def claim_many(session: AsyncSession, *, tokens: Sequence[str], now: datetime) -> set[str]:
    """Mark open questions answered in one statement; returns the tokens this call claimed."""
    if not tokens:
        return set()
    table = ServedQuestion.__table__  # type: ignore[attr-defined]
    # A Core update: the ORM's would also re-evaluate every loaded row in Python.
    claimed = await session.execute(
        table.update()
        .where(table.c.token.in_(list(tokens)), table.c.answered_at.is_(None))
        .values(answered_at=now)
        .returning(table.c.token)
    )
    return set(claimed.scalars())


async def set_attempts(session: AsyncSession, *, attempt_ids: dict[str, int]) -> None:
    """Link several served questions to the attempts that answered them."""
    if not attempt_ids:
        return
    table = ServedQuestion.__table__  # type: ignore[attr-defined]
    await session.execute(
        table.update().where(table.c.token == bindparam("t")).values(attempt_id=bindparam("a")),
        [{"t": token, "a": attempt} for token, attempt in sorted(attempt_ids.items())],
    )
