"""The question_reports table: learners' reports that a question is wrong or unclear."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.models import QuestionReport


async def add_report(
    session: AsyncSession,
    *,
    question_id: str,
    question_version: int,
    guild_id: int | None,
    user_id: int,
    text: str,
    now: datetime,
) -> QuestionReport:
    """Store a report; returns it with its id."""
    report = QuestionReport(
        question_id=question_id,
        question_version=question_version,
        guild_id=guild_id,
        user_id=user_id,
        text=text,
        created_at=now,
    )
    session.add(report)
    await session.flush()
    return report


async def guild_reports(
    session: AsyncSession, *, guild_id: int, limit: int
) -> list[QuestionReport]:
    """The newest reports made in one server."""
    rows = await session.scalars(
        select(QuestionReport)
        .where(col(QuestionReport.guild_id) == guild_id)
        .order_by(col(QuestionReport.created_at).desc(), col(QuestionReport.id).desc())
        .limit(limit)
    )
    return list(rows)


async def all_reports(session: AsyncSession) -> list[QuestionReport]:
    """Every report, oldest first."""
    rows = await session.scalars(
        select(QuestionReport).order_by(col(QuestionReport.created_at), col(QuestionReport.id))
    )
    return list(rows)
