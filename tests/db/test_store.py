"""The store on both engines: pragmas, UTC round trips, constraints and the bank sync."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from bot.bank.bank import Bank
from bot.db.engine import Database
from bot.db.guilds import ensure_guild
from bot.db.models import Attempt, DailyChallenge, Guild, QuestionRow, User
from bot.db.questions import sync_questions
from bot.db.users import ensure_user


async def test_sqlite_pragmas(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite only")
    async with database.unit_of_work() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await session.execute(text("PRAGMA synchronous"))).scalar() == 1  # NORMAL
        assert (await session.execute(text("PRAGMA busy_timeout"))).scalar() == 5000


async def test_datetimes_come_back_aware_utc(database: Database) -> None:
    paris = datetime(2026, 7, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    async with database.unit_of_work() as session:
        session.add(User(id=1, name="ada", created_at=paris, updated_at=paris))
    async with database.unit_of_work() as session:
        user = (await session.scalars(select(User))).one()
    assert user.created_at == paris
    assert user.created_at.tzinfo is not None
    assert user.created_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(database: Database) -> None:
    naive = datetime(2026, 1, 1)  # naive on purpose
    with pytest.raises(Exception, match="naive datetime"):
        async with database.unit_of_work() as session:
            session.add(User(id=2, name="bob", created_at=naive, updated_at=naive))


async def test_unit_of_work_rolls_back_on_error(database: Database, now: datetime) -> None:
    with pytest.raises(RuntimeError):
        async with database.unit_of_work() as session:
            await ensure_user(session, user_id=5, name="eve", now=now)
            raise RuntimeError("boom")
    async with database.unit_of_work() as session:
        assert (await session.scalars(select(User))).all() == []


async def test_ensure_user_and_guild_are_idempotent(database: Database, now: datetime) -> None:
    async with database.unit_of_work() as session:
        await ensure_user(session, user_id=7, name="old", now=now)
        await ensure_user(session, user_id=7, name="new", now=now)
        await ensure_guild(session, guild_id=99, name="Study Group", now=now)
        await ensure_guild(session, guild_id=99, name="Study Group 2", now=now)
    async with database.unit_of_work() as session:
        user = (await session.scalars(select(User))).one()
        guild = (await session.scalars(select(Guild))).one()
    assert user.name == "new"
    assert (guild.name, guild.timezone, guild.daily_topics) == ("Study Group 2", "UTC", [])


async def test_foreign_keys_are_enforced(database: Database, now: datetime) -> None:
    with pytest.raises(IntegrityError):
        async with database.unit_of_work() as session:
            session.add(
                Attempt(user_id=404, question_id="nope", source="quiz", correct=True, credit=1)
            )


async def test_one_answer_per_member_per_daily_challenge(
    database: Database, test_bank: Bank, now: datetime
) -> None:
    async with database.unit_of_work() as session:
        await sync_questions(session, questions=test_bank.questions.values(), now=now)
        await ensure_user(session, user_id=1, name="ada", now=now)
        await ensure_guild(session, guild_id=10, name="g", now=now)
        challenge = DailyChallenge(
            guild_id=10,
            local_date=date(2026, 3, 10),
            question_id="tm-001",
            channel_id=5,
            claimed_at=now,
            closes_at=now + timedelta(days=1),
        )
        session.add(challenge)
    assert challenge.id is not None
    row = {
        "user_id": 1,
        "guild_id": 10,
        "question_id": "tm-001",
        "source": "daily",
        "correct": True,
        "credit": 1.0,
    }
    async with database.unit_of_work() as session:
        session.add(Attempt(daily_challenge_id=challenge.id, **row))
    with pytest.raises(IntegrityError):
        async with database.unit_of_work() as session:
            session.add(Attempt(daily_challenge_id=challenge.id, **row))
    # Non-daily attempts (NULL challenge) never clash.
    async with database.unit_of_work() as session:
        session.add(Attempt(**row))
        session.add(Attempt(**row))
    with pytest.raises(IntegrityError):
        async with database.unit_of_work() as session:
            session.add(
                DailyChallenge(
                    guild_id=10,
                    local_date=date(2026, 3, 10),
                    question_id="tm-002",
                    channel_id=5,
                    claimed_at=now,
                    closes_at=now,
                )
            )


async def test_sync_adds_versions_and_retires(
    database: Database, test_bank: Bank, now: datetime
) -> None:
    questions = list(test_bank.questions.values())
    async with database.unit_of_work() as session:
        report = await sync_questions(session, questions=questions, now=now)
    assert (report.added, report.changed, report.retired) == (len(questions), 0, 0)
    edited = questions[0].model_copy(update={"prompt": questions[0].prompt + " Think carefully."})
    later = now + timedelta(days=1)
    async with database.unit_of_work() as session:
        report = await sync_questions(session, questions=[edited, *questions[2:]], now=later)
    assert (report.added, report.changed, report.retired) == (0, 1, 1)
    async with database.unit_of_work() as session:
        rows = {r.id: r for r in (await session.scalars(select(QuestionRow))).all()}
    assert rows[edited.id].version == 2
    assert rows[edited.id].updated_at == later
    assert rows[questions[1].id].retired  # kept, not deleted
    assert len(rows) == len(questions)
    assert rows[questions[2].id].first_seen_at == now.astimezone(UTC)
