"""The learning service records answers and counts them atomically, on both engines."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.bank.bank import Bank
from bot.clock import Clock
from bot.db.engine import Database
from bot.db.models import Attempt, TopicStat
from bot.db.questions import sync_questions
from bot.db.users import ensure_user
from bot.domain.errors import InvalidAnswer, NoQuestionAvailable, UnknownQuestion
from bot.domain.questions import Kind
from bot.services.learning import LearningService


@pytest.fixture
async def service(database: Database, test_bank: Bank, now: datetime) -> LearningService:
    async with database.unit_of_work() as session:
        await sync_questions(session, questions=test_bank.questions.values(), now=now)
        await ensure_user(session, user_id=1, name="ada", now=now)
    clock = Clock()
    clock.set(now)
    return LearningService(test_bank, clock=clock)


async def test_submit_records_attempt_and_counts(
    database: Database, service: LearningService, now: datetime
) -> None:
    async with database.unit_of_work() as session:
        right = await service.submit_answer(
            session, 1, "tm-001", "b", served_at=now - timedelta(seconds=7)
        )
        wrong = await service.submit_answer(session, 1, "tm-002", "31")
        again = await service.submit_answer(session, 1, "tm-002", "32")
    assert (right.grade.correct, wrong.grade.correct, again.grade.correct) == (True, False, True)
    async with database.unit_of_work() as session:
        attempts = (await session.scalars(select(Attempt).order_by(Attempt.id))).all()  # type: ignore[arg-type]
        stat = (await session.scalars(select(TopicStat))).one()
    assert [a.question_id for a in attempts] == ["tm-001", "tm-002", "tm-002"]
    assert attempts[0].response_ms == 7000
    assert attempts[0].answer == "b"
    assert (stat.topic, stat.attempts, stat.correct, stat.credit_sum) == (
        "math-foundations",
        3,
        2,
        2.0,
    )


async def test_bad_answers_raise_domain_errors_and_record_nothing(
    database: Database, service: LearningService
) -> None:
    with pytest.raises(InvalidAnswer, match="Pick one of A, B, C"):
        async with database.unit_of_work() as session:
            await service.submit_answer(session, 1, "tm-001", "Z")
    with pytest.raises(UnknownQuestion):
        async with database.unit_of_work() as session:
            await service.submit_answer(session, 1, "nope-001", "x")
    async with database.unit_of_work() as session:
        assert (await session.scalars(select(Attempt))).all() == []


async def test_next_question_respects_filters_and_avoids_recent(
    database: Database, service: LearningService
) -> None:
    async with database.unit_of_work() as session:
        served = await service.next_question(session, 1, topic="transformers", kind=Kind.MCQ)
        assert served.question.id == "tt-001"
        await service.submit_answer(session, 1, "tm-001", "B")
        seen = {
            (
                await service.next_question(
                    session, 1, topic="math-foundations", rng=random.Random(s)
                )
            ).question.id
            for s in range(20)
        }
        assert "tm-001" not in seen
        with pytest.raises(NoQuestionAvailable):
            await service.next_question(session, 1, topic="transformers", kind=Kind.BEHAVIORAL)
