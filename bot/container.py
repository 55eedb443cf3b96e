"""The composition root: settings → database → bank → services."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import make_url

from bot.bank.bank import Bank, load_bank
from bot.clock import Clock
from bot.db.engine import Database
from bot.db.group_commit import GroupCommit
from bot.db.questions import sync_questions
from bot.domain.open_answers import warm_up
from bot.domain.questions import OpenQuestion
from bot.scheduling import DailyScheduler, RateLimiter
from bot.services.admin import AdminService
from bot.services.custom import CustomQuestionService
from bot.services.daily import DailyAnswered, DailyService
from bot.services.daily_answers import DailyAnswerRequest, DailyAnswers
from bot.services.leaderboard import LeaderboardService
from bot.services.learning import LearningService
from bot.services.mock import MockService
from bot.services.progress import ProgressService
from bot.services.quiz import Answered, AnswerRequest, QuizService
from bot.services.reports import ReportService
from bot.services.sessions import SessionService
from bot.settings import Settings

log = logging.getLogger(__name__)


class SchemaOutOfDate(Exception):
    """The database is not at the newest migration."""


@dataclass
class Container:
    """Everything a front end (Discord or terminal) needs, built once."""

    settings: Settings
    database: Database
    bank: Bank
    clock: Clock  # the one clock every service (and the daily scheduler) reads
    learning: LearningService
    progress: ProgressService
    leaderboards: LeaderboardService
    quiz: QuizService
    answers: GroupCommit[AnswerRequest, Answered]  # quiz answers, committed in batches
    daily_answers: GroupCommit[DailyAnswerRequest, DailyAnswered]  # the same for daily answers
    mock: MockService
    sessions: SessionService
    daily: DailyService
    scheduler: DailyScheduler
    admin: AdminService
    custom: CustomQuestionService
    reports: ReportService

    async def close(self) -> None:
        """Release the database pool."""
        await self.database.dispose()


def safe_url(url: str) -> str:
    """The database URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


async def ensure_schema(url: str, *, auto_upgrade: bool) -> None:
    """Check the database is at head; apply migrations when allowed."""
    # Imported here: Alembic (with Mako and Pygments) is ~11 MB that a running bot never needs
    # once the check is done, so `python -m bot run` does this check in a short-lived process.
    from bot.db import migrate

    head = migrate.head_revision()
    current = await migrate.current_revision(url)
    if current == head:
        return
    if not auto_upgrade:
        raise SchemaOutOfDate(
            f"the database is at revision {current or 'none'}, the code needs {head}: "
            "run `python -m bot db upgrade` (or `make run`, which does it)"
        )
    log.info("applying migrations %s → %s", current or "empty", head)
    # Alembic is synchronous and runs its own event loop, so it gets a thread.
    await asyncio.to_thread(migrate.upgrade, url)


def _shared_clock(clock: Callable[[], datetime] | None) -> Clock:
    # A Clock given is used as is, so whoever set it up can still set or advance it.
    if isinstance(clock, Clock):
        return clock
    return Clock() if clock is None else Clock(clock)


async def build_container(
    settings: Settings,
    *,
    auto_upgrade: bool = False,
    schema_checked: bool = False,
    clock: Callable[[], datetime] | None = None,
) -> Container:
    """Check the schema, load the bank, sync it to the store and wire the services.

    `clock` is real time unless given: a Clock, or any callable returning an aware datetime
    (which the container's Clock then reads, so moving it moves every service).
    `schema_checked` skips the schema check, for a caller that has just done it.
    """
    shared = _shared_clock(clock)
    if not schema_checked:
        await ensure_schema(settings.database_url, auto_upgrade=auto_upgrade)
    bank = await asyncio.to_thread(load_bank, settings.questions_dir)
    # The grader's model and every explain-it question's vectors load here, in a thread, so no
    # learner waits for them and the event loop never blocks on them.
    await asyncio.to_thread(warm_up, [q for q in bank.active() if isinstance(q, OpenQuestion)])
    database = Database.from_url(settings.database_url, timeout=settings.db_timeout_seconds)
    try:
        async with database.unit_of_work() as session:
            report = await sync_questions(session, questions=bank.questions.values(), now=shared())
    except BaseException:
        await database.dispose()
        raise
    log.info(
        "bank: %d questions (%d new, %d changed, %d retired)",
        len(bank),
        report.added,
        report.changed,
        report.retired,
    )
    return wire(settings, database, bank, shared)


def wire(settings: Settings, database: Database, bank: Bank, clock: Clock) -> Container:
    """Build the services over a database and a bank, all reading the one clock."""
    learning = LearningService(bank, clock=clock)
    custom = CustomQuestionService(bank, clock=clock)
    quiz = QuizService(bank, learning, custom=custom, clock=clock)
    mock = MockService(bank, quiz, clock=clock)
    daily = DailyService(
        bank,
        learning,
        custom=custom,
        clock=clock,
        lease=timedelta(seconds=settings.daily_claim_lease_seconds),
    )
    return Container(
        settings=settings,
        database=database,
        bank=bank,
        clock=clock,
        learning=learning,
        progress=ProgressService(bank, custom=custom, clock=clock),
        leaderboards=LeaderboardService(clock=clock),
        quiz=quiz,
        answers=GroupCommit(database, quiz.answer_many),
        mock=mock,
        sessions=SessionService(quiz, mock),
        daily=daily,
        daily_answers=GroupCommit(database, DailyAnswers(daily).answer_many),
        # The poster (Discord) and shard ownership are set by the bot when it starts.
        scheduler=DailyScheduler(
            database, daily, clock=clock, limiter=RateLimiter(settings.fanout_share)
        ),
        admin=AdminService(clock=clock),
        custom=custom,
        reports=ReportService(clock=clock),
    )
