"""The questions table: the bank's kept in step (new, edited, retired), and servers' own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.models import QuestionRow
from bot.domain.questions import AnyQuestion, Question, content_hash

_QUESTION = TypeAdapter[AnyQuestion](Question)


@dataclass(frozen=True)
class SyncReport:
    """What a sync changed."""

    added: int
    changed: int
    retired: int


def question_row(q: AnyQuestion, now: datetime, **owner: Any) -> QuestionRow:
    """A new questions-table row for a question (owner: a server question's guild and author)."""
    return QuestionRow(
        id=q.id,
        topic=q.topic,
        kind=q.kind,
        difficulty=q.difficulty,
        content_hash=content_hash(q),
        retired=q.retired,
        first_seen_at=now,
        updated_at=now,
        **owner,
    )


async def sync_questions(
    session: AsyncSession, *, questions: Iterable[AnyQuestion], now: datetime
) -> SyncReport:
    """Upsert every bank question by id; retire rows the bank no longer has (never delete)."""
    # Servers' own questions are not the bank's to retire.
    bank_rows = select(QuestionRow).where(col(QuestionRow.guild_id).is_(None))
    rows = {row.id: row for row in (await session.scalars(bank_rows)).all()}
    added = changed = 0
    seen: set[str] = set()
    for q in questions:
        seen.add(q.id)
        digest = content_hash(q)
        row = rows.get(q.id)
        if row is None:
            session.add(question_row(q, now))
            added += 1
        elif (row.content_hash, row.retired, row.topic, row.kind, row.difficulty) != (
            digest,
            q.retired,
            q.topic,
            q.kind,
            q.difficulty,
        ):
            if row.content_hash != digest:
                row.version += 1
            row.content_hash, row.retired = digest, q.retired
            row.topic, row.kind, row.difficulty = q.topic, q.kind, q.difficulty
            row.updated_at = now
            changed += 1
    gone = [qid for qid, row in rows.items() if qid not in seen and not row.retired]
    if gone:
        await session.execute(
            update(QuestionRow)
            .where(col(QuestionRow.id).in_(gone), col(QuestionRow.guild_id).is_(None))
            .values(retired=True, updated_at=now)
        )
    await session.flush()
    return SyncReport(added, changed, len(gone))


def server_question(row: QuestionRow) -> AnyQuestion | None:
    """The question a server's row holds; None when its stored content no longer validates."""
    if row.payload is None:
        return None
    try:
        return _QUESTION.validate_python({**row.payload, "id": row.id, "retired": row.retired})
    except ValidationError:
        return None


async def get_row(session: AsyncSession, *, question_id: str) -> QuestionRow | None:
    """A questions-table row by id (the bank's or a server's)."""
    if "\x00" in question_id:
        return None  # a typed id no question has, and one PostgreSQL refuses to compare
    return await session.get(QuestionRow, question_id)


async def count_server_questions(session: AsyncSession, *, guild_id: int) -> int:
    """How many active questions of its own a server has."""
    query = (
        select(func.count())
        .select_from(QuestionRow)
        .where(col(QuestionRow.guild_id) == guild_id, col(QuestionRow.retired).is_(False))
    )
    return int((await session.execute(query)).scalar_one())


async def add_server_questions(
    session: AsyncSession,
    *,
    guild_id: int,
    author_id: int,
    questions: Iterable[AnyQuestion],
    now: datetime,
) -> None:
    """Store a server's questions with their full content (their ids are already fresh)."""
    for q in questions:
        owner = {
            "guild_id": guild_id,
            "payload": q.model_dump(mode="json"),
            "created_by": author_id,
        }
        session.add(question_row(q, now, **owner))
    await session.flush()


async def server_questions(session: AsyncSession, *, guild_id: int) -> list[QuestionRow]:
    """A server's active question rows, oldest first."""
    rows = await session.scalars(
        select(QuestionRow)
        .where(col(QuestionRow.guild_id) == guild_id, col(QuestionRow.retired).is_(False))
        .order_by(col(QuestionRow.first_seen_at), col(QuestionRow.id))
    )
    return list(rows)


async def retire_question(session: AsyncSession, *, question_id: str, now: datetime) -> None:
    """Retire a question: it is never served again, and answers to it are kept."""
    await session.execute(
        update(QuestionRow)
        .where(col(QuestionRow.id) == question_id)
        .values(retired=True, updated_at=now)
    )
