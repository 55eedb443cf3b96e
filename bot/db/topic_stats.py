"""The topic_stats table: per user and topic, answer counts and the mastery belief."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot.db.bulk import rows_by_keys, upsert_rows
from bot.db.models import TopicStat
from bot.domain.mastery import Skill

# topic_stats rows are written with upserts, not through loaded objects, so reads ask for fresh
# rows: a second answer in the same unit of work must build on the first, never on a copy
# cached earlier in the session.
FRESH = {"populate_existing": True}
_COUNTERS = ("attempts", "correct", "credit_sum")


def skill_of(row: TopicStat) -> Skill:
    """The mastery belief stored in a topic_stats row."""
    return Skill(row.skill, row.skill_var, row.attempts)


async def topic_rows(session: AsyncSession, *, user_id: int) -> dict[str, TopicStat]:
    """Every topic_stats row of a user, by topic."""
    query = select(TopicStat).where(TopicStat.user_id == user_id).execution_options(**FRESH)
    return {row.topic: row for row in await session.scalars(query)}


async def skills_of(
    session: AsyncSession, *, user_id: int
) -> dict[str, tuple[Skill, datetime | None]]:
    """Each topic's belief for a user and when it was last practised (columns, no models)."""
    # Plain columns, not entities: read fresh from the store, never a copy held by the session.
    table = TopicStat.__table__.c  # type: ignore[attr-defined]
    rows = await session.execute(
        sa_select(
            table.topic, table.skill, table.skill_var, table.attempts, table.last_answered_at
        ).where(table.user_id == user_id)
    )
    return {topic: (Skill(mean, var, n), last) for topic, mean, var, n, last in rows}


async def adjust_topic(
    session: AsyncSession, *, user_id: int, topic: str, correct: int, credit: float
) -> None:
    """Correct a topic's counters after a re-rated answer (its mastery belief is left as is)."""
    table = TopicStat.__table__.c  # type: ignore[attr-defined]
    await session.execute(
        TopicStat.__table__.update()  # type: ignore[attr-defined]
        .where(table.user_id == user_id, table.topic == topic)
        .values(correct=table.correct + correct, credit_sum=table.credit_sum + credit)
    )


async def skills_among(
    session: AsyncSession, *, keys: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], tuple[Skill, datetime | None]]:
    """The beliefs of several (user, topic) pairs that have one, and when each was last used."""
    table = TopicStat.__table__  # type: ignore[attr-defined]
    rows = await rows_by_keys(session, table, ("user_id", "topic"), sorted(set(keys)))
    # Plain rows, not models: building a model costs more than the lookup (measured).
    return {
        (r["user_id"], r["topic"]): (
            Skill(r["skill"], r["skill_var"], r["attempts"]),
            r["last_answered_at"],
        )
        for r in rows
    }


@dataclass(frozen=True)
class TopicTally:
    """What a batch of answers did to one user's topic: counts to add and the new belief."""

    user_id: int
    topic: str
    attempts: int
    correct: int
    credit: float
    skill: Skill
    now: datetime


async def save_skills(session: AsyncSession, *, tallies: Sequence[TopicTally]) -> None:
    """Store several new beliefs and add their counters atomically, in one statement."""
    if not tallies:
        return
    table = TopicStat.__table__  # type: ignore[attr-defined]
    rows = [
        {
            "user_id": t.user_id,
            "topic": t.topic,
            "attempts": t.attempts,
            "correct": t.correct,
            "credit_sum": t.credit,
            "skill": t.skill.mean,
            "skill_var": t.skill.var,
            "last_answered_at": t.now,
        }
        for t in tallies
    ]
    added = {name: f"topic_stats.{name} + excluded.{name}" for name in _COUNTERS}
    replaced = {name: f"excluded.{name}" for name in ("skill", "skill_var", "last_answered_at")}
    await upsert_rows(
        session, table, rows, conflict=("user_id", "topic"), updates={**added, **replaced}
    )
