"""Problem reports from learners: kept with the question version, read by admins and maintainers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.db import question_reports, questions, users
from bot.db.engine import Session
from bot.db.models import QuestionReport
from bot.domain.errors import UnknownQuestion
from bot.domain.text import storable

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

    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock

    async def report(
        self,
        session: Session,
        user_id: int,
        user_name: str,
        guild_id: int | None,
        question_id: str,
        text: str,
    ) -> Report:
        """Record a report against the version of the question the learner saw."""
        row = await questions.get_row(session, question_id=question_id)
        if row is None:
            raise UnknownQuestion()
        now = self.clock()
        await users.ensure_user(session, user_id=user_id, name=user_name, now=now)
        report = await question_reports.add_report(
            session,
            question_id=question_id,
            question_version=row.version,
            guild_id=guild_id,
            user_id=user_id,
            text=storable(text).strip()[:MAX_REPORT],
            now=now,
        )
        return _report(report)

    async def for_guild(self, session: Session, guild_id: int, limit: int = 20) -> list[Report]:
        """The newest reports made in one server."""
        rows = await question_reports.guild_reports(session, guild_id=guild_id, limit=limit)
        return [_report(r) for r in rows]

    async def everything(self, session: Session) -> list[Report]:
        """Every report, oldest first, for the bank's maintainers."""
        return [_report(r) for r in await question_reports.all_reports(session)]
