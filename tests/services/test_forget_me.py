"""/forget-me removes every row about the user, in every table, whatever tables come later."""

from __future__ import annotations

from sqlalchemy import Column, func, select
from sqlmodel import SQLModel

from bot.bank.custom import validate_rows
from bot.domain.review import Recall
from bot.services.account import forget_user
from bot.services.quiz import Asker, Filters
from tests.services.conftest import GUILD, Services

ADA = 1


def user_columns() -> list[Column]:  # type: ignore[type-arg]
    """Every column in the schema that holds a user id: a key to users, or an author."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            to_users = any(fk.column.table.name == "users" for fk in column.foreign_keys)
            named = column.name in {"created_by", "user_id"}
            the_user = table.name == "users" and column.name == "id"
            if the_user or (table.name != "users" and (to_users or named)):
                found.append(column)
    return found


async def rows_about(services: Services, user_id: int) -> dict[str, int]:
    counts = {}
    async with services.database.unit_of_work() as session:
        for column in user_columns():
            counted = select(func.count()).select_from(column.table).where(column == user_id)
            counts[f"{column.table.name}.{column.name}"] = int(await session.scalar(counted) or 0)
    return counts


async def test_forget_me_leaves_nothing_about_the_user(services: Services) -> None:
    asker = Asker(ADA, "ada", GUILD, "Study Group")
    async with services.database.unit_of_work() as session:
        served = await services.quiz.serve(
            session, asker, Filters(topic="transformers", kind="mcq")
        )
        await services.quiz.answer(session, served.token, ADA, "A")
        step = await services.mock.start(session, asker, 3)
        opened = await services.quiz.serve(
            session, asker, Filters(topic="transformers", kind="open")
        )
        answered = await services.quiz.answer(
            session, opened.token, ADA, "Attention is quadratic in length."
        )
        await services.learning.rate_recall(session, ADA, answered.outcome.attempt_id, Recall.GOOD)
        await services.reports.report(session, ADA, "ada", GUILD, "tt-001", "B is also right")
        [question] = validate_rows(
            [
                {
                    "topic": "math-foundations",
                    "kind": "short",
                    "difficulty": "easy",
                    "tags": ["custom"],
                    "prompt": "Which clause filters groups after aggregation?",
                    "answers": ["HAVING"],
                    "explanation": "WHERE runs before grouping, so only HAVING can see the "
                    "aggregates that grouping produces.",
                }
            ],
            services.bank.concept_topics(),
        )
        await services.custom.add_many(session, GUILD, "Study Group", ADA, [question])
    assert step.served.question
    before = await rows_about(services, ADA)
    untouched = [name for name, count in before.items() if count == 0 and "streaks" not in name]
    assert untouched == [], f"the test must put data in every table about users: {untouched}"
    async with services.database.unit_of_work() as session:
        assert await forget_user(session, ADA)
    after = await rows_about(services, ADA)
    assert {name: count for name, count in after.items() if count} == {}
    assert (await rows_about(services, 2)) == dict.fromkeys(after, 0) | {"users.id": 1}
