"""submit_answer, rate_recall and friends, on a migrated database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from bot.db.models import (
    GLOBAL_SCOPE,
    Attempt,
    DailyChallenge,
    Guild,
    ReviewCard,
    Score,
    Streak,
    TopicStat,
)
from bot.domain import scoring
from bot.domain.errors import AlreadyAnswered
from bot.domain.review import Recall
from bot.services.learning import CannotRate
from tests.services.conftest import GUILD, Services


async def scores(s: Services, user_id: int) -> dict[tuple[int, str], int]:
    async with s.database.unit_of_work() as session:
        rows = (await session.scalars(select(Score).where(Score.user_id == user_id))).all()
    return {(r.scope, r.period): r.points for r in rows}


async def test_one_answer_updates_attempt_points_mastery_card_together(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        out = await s.learning.submit_answer(session, 1, "tt-001", "A", guild_id=GUILD)
    assert out.grade.correct
    assert out.points == 20  # medium, full credit
    assert await scores(s, 1) == {
        (GLOBAL_SCOPE, "day"): 20,
        (GLOBAL_SCOPE, "week"): 20,
        (GLOBAL_SCOPE, "month"): 20,
        (GLOBAL_SCOPE, "all"): 20,
        (GUILD, "week"): 20,
        (GUILD, "month"): 20,
        (GUILD, "all"): 20,
    }
    async with s.database.unit_of_work() as session:
        stat = (await session.scalars(select(TopicStat))).one()
        card = (await session.scalars(select(ReviewCard))).one()
        attempt = (await session.scalars(select(Attempt))).one()
    assert stat.skill > 0
    assert stat.skill_var < 1.5
    assert card.due > s.clock()
    assert card.last_attempt_id == attempt.id
    assert attempt.points == 20


async def test_failure_leaves_nothing_behind(services: Services) -> None:
    s = services
    with pytest.raises(RuntimeError):
        async with s.database.unit_of_work() as session:
            await s.learning.submit_answer(session, 1, "tt-001", "A", guild_id=GUILD)
            raise RuntimeError("response failed")
    assert await scores(s, 1) == {}


async def test_repeat_within_cooldown_teaches_but_scores_nothing(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        await s.learning.submit_answer(session, 1, "tt-001", "B")
    s.clock.advance(days=1)
    async with s.database.unit_of_work() as session:
        again = await s.learning.submit_answer(session, 1, "tt-001", "A")
    assert again.grade.correct
    assert again.breakdown.on_cooldown
    assert again.points == 0
    s.clock.advance(days=8)
    async with s.database.unit_of_work() as session:
        later = await s.learning.submit_answer(session, 1, "tt-001", "A")
    assert later.points == 20
    async with s.database.unit_of_work() as session:
        stat = (await session.scalars(select(TopicStat))).one()
    assert (stat.attempts, stat.correct) == (3, 2)


async def test_daily_cap_holds_even_for_concurrent_answers(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        # Pretend most of today's allowance is used.
        await session.execute(
            Score.__table__.insert().values(  # type: ignore[attr-defined]
                scope=GLOBAL_SCOPE,
                period="day",
                period_start=s.clock().date(),
                user_id=2,
                points=scoring.DAILY_CAP - 30,
                answers=10,
                correct=10,
            )
        )

    async def answer(qid: str, response: str) -> int:
        async with s.database.unit_of_work() as session:
            return (await s.learning.submit_answer(session, 2, qid, response)).points

    granted = await asyncio.gather(
        answer("tt-001", "A"), answer("tm-002", "32"), answer("tm-001", "B")
    )
    assert sum(granted) == 30
    assert (await scores(s, 2))[(GLOBAL_SCOPE, "day")] == scoring.DAILY_CAP


async def test_concurrent_answers_from_many_users_all_count(services: Services) -> None:
    s = services

    async def answer(uid: int) -> None:
        async with s.database.unit_of_work() as session:
            await s.learning.submit_answer(session, uid, "tt-001", "A", guild_id=GUILD)

    await asyncio.gather(*(answer(uid) for uid in (1, 2, 3) for _ in range(1)))
    async with s.database.unit_of_work() as session:
        total = (
            (
                await session.execute(
                    select(Score.points).where(Score.scope == GUILD, Score.period == "all")
                )
            )
            .scalars()
            .all()
        )
    assert sorted(total) == [20, 20, 20]


async def test_daily_answers_earn_a_bonus_count_toward_streaks_and_are_unique(
    services: Services,
) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        await session.execute(
            update(Guild).where(col(Guild.id) == GUILD).values(timezone="Asia/Tokyo")
        )
        challenge = DailyChallenge(
            guild_id=GUILD,
            local_date=date(2026, 3, 10),
            question_id="tt-001",
            channel_id=1,
            claimed_at=s.clock(),
            closes_at=s.clock() + timedelta(days=1),
        )
        session.add(challenge)
    async with s.database.unit_of_work() as session:
        out = await s.learning.submit_answer(
            session,
            1,
            "tt-001",
            "A",
            source="daily",
            guild_id=GUILD,
            daily_challenge_id=challenge.id,
        )
    assert out.points == 30
    with pytest.raises(AlreadyAnswered):
        async with s.database.unit_of_work() as session:
            await s.learning.submit_answer(
                session,
                1,
                "tt-001",
                "A",
                source="daily",
                guild_id=GUILD,
                daily_challenge_id=challenge.id,
            )
    async with s.database.unit_of_work() as session:
        streak = (await session.scalars(select(Streak))).one()
        attempts = (await session.scalars(select(Attempt))).all()
    # 12:00 UTC is 21:00 in Tokyo: the local day is 10 March.
    assert (streak.current, streak.best, streak.last_day) == (1, 1, date(2026, 3, 10))
    assert len(attempts) == 1


SSM_ANSWER = (
    "Attention is quadratic in length because every pair of tokens is compared, while an SSM "
    "keeps a fixed size state it updates once per token, so its cost grows linearly."
)


async def test_self_rating_replaces_the_automatic_rating(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        out = await s.learning.submit_answer(
            session, 1, "tm-004", "cosine of the angle; same direction is big, orthogonal is zero"
        )
    async with s.database.unit_of_work() as session:
        auto_due = (await session.get(ReviewCard, (1, "tm-004"))).due  # type: ignore[union-attr]
        easy_due = (await s.learning.rate_recall(session, 1, out.attempt_id, Recall.EASY)).due
    assert easy_due > auto_due
    async with s.database.unit_of_work() as session:
        again_due = (await s.learning.rate_recall(session, 1, out.attempt_id, Recall.AGAIN)).due
        attempt = await session.get(Attempt, out.attempt_id)
    assert again_due < auto_due
    assert attempt is not None
    assert attempt.self_rating == Recall.AGAIN
    with pytest.raises(CannotRate):
        async with s.database.unit_of_work() as session:
            await s.learning.rate_recall(session, 2, out.attempt_id, Recall.GOOD)
    s.clock.advance(minutes=30)
    async with s.database.unit_of_work() as session:
        await s.learning.submit_answer(session, 1, "tm-004", "orthogonal")
    with pytest.raises(CannotRate):
        async with s.database.unit_of_work() as session:
            await s.learning.rate_recall(session, 1, out.attempt_id, Recall.GOOD)


async def test_due_review_is_served_first(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        await s.learning.submit_answer(session, 1, "tm-002", "31")  # wrong: due again in minutes
        for qid, answer in (("tm-001", "B"), ("tt-001", "A")):
            await s.learning.submit_answer(session, 1, qid, answer)
    s.clock.advance(minutes=15)
    async with s.database.unit_of_work() as session:
        due = await s.progress.due_reviews(session, 1)
        served = await s.learning.next_question(session, 1, rng=random.Random(0))
    assert "tm-002" in due.question_ids
    assert (served.question.id, served.reason) == ("tm-002", "review")


async def test_profile_and_weak_topics(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        thin = await s.progress.weak_topics(session, 1)
    assert thin.weakest == ()
    async with s.database.unit_of_work() as session:
        for qid, answer in (("tm-001", "A"), ("tm-002", "1"), ("tm-003", "no"), ("tm-005", "B")):
            await s.learning.submit_answer(session, 1, qid, answer)
        for qid, answer in (
            ("tt-001", "A"),
            ("tt-002", "keys"),
            ("tt-003", SSM_ANSWER),
        ):
            await s.learning.submit_answer(session, 1, qid, answer)
    async with s.database.unit_of_work() as session:
        weak = await s.progress.weak_topics(session, 1)
        profile = await s.progress.profile(session, 1)
    assert [t.topic for t in weak.weakest] == ["math-foundations", "transformers"]
    assert weak.weakest[0].confidence_label != "not enough answers yet"
    assert (profile.answers, profile.correct) == (7, 3)
    assert profile.points == 20 + 10 + 30
    assert [t.topic for t in profile.topics] == ["math-foundations", "transformers"]
    assert profile.topics[1].level > profile.topics[0].level


async def test_leaderboard_pages_and_own_rank(services: Services) -> None:
    s = services
    from bot.db.scores import Tally, add_tallies
    from bot.db.users import ensure_user
    from bot.domain.periods import Period

    async with s.database.unit_of_work() as session:
        for uid in range(10, 35):
            await ensure_user(session, user_id=uid, name=f"p{uid}", now=s.clock())
            # Through bot/db/scores.py, which keeps the boards' points buckets in step.
            board = (GUILD, "week", date(2026, 3, 9))
            await add_tallies(session, tallies={(board, uid): Tally(1000 - uid, 5, 5)})
        await s.learning.submit_answer(session, 1, "tt-001", "A", guild_id=GUILD)
    async with s.database.unit_of_work() as session:
        first = await s.leaderboards.leaderboard(
            session, guild_id=GUILD, period=Period.WEEK, caller_id=1
        )
        last = await s.leaderboards.leaderboard(
            session, guild_id=GUILD, period=Period.WEEK, page=99, caller_id=1
        )
        world = await s.leaderboards.leaderboard(
            session, guild_id=None, period=Period.ALL, caller_id=1
        )
        nobody = await s.leaderboards.leaderboard(
            session, guild_id=GUILD, period=Period.MONTH, caller_id=2
        )
    assert [e.user_id for e in first.entries] == list(range(10, 20))
    assert first.entries[0].rank == 1
    assert first.pages == 3
    assert first.me is not None
    assert (first.me.rank, first.me.points) == (26, 20)
    assert last.page == 2
    assert [e.user_id for e in last.entries][-1] == 1
    assert world.me is not None
    assert world.me.rank == 1
    assert nobody.me is None


async def test_two_answers_in_one_unit_of_work_build_on_each_other(services: Services) -> None:
    s = services
    for user in (1, 2):  # both already have a row for the topic
        async with s.database.unit_of_work() as session:
            await s.learning.submit_answer(session, user, "tm-002", "32")
    async with s.database.unit_of_work() as session:
        await s.learning.submit_answer(session, 1, "tm-001", "B")
        await s.learning.submit_answer(session, 1, "tm-005", "A")
    for qid, answer in (("tm-001", "B"), ("tm-005", "A")):
        async with s.database.unit_of_work() as session:
            await s.learning.submit_answer(session, 2, qid, answer)
    async with s.database.unit_of_work() as session:
        stats = {r.user_id: r for r in (await session.scalars(select(TopicStat))).all()}
    assert stats[1].attempts == stats[2].attempts == 3
    assert stats[1].skill == pytest.approx(stats[2].skill)
    assert stats[1].skill_var == pytest.approx(stats[2].skill_var)


UNSURE_ANSWER = "same direction gives a large value and orthogonal vectors give zero"


async def test_an_unsure_grade_lets_the_self_rating_decide_the_credit(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        out = await s.learning.submit_answer(session, 1, "tm-004", UNSURE_ANSWER)
    assert out.grade.unsure, "every key point stated, yet the model fails it: not sure"
    async with s.database.unit_of_work() as session:
        good = await s.learning.rate_recall(session, 1, out.attempt_id, Recall.GOOD)
        attempt = await session.get(Attempt, out.attempt_id)
        profile = await s.progress.profile(session, 1)
    assert attempt is not None and good.set_credit
    assert (attempt.correct, attempt.credit, attempt.points) == (True, 0.8, 16)
    assert (profile.points, profile.correct) == (16, 1), "the boards follow the rating"
    async with s.database.unit_of_work() as session:
        again = await s.learning.rate_recall(session, 1, out.attempt_id, Recall.AGAIN)
        profile = await s.progress.profile(session, 1)
    assert again.points == 0 and (profile.points, profile.correct) == (0, 0)


async def test_a_sure_grade_keeps_its_credit_whatever_the_rating(services: Services) -> None:
    s = services
    async with s.database.unit_of_work() as session:
        out = await s.learning.submit_answer(session, 1, "tt-003", SSM_ANSWER)
    assert out.grade.correct and not out.grade.unsure
    async with s.database.unit_of_work() as session:
        rated = await s.learning.rate_recall(session, 1, out.attempt_id, Recall.AGAIN)
        attempt = await session.get(Attempt, out.attempt_id)
    assert not rated.set_credit and attempt is not None and attempt.correct
