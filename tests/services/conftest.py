"""Service fixtures: a synced test bank, users, and a clock the test controls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from bot.bank.bank import Bank
from bot.db.engine import Database
from bot.db.questions import sync_questions
from bot.db.users import ensure_guild, ensure_user
from bot.services.leaderboard import LeaderboardService
from bot.services.learning import LearningService
from bot.services.progress import ProgressService


@dataclass
class Clock:
    """A settable clock."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.now += timedelta(**delta)


@dataclass
class Services:
    """The services under test, sharing one clock and database."""

    db: Database
    clock: Clock
    learning: LearningService
    progress: ProgressService
    leaderboards: LeaderboardService


GUILD = 500


@pytest.fixture
async def services(database: Database, test_bank: Bank, now: datetime) -> Services:
    clock = Clock(now)
    async with database.unit_of_work() as session:
        await sync_questions(session, test_bank.questions.values(), now)
        for uid in (1, 2, 3):
            await ensure_user(session, uid, f"user{uid}", now)
        await ensure_guild(session, GUILD, "Study Group", now)
    return Services(
        database,
        clock,
        LearningService(test_bank, clock),
        ProgressService(test_bank, clock),
        LeaderboardService(clock),
    )
