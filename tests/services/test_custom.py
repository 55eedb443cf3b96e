"""Server questions and reports on the store: stored, served only in their server, reported."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from bot.bank.custom import validate_rows
from bot.db.models import QuestionRow
from bot.db.questions import sync_questions
from bot.services.custom import CustomQuestionService, NotThisServersQuestion
from bot.services.quiz import Asker, Filters
from tests.services.conftest import GUILD, Services

OTHER_GUILD = 777
EXPLAIN = "Because a window keeps every row. A GROUP BY collapses rows into one per group instead."
ROW = {
    "topic": "transformers",
    "kind": "short",
    "difficulty": "easy",
    "tags": ["custom"],
    "prompt": "Which SQL feature computes a running total without collapsing rows?",
    "answers": ["window function", "window functions"],
    "explanation": EXPLAIN,
}


@pytest.fixture
def custom(services: Services) -> CustomQuestionService:
    return services.custom


async def add_one(services: Services, custom: CustomQuestionService, guild: int = GUILD) -> str:
    [question] = validate_rows([ROW], ["transformers"])
    async with services.database.unit_of_work() as session:
        [stored] = await custom.add_many(session, guild, "g", 1, [question])
    return stored.id


async def test_added_questions_are_only_visible_in_their_server(
    services: Services, custom: CustomQuestionService
) -> None:
    qid = await add_one(services, custom)
    assert qid.startswith("s") and len(qid) <= 32
    async with services.database.unit_of_work() as session:
        assert (await custom.get(session, qid, GUILD)) is not None
        assert await custom.get(session, qid, OTHER_GUILD) is None
        assert await custom.get(session, qid, None) is None
        assert [q.id for q in await custom.active(session, GUILD)] == [qid]
        assert await custom.active(session, OTHER_GUILD) == []


async def test_quiz_serves_server_questions_there_and_never_elsewhere(
    services: Services, custom: CustomQuestionService
) -> None:
    qid = await add_one(services, custom)
    quiz = services.quiz
    here, there, dm = Asker(1, "ada", GUILD, "g"), Asker(2, "bo", OTHER_GUILD, "h"), Asker(3, "cy")
    rng = random.Random(0)
    async with services.database.unit_of_work() as session:
        home = {
            (
                await quiz.serve(
                    session, here, Filters(topic="transformers", kind="short"), rng=rng
                )
            ).question.id
            for _ in range(6)
        }
        away = {
            (await quiz.serve(session, there, Filters(topic="transformers"), rng=rng)).question.id
            for _ in range(30)
        }
        private = {
            (await quiz.serve(session, dm, Filters(topic="transformers"), rng=rng)).question.id
            for _ in range(30)
        }
    assert qid in home
    assert qid not in away | private
    async with services.database.unit_of_work() as session:
        served = await quiz.serve(
            session, here, Filters(topic="transformers", kind="short"), rng=random.Random(1)
        )
        while served.question.id != qid:
            served = await quiz.serve(
                session, here, Filters(topic="transformers", kind="short"), rng=rng
            )
        outcome = (await quiz.answer(session, served.token, 1, "window functions")).outcome
    assert outcome.grade.correct


async def test_remove_retires_and_export_lists(
    services: Services, custom: CustomQuestionService
) -> None:
    qid = await add_one(services, custom)
    async with services.database.unit_of_work() as session:
        assert "running total" in await custom.export(session, GUILD)
        with pytest.raises(NotThisServersQuestion):
            await custom.remove(session, OTHER_GUILD, qid)
        with pytest.raises(NotThisServersQuestion):
            await custom.remove(session, GUILD, "tm-001")  # bank questions are not the server's
        await custom.remove(session, GUILD, qid)
        assert await custom.active(session, GUILD) == []
        row = await session.get(QuestionRow, qid)
    assert row is not None and row.retired  # kept for the answers that point at it


async def test_bank_sync_leaves_server_questions_alone(
    services: Services, custom: CustomQuestionService
) -> None:
    qid = await add_one(services, custom)
    async with services.database.unit_of_work() as session:
        report = await sync_questions(
            session, questions=services.bank.questions.values(), now=services.clock()
        )
        row = await session.get(QuestionRow, qid)
    assert report.retired == 0
    assert row is not None and not row.retired


async def test_reports_keep_the_version_seen(
    services: Services, custom: CustomQuestionService
) -> None:
    reports = services.reports
    async with services.database.unit_of_work() as session:
        first = await reports.report(
            session, 1, "ada", GUILD, "tm-001", "Choice A is also defensible."
        )
        row = await session.get(QuestionRow, "tm-001")
        assert row is not None
        row.version = 2
        await reports.report(session, 2, "bo", OTHER_GUILD, "tm-001", "Typo in the prompt.")
    async with services.database.unit_of_work() as session:
        mine = await reports.for_guild(session, GUILD)
        everything = await reports.everything(session)
    assert (first.question_version, [r.text for r in mine]) == (1, ["Choice A is also defensible."])
    assert [r.question_version for r in everything] == [1, 2]


async def test_daily_can_draw_on_server_questions(
    services: Services, custom: CustomQuestionService
) -> None:
    from datetime import time

    qid = await add_one(services, custom)
    daily = services.daily
    async with services.database.unit_of_work() as session:
        await daily.configure(
            session,
            GUILD,
            "g",
            channel_id=1,
            at=time(0, 0),
            timezone="UTC",
            topics=["transformers"],
            difficulty="easy",
            include_custom=True,
        )
        pool = daily.pool(["transformers"], "easy", await custom.active(session, GUILD))
    assert qid in pool
    async with services.database.unit_of_work() as session:
        rows = (
            await session.scalars(select(QuestionRow.id).where(QuestionRow.guild_id == GUILD))
        ).all()
    assert rows == [qid]
