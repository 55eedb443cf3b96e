"""next_question asks the store only for what the choice needs, on both engines."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bot.db import review_cards, topic_stats
from bot.db.models import QuestionRow, ReviewCard, TopicStat
from bot.domain.mastery import Skill
from bot.domain.selection import ServedReason
from tests.services.conftest import Services

USER = 1


def _card(question_id: str, due: datetime) -> ReviewCard:
    return ReviewCard(user_id=USER, question_id=question_id, card_id=1, state=2, due=due)


def _row(question_id: str, now: datetime, *, retired: bool = True) -> QuestionRow:
    return QuestionRow(
        id=question_id,
        topic="math-foundations",
        kind="mcq",
        difficulty="easy",
        content_hash="x",
        retired=retired,
        first_seen_at=now,
        updated_at=now,
    )


async def test_due_review_in_the_pool_is_found_behind_many_older_cards(
    services: Services,
) -> None:
    s, now = services, services.clock()
    async with s.database.unit_of_work() as session:
        # Years of use: hundreds of cards on retired questions, all more overdue.
        session.add_all(_row(f"old-{i:03d}", now) for i in range(250))
        await session.flush()
        session.add_all(
            _card(f"old-{i:03d}", now - timedelta(days=30, minutes=i)) for i in range(250)
        )
        session.add(_card("tt-002", now - timedelta(hours=1)))
    async with s.database.unit_of_work() as session:
        served = await s.learning.next_question(session, USER, "transformers", rng=random.Random(0))
    assert (served.question.id, served.reason) == ("tt-002", ServedReason.REVIEW)


async def test_due_among_orders_by_due_then_id_and_keeps_to_the_ids(services: Services) -> None:
    s, now = services, services.clock()
    async with s.database.unit_of_work() as session:
        session.add(_card("tm-003", now - timedelta(hours=2)))
        session.add(_card("tm-002", now - timedelta(hours=2)))  # same moment: the id decides
        session.add(_card("tm-001", now - timedelta(hours=3)))
        session.add(_card("tm-004", now + timedelta(hours=1)))  # not due yet
        session.add(_card("tt-001", now - timedelta(days=9)))  # not among the ids asked about
    ids = ("tm-001", "tm-002", "tm-003", "tm-004", "tm-005")
    async with s.database.unit_of_work() as session:
        due = await review_cards.due_among(
            session, user_id=USER, now=now, question_ids=ids, limit=5
        )
        two = await review_cards.due_among(
            session, user_id=USER, now=now, question_ids=list(ids), limit=2
        )
        none = await review_cards.due_among(
            session, user_id=USER, now=now, question_ids=(), limit=2
        )
        seen = await review_cards.seen_among(session, user_id=USER, question_ids=iter(ids))
    assert due == ["tm-001", "tm-002", "tm-003"]
    assert two == ["tm-001", "tm-002"]
    assert none == []
    assert seen == {"tm-001", "tm-002", "tm-003", "tm-004"}


async def test_the_review_just_answered_gives_way_to_the_next_due(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        await s.learning.submit_answer(session, USER, "tm-002", "31")  # wrong: due in minutes
        await s.learning.submit_answer(session, USER, "tm-003", "0")  # wrong too, answered last
    s.clock.set(s.clock() + timedelta(hours=2))
    async with s.database.unit_of_work() as session:
        served = await s.learning.next_question(session, USER, rng=random.Random(0))
    assert (served.question.id, served.reason) == ("tm-002", ServedReason.REVIEW)


async def test_beliefs_are_read_fresh_within_a_unit_of_work(services: Services) -> None:
    s, now = services, services.clock()
    async with s.database.unit_of_work() as session:
        assert await topic_stats.skills_of(session, user_id=USER) == {}
        session.add(
            TopicStat(
                user_id=USER,
                topic="transformers",
                attempts=4,
                skill=-1.0,
                skill_var=0.5,
                last_answered_at=now,
            )
        )
        await session.flush()
        first = await topic_stats.skills_of(session, user_id=USER)
        # Written by a statement, not through the loaded row: the next read must see it.
        await topic_stats.adjust_topic(
            session, user_id=USER, topic="transformers", correct=1, credit=1.0
        )
        await session.execute(
            TopicStat.__table__.update().values(skill=0.5)  # type: ignore[attr-defined]
        )
        second = await topic_stats.skills_of(session, user_id=USER)
    assert first == {"transformers": (Skill(-1.0, 0.5, 4), now)}
    assert second == {"transformers": (Skill(0.5, 0.5, 4), now)}


async def test_a_servers_own_questions_join_the_pool(services: Services) -> None:
    s, now = services, services.clock()
    own = s.bank.get("tt-003")
    assert own is not None
    custom = own.model_copy(update={"id": "srv-001"})
    async with s.database.unit_of_work() as session:
        session.add(_row("srv-001", now, retired=False))  # as a server's question is stored
        await session.flush()
        session.add(_card("srv-001", now - timedelta(hours=1)))
    async with s.database.unit_of_work() as session:
        served = await s.learning.next_question(
            session, USER, "transformers", extra=[custom], rng=random.Random(0)
        )
    assert (served.question.id, served.reason) == ("srv-001", ServedReason.REVIEW)
