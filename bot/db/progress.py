"""Queries for a learner's progress: skills, review cards, scores and streaks. None commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.models import Attempt, Guild, ReviewCard, Score, Streak, TopicStat
from bot.db.upsert import insert
from bot.domain.mastery import Skill
from bot.domain.review import CardState
from bot.domain.streaks import StreakState


def skill_of(row: TopicStat) -> Skill:
    """The mastery belief stored in a topic_stats row."""
    return Skill(row.skill, row.skill_var, row.attempts)


# topic_stats and streaks are written with upserts, not through loaded objects, so reads ask
# for fresh rows: a second answer in the same unit of work must build on the first, never on
# a copy cached earlier in the session.
FRESH = {"populate_existing": True}


async def topic_rows(session: AsyncSession, user_id: int) -> dict[str, TopicStat]:
    """Every topic_stats row of a user, by topic."""
    query = select(TopicStat).where(TopicStat.user_id == user_id).execution_options(**FRESH)
    return {row.topic: row for row in await session.scalars(query)}


async def topic_row(session: AsyncSession, user_id: int, topic: str) -> TopicStat | None:
    """One topic_stats row, fresh."""
    return await session.get(TopicStat, (user_id, topic), populate_existing=True)


async def save_skill(
    session: AsyncSession,
    user_id: int,
    topic: str,
    skill: Skill,
    correct: bool,
    credit: float,
    now: datetime,
) -> None:
    """Store the new belief and bump the counters atomically."""
    table = TopicStat.__table__.c  # type: ignore[attr-defined]
    stmt = insert(session, TopicStat).values(
        user_id=user_id,
        topic=topic,
        attempts=1,
        correct=int(correct),
        credit_sum=credit,
        skill=skill.mean,
        skill_var=skill.var,
        last_answered_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "topic"],
        set_={
            "attempts": table.attempts + 1,
            "correct": table.correct + int(correct),
            "credit_sum": table.credit_sum + credit,
            "skill": skill.mean,
            "skill_var": skill.var,
            "last_answered_at": now,
        },
    )
    await session.execute(stmt)


def card_state(row: ReviewCard) -> CardState:
    """The domain card held by a review_cards row."""
    return CardState(
        row.card_id, row.state, row.step, row.stability, row.difficulty, row.due, row.last_review
    )


async def get_card(session: AsyncSession, user_id: int, question_id: str) -> ReviewCard | None:
    """The user's review card for a question, if any."""
    return await session.get(ReviewCard, (user_id, question_id))


def apply_card(row: ReviewCard, card: CardState) -> None:
    """Copy a domain card onto its row."""
    row.card_id, row.state, row.step = card.card_id, card.state, card.step
    row.stability, row.difficulty = card.stability, card.difficulty
    row.due, row.last_review = card.due, card.last_review


async def due_cards(
    session: AsyncSession,
    user_id: int,
    now: datetime,
    question_ids: Iterable[str] | None = None,
    limit: int = 50,
) -> list[ReviewCard]:
    """Cards due at `now`, most overdue first."""
    query = select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.due <= now)
    if question_ids is not None:
        query = query.where(col(ReviewCard.question_id).in_(list(question_ids)))
    rows = await session.scalars(query.order_by(col(ReviewCard.due)).limit(limit))
    return list(rows)


async def due_count(session: AsyncSession, user_id: int, now: datetime) -> int:
    """How many cards are due."""
    query = (
        select(func.count())
        .select_from(ReviewCard)
        .where(ReviewCard.user_id == user_id, ReviewCard.due <= now)
    )
    return int((await session.execute(query)).scalar_one())


async def next_due(session: AsyncSession, user_id: int) -> datetime | None:
    """When the next card falls due."""
    query = select(func.min(ReviewCard.due)).where(ReviewCard.user_id == user_id)
    value: datetime | None = (await session.execute(query)).scalar_one()
    return value


async def recent_question_ids(session: AsyncSession, user_id: int, limit: int) -> list[str]:
    """The user's last answered question ids, newest first."""
    rows = await session.scalars(
        select(Attempt.question_id)
        .where(Attempt.user_id == user_id)
        .order_by(col(Attempt.answered_at).desc(), col(Attempt.id).desc())
        .limit(limit)
    )
    return list(rows)


async def seen_question_ids(session: AsyncSession, user_id: int) -> frozenset[str]:
    """Every question the user has a review card for (i.e. has answered)."""
    rows = await session.scalars(
        select(ReviewCard.question_id).where(ReviewCard.user_id == user_id)
    )
    return frozenset(rows)


