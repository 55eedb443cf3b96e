"""The topic_stats table: per user and topic, answer counts and the mastery belief."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot.db.models import TopicStat
from bot.db.upsert import insert
from bot.domain.mastery import Skill

# topic_stats rows are written with upserts, not through loaded objects, so reads ask for fresh
# rows: a second answer in the same unit of work must build on the first, never on a copy
# cached earlier in the session.
FRESH = {"populate_existing": True}


def skill_of(row: TopicStat) -> Skill:
    """The mastery belief stored in a topic_stats row."""
    return Skill(row.skill, row.skill_var, row.attempts)


async def topic_rows(session: AsyncSession, *, user_id: int) -> dict[str, TopicStat]:
    """Every topic_stats row of a user, by topic."""
    query = select(TopicStat).where(TopicStat.user_id == user_id).execution_options(**FRESH)
    return {row.topic: row for row in await session.scalars(query)}


async def topic_row(session: AsyncSession, *, user_id: int, topic: str) -> TopicStat | None:
    """One topic_stats row, fresh."""
    return await session.get(TopicStat, (user_id, topic), populate_existing=True)


async def save_skill(
    session: AsyncSession,
    *,
    user_id: int,
    topic: str,
    skill: Skill,
    correct: bool,
    credit: float,
    now: datetime,
) -> None:
    """Store the new belief and bump the counters atomically."""
    table = TopicStat.__table__.c  # type: ignore[attr-defined]
    stmt = insert(session, TopicStat).values(
        user_id=user_id,
        topic=topic,
        attempts=1,
        correct=int(correct),
        credit_sum=credit,
        skill=skill.mean,
        skill_var=skill.var,
        last_answered_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "topic"],
        set_={
            "attempts": table.attempts + 1,
            "correct": table.correct + int(correct),
            "credit_sum": table.credit_sum + credit,
            "skill": skill.mean,
            "skill_var": skill.var,
            "last_answered_at": now,
        },
    )
    await session.execute(stmt)


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
