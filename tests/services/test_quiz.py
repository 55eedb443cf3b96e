"""Serving questions as tokens: ownership, exactly-once answers, mock interviews, forgetting."""

from __future__ import annotations

import asyncio
import random

import pytest
from sqlalchemy import func, select

from bot.db.models import Attempt, ServedQuestion, User
from bot.services.account import forget_user
from bot.services.mock import MockAlreadyMoved
from bot.services.quiz import Asker, Filters, NotYourQuestion, QuizService, UnknownButton
from tests.services.conftest import GUILD, Services

ADA = Asker(1, "ada", GUILD, "Study Group")
BO = Asker(2, "bo", GUILD, "Study Group")


@pytest.fixture
def quiz(services: Services) -> QuizService:
    return services.quiz


async def count(services: Services, model: type) -> int:
    async with services.database.unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_serve_respects_filters_and_registers_user(
    services: Services, quiz: QuizService
) -> None:
    newcomer = Asker(77, "newcomer", 888, "New Server")
    async with services.database.unit_of_work() as session:
        served = await quiz.serve(session, newcomer, Filters(topic="transformers", kind="mcq"))
        row = await session.get(ServedQuestion, served.token)
        user = await session.get(User, 77)
    assert served.question.id == "tt-001"
    assert len(served.token) == 12
    assert row is not None
    assert (row.user_id, row.guild_id, row.topic, row.kind) == (77, 888, "transformers", "mcq")
    assert user is not None


async def test_default_quiz_never_serves_behavioral_and_behavioral_only_when_asked(
    services: Services, quiz: QuizService
) -> None:
    rng = random.Random(1)
    async with services.database.unit_of_work() as session:
        kinds = {
            (await quiz.serve(session, ADA, Filters(), rng=rng)).question.kind for _ in range(15)
        }
        story = await quiz.serve(session, ADA, Filters(topic="behavioral"), source="behavioral")
    assert "behavioral" not in kinds
    assert story.question.kind == "behavioral"


async def test_only_the_asker_answers_once(services: Services, quiz: QuizService) -> None:
    async with services.database.unit_of_work() as session:
        served = await quiz.serve(session, ADA, Filters(topic="transformers", kind="mcq"))
    with pytest.raises(NotYourQuestion):
        async with services.database.unit_of_work() as session:
            await quiz.answer(session, served.token, BO.user_id, "A")
    async with services.database.unit_of_work() as session:
        outcome = (await quiz.answer(session, served.token, ADA.user_id, "A")).outcome
    assert outcome.grade.correct
    async with services.database.unit_of_work() as session:
        again = (await quiz.answer(session, served.token, ADA.user_id, "B")).outcome
    assert again.replayed and again.grade.correct, "a replay shows the recorded verdict"
    with pytest.raises(UnknownButton):
        async with services.database.unit_of_work() as session:
            await quiz.answer(session, "forged-token", ADA.user_id, "A")
    assert await count(services, Attempt) == 1


async def test_double_click_race_records_one_answer(services: Services, quiz: QuizService) -> None:
    async with services.database.unit_of_work() as session:
        served = await quiz.serve(session, ADA, Filters(topic="transformers", kind="mcq"))

    async def click() -> str:
        async with services.database.unit_of_work() as session:
            outcome = (await quiz.answer(session, served.token, ADA.user_id, "A")).outcome
        return "replayed" if outcome.replayed else "recorded"

    results = await asyncio.gather(*(click() for _ in range(5)))
    assert sorted(results) == ["recorded"] + ["replayed"] * 4
    assert await count(services, Attempt) == 1


async def test_a_bad_answer_leaves_the_question_open(services: Services, quiz: QuizService) -> None:
    from bot.domain.errors import InvalidAnswer

    async with services.database.unit_of_work() as session:
        served = await quiz.serve(session, ADA, Filters(topic="transformers", kind="mcq"))
    with pytest.raises(InvalidAnswer):
        async with services.database.unit_of_work() as session:
            await quiz.answer(session, served.token, ADA.user_id, "Z")
    async with services.database.unit_of_work() as session:
        assert (await quiz.answer(session, served.token, ADA.user_id, "A")).outcome.grade.correct


async def test_mock_interview_runs_in_order_and_reports(
    services: Services, quiz: QuizService
) -> None:
    mock = services.mock
    async with services.database.unit_of_work() as session:
        step = await mock.start(session, ADA, 3, rng=random.Random(5))
    assert (step.number, step.length) == (1, 3)
    answers = {
        "mcq": "A",
        "short": "keys",
        "open": "It is the lengths times the cosine of the angle between the vectors.",
        "behavioral": "I fixed it and cut cost by 20%.",
    }
    seen = []
    while True:
        seen.append(step.served.question)
        services.clock.advance(seconds=30)
        async with services.database.unit_of_work() as session:
            await quiz.answer(
                session, step.served.token, ADA.user_id, answers[step.served.question.kind]
            )
        async with services.database.unit_of_work() as session:
            following = await mock.advance(
                session, ADA, step.served.mock_token or "", step.served.question.id
            )
        if following is None:
            break
        step = following
    assert len(seen) == 3
    assert seen[-1].kind == "behavioral"
    with pytest.raises(MockAlreadyMoved):
        async with services.database.unit_of_work() as session:
            await mock.advance(session, ADA, step.served.mock_token or "", seen[0].id)
    async with services.database.unit_of_work() as session:
        report = await mock.report(session, ADA.user_id, step.served.mock_token or "")
    assert report.answered == 3
    assert all(a.seconds == pytest.approx(30) for a in report.answers)
    assert report.strongest is not None
    assert set(report.by_topic) == {q.topic for q in seen}


async def test_forget_me_deletes_everything(services: Services, quiz: QuizService) -> None:
    async with services.database.unit_of_work() as session:
        served = await quiz.serve(session, ADA, Filters(topic="transformers", kind="mcq"))
        await quiz.answer(session, served.token, ADA.user_id, "A")
        await quiz.serve(session, BO, Filters())
    async with services.database.unit_of_work() as session:
        assert await forget_user(session, ADA.user_id)
        assert not await forget_user(session, 999)
    async with services.database.unit_of_work() as session:
        left = (await session.scalars(select(ServedQuestion.user_id))).all()
    assert set(left) == {BO.user_id}
    assert await count(services, Attempt) == 0
