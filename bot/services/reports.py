"""Problem reports from learners: kept with the question version, read by admins and maintainers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.models import QuestionReport, QuestionRow
from bot.db.types import utcnow
from bot.db.users import ensure_user
from bot.domain.errors import UnknownQuestion

MAX_REPORT = 1000


@dataclass(frozen=True)
class Report:
    """One report as shown to admins and maintainers."""

    id: int
    question_id: str
    question_version: int
    guild_id: int | None
    text: str
    created_at: datetime


def _report(row: QuestionReport) -> Report:
    assert row.id is not None
    return Report(
        row.id, row.question_id, row.question_version, row.guild_id, row.text, row.created_at
    )


class ReportService:
    """Stores and lists reports; never commits."""

    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self.clock = clock

    async def report(
        self,
        session: AsyncSession,
        user_id: int,
        user_name: str,
        guild_id: int | None,
        question_id: str,
        text: str,
    ) -> Report:
        """Record a report against the version of the question the learner saw."""
        row = await session.get(QuestionRow, question_id)
        if row is None:
            raise UnknownQuestion()
        now = self.clock()
        await ensure_user(session, user_id, user_name, now)
        report = QuestionReport(
            question_id=question_id,
            question_version=row.version,
            guild_id=guild_id,
            user_id=user_id,
            text=text.strip()[:MAX_REPORT],
            created_at=now,
        )
        session.add(report)
        await session.flush()
        return _report(report)

    async def for_guild(
        self, session: AsyncSession, guild_id: int, limit: int = 20
    ) -> list[Report]:
        """The newest reports made in one server."""
        rows = await session.scalars(
            select(QuestionReport)
            .where(col(QuestionReport.guild_id) == guild_id)
            .order_by(col(QuestionReport.created_at).desc(), col(QuestionReport.id).desc())
            .limit(limit)
        )
        return [_report(r) for r in rows]

    async def everything(self, session: AsyncSession) -> list[Report]:
        """Every report, oldest first, for the bank's maintainers."""
        rows = await session.scalars(
            select(QuestionReport).order_by(col(QuestionReport.created_at), col(QuestionReport.id))
        )
        return [_report(r) for r in rows]