async def add_score(
    session: AsyncSession,
    scope: int,
    period: str,
    start: date,
    user_id: int,
    points: int,
    correct: bool,
) -> int:
    """Atomically add to one score row; returns the row's new points."""
    table = Score.__table__.c  # type: ignore[attr-defined]
    stmt = insert(session, Score).values(
        scope=scope,
        period=period,
        period_start=start,
        user_id=user_id,
        points=points,
        answers=1,
        correct=int(correct),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["scope", "period", "period_start", "user_id"],
        set_={
            "points": table.points + points,
            "answers": table.answers + 1,
            "correct": table.correct + int(correct),
        },
    ).returning(table.points)
    return int((await session.execute(stmt)).scalar_one())


async def add_scores(
    session: AsyncSession,
    rows: Sequence[tuple[int, str, date]],
    user_id: int,
    points: int,
    correct: bool,
) -> None:
    """Atomically add to several score rows (scope, period, start) in one statement."""
    if not rows:
        return
    table = Score.__table__.c  # type: ignore[attr-defined]
    values = [
        {
            "scope": scope,
            "period": period,
            "period_start": start,
            "user_id": user_id,
            "points": points,
            "answers": 1,
            "correct": int(correct),
        }
        for scope, period, start in rows
    ]
    stmt = insert(session, Score).values(values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["scope", "period", "period_start", "user_id"],
        set_={
            "points": table.points + stmt.excluded.points,
            "answers": table.answers + 1,
            "correct": table.correct + stmt.excluded.correct,
        },
    )
    await session.execute(stmt)


async def adjust_scores(
    session: AsyncSession,
    rows: Sequence[tuple[int, str, date]],
    user_id: int,
    points: int,
    correct: int,
) -> None:
    """Add (or take back) points and correct answers on existing score rows, atomically."""
    table = Score.__table__.c  # type: ignore[attr-defined]
    for scope, period, start in rows:
        await session.execute(
            Score.__table__.update()  # type: ignore[attr-defined]
            .where(
                table.scope == scope,
                table.period == period,
                table.period_start == start,
                table.user_id == user_id,
            )
            .values(points=table.points + points, correct=table.correct + correct)
        )


async def adjust_topic(
    session: AsyncSession, user_id: int, topic: str, correct: int, credit: float
) -> None:
    """Correct a topic's counters after a re-rated answer (its mastery belief is left as is)."""
    table = TopicStat.__table__.c  # type: ignore[attr-defined]
    await session.execute(
        TopicStat.__table__.update()  # type: ignore[attr-defined]
        .where(table.user_id == user_id, table.topic == topic)
        .values(correct=table.correct + correct, credit_sum=table.credit_sum + credit)
    )


async def points_on(session: AsyncSession, user_id: int, day: date) -> int:
    """The points a user earned on a UTC day (the row the daily cap reads)."""
    value = await session.scalar(
        select(Score.points).where(
            Score.scope == 0,
            Score.period == "day",
            Score.period_start == day,
            Score.user_id == user_id,
        )
    )
    return int(value or 0)


async def take_back_points(
    session: AsyncSession, scope: int, period: str, start: date, user_id: int, points: int
) -> None:
    """Remove points granted over the cap (same transaction, same row)."""
    table = Score.__table__.c  # type: ignore[attr-defined]
    await session.execute(
        Score.__table__.update()  # type: ignore[attr-defined]
        .where(
            table.scope == scope,
            table.period == period,
            table.period_start == start,
            table.user_id == user_id,
        )
        .values(points=table.points - points)
    )


async def guild_timezone(session: AsyncSession, guild_id: int | None) -> str:
    """A guild's timezone, UTC when there is no guild."""
    if guild_id is None:
        return "UTC"
    zone = (
        await session.execute(select(Guild.timezone).where(Guild.id == guild_id))
    ).scalar_one_or_none()
    return zone or "UTC"


async def season_start(session: AsyncSession, guild_id: int | None) -> date | None:
    """The UTC date a guild's current season began, if it runs seasons."""
    if guild_id is None:
        return None
    started = (
        await session.execute(select(Guild.season_started_at).where(Guild.id == guild_id))
    ).scalar_one_or_none()
    return started.date() if started else None


async def get_streak(session: AsyncSession, user_id: int, guild_id: int) -> StreakState:
    """The stored streak for a user in a guild."""
    row = await session.get(Streak, (user_id, guild_id), populate_existing=True)
    return StreakState(row.current, row.best, row.last_day) if row else StreakState()


async def save_streak(
    session: AsyncSession, user_id: int, guild_id: int, state: StreakState
) -> None:
    """Store a streak."""
    stmt = insert(session, Streak).values(
        user_id=user_id,
        guild_id=guild_id,
        current=state.current,
        best=state.best,
        last_day=state.last_day,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "guild_id"],
        set_={"current": state.current, "best": state.best, "last_day": state.last_day},
    )
    await session.execute(stmt)


async def all_streaks(session: AsyncSession, user_id: int) -> list[Streak]:
    """Every streak row of a user."""
    return list(await session.scalars(select(Streak).where(Streak.user_id == user_id)))
