"""Service fixtures: a synced test bank, users, and the services wired over one test clock."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.bank.bank import Bank
from bot.clock import Clock
from bot.container import Container, wire
from bot.db.engine import Database
from bot.db.guilds import ensure_guild
from bot.db.questions import sync_questions
from bot.db.users import ensure_user
from bot.settings import Settings
from tests.conftest import TEST_BANK

# The services under test are wired as the container wires them: one database, one clock
# (`services.clock`) that a test sets or advances to move every service's time.
Services = Container
GUILD = 500


@pytest.fixture
async def services(database: Database, test_bank: Bank, now: datetime, db_url: str) -> Services:
    clock = Clock()
    clock.set(now)
    async with database.unit_of_work() as session:
        await sync_questions(session, questions=test_bank.questions.values(), now=now)
        for uid in (1, 2, 3):
            await ensure_user(session, user_id=uid, name=f"user{uid}", now=now)
        await ensure_guild(session, guild_id=GUILD, name="Study Group", now=now)
    settings = Settings(DATABASE_URL=db_url, QUESTIONS_DIR=TEST_BANK)  # type: ignore[call-arg]
    return wire(settings, database, test_bank, clock)
