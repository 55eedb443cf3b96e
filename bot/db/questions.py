"""Keep the questions table in step with the bank: add new, version edits, retire the gone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.models import QuestionRow
from bot.domain.questions import AnyQuestion, content_hash


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
    session: AsyncSession, questions: Iterable[AnyQuestion], now: datetime
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
