"""The attempts table: every answer, how it was graded and what it earned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.bulk import rows_by_keys
from bot.db.models import Attempt, User
from bot.domain.errors import AlreadyAnswered
from bot.domain.grades import Grade

MAX_ANSWER = 4000  # characters of an answer kept


@dataclass(frozen=True)
class NewAttempt:
    """An answer to store: who, what, how it was graded and the points it was granted."""

    user_id: int
    guild_id: int | None
    question_id: str
    source: str
    answer: str
    grade: Grade
    served_at: datetime | None
    now: datetime
    daily_challenge_id: int | None = None  # unique per member: the store settles a race
    points: int = 0

    def values(self) -> dict[str, object]:
        """The row's column values."""
        return {
            "user_id": self.user_id,
            "guild_id": self.guild_id,
            "question_id": self.question_id,
            "question_version": 1,
            "source": self.source,
            "daily_challenge_id": self.daily_challenge_id,
            "answer": self.answer[:MAX_ANSWER],
            "correct": self.grade.correct,
            "credit": self.grade.credit,
            "grade_unsure": self.grade.unsure,
            "points": self.points,
            "served_at": self.served_at,
            "answered_at": self.now,
            "response_ms": _response_ms(self.served_at, self.now),
        }


def _response_ms(served_at: datetime | None, now: datetime) -> int | None:
    return int((now - served_at).total_seconds() * 1000) if served_at else None


async def add_attempts(session: AsyncSession, *, rows: Sequence[NewAttempt]) -> list[int]:
    """Store several answers in one statement; returns their ids in the order given.

    A daily challenge takes one answer per member: if one of the rows is a second answer, none
    is stored and AlreadyAnswered is raised (the unit of work stays usable).
    """
    if not rows:
        return []
    if all(row.daily_challenge_id is None for row in rows):
        return await _insert(session, rows)
    # The unique (challenge, user) index settles a race with another process; the savepoint
    # keeps the unit of work usable, so the caller can show what was recorded first.
    try:
        async with session.begin_nested():
            return await _insert(session, rows)
    except IntegrityError as exc:
        raise AlreadyAnswered() from exc


async def _insert(session: AsyncSession, rows: Sequence[NewAttempt]) -> list[int]:
    table = Attempt.__table__  # type: ignore[attr-defined]
    values = [row.values() for row in rows]
    if session.get_bind().dialect.name == "sqlite":
        # SQLite cannot return ids in parameter order from one multi-row INSERT, so SQLAlchemy
        # would send a statement per row. The unit of work holds SQLite's only write lock
        # (BEGIN IMMEDIATE), so the next ids are free to take: number the rows ourselves.
        top = int((await session.execute(select(func.max(Attempt.id)))).scalar_one() or 0)
        ids = list(range(top + 1, top + 1 + len(values)))
        await session.execute(
            insert(table), [{**v, "id": i} for v, i in zip(values, ids, strict=True)]
        )
        return ids
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    result = await session.execute(stmt, values)
    return [int(i) for i in result.scalars()]


async def get_attempt(session: AsyncSession, *, attempt_id: int) -> Attempt | None:
    """An attempt by id."""
    return await session.get(Attempt, attempt_id)


async def set_self_rating(session: AsyncSession, *, attempt_id: int, rating: int) -> None:
    """Record the learner's own rating of an attempt."""
    await session.execute(
        update(Attempt).where(col(Attempt.id) == attempt_id).values(self_rating=rating)
    )


async def regrade(
    session: AsyncSession,
    *,
    attempt_id: int,
    extra_points: int,
    credit: float,
    correct: bool,
) -> int:
    """Replace an attempt's credit and verdict and add to its points; returns its new points."""
    stmt = (
        update(Attempt)
        .where(col(Attempt.id) == attempt_id)
        .values(points=col(Attempt.points) + extra_points, credit=credit, correct=correct)
        .returning(col(Attempt.points))
    )
    return int((await session.execute(stmt)).scalar_one())


async def daily_attempt_id(
    session: AsyncSession, *, daily_challenge_id: int, user_id: int
) -> int | None:
    """The id of a member's answer to a daily challenge, if they answered."""
    return await session.scalar(
        select(Attempt.id).where(
            Attempt.daily_challenge_id == daily_challenge_id, Attempt.user_id == user_id
        )
    )


async def daily_attempt_ids(
    session: AsyncSession, *, answers: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """The ids of the members' answers among (challenge, user) pairs, by pair."""
    table = Attempt.__table__  # type: ignore[attr-defined]
    keys = sorted(set(answers))
    rows = await rows_by_keys(session, table, ("daily_challenge_id", "user_id"), keys)
    return {(row["daily_challenge_id"], row["user_id"]): row["id"] for row in rows}


async def daily_tally(session: AsyncSession, *, daily_challenge_id: int) -> tuple[int, int]:
    """How many answered a daily challenge, and how many of them correctly."""
    answered, correct = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((col(Attempt.correct), 1), else_=0)), 0),
            ).where(col(Attempt.daily_challenge_id) == daily_challenge_id)
        )
    ).one()
    return int(answered), int(correct)


async def first_correct_names(
    session: AsyncSession, *, daily_challenge_id: int, limit: int
) -> tuple[str, ...]:
    """The names of the first members to answer a daily challenge correctly, in order."""
    names = await session.scalars(
        select(User.name)
        .join(Attempt, col(Attempt.user_id) == col(User.id))
        .where(
            col(Attempt.daily_challenge_id) == daily_challenge_id, col(Attempt.correct).is_(True)
        )
        .order_by(col(Attempt.answered_at), col(Attempt.id))
        .limit(limit)
    )
    return tuple(names)


async def recent_question_ids(session: AsyncSession, *, user_id: int, limit: int) -> list[str]:
    """The user's last answered question ids, newest first."""
    rows = await session.scalars(
        select(Attempt.question_id)
        .where(Attempt.user_id == user_id)
        .order_by(col(Attempt.answered_at).desc(), col(Attempt.id).desc())
        .limit(limit)
    )
    return list(rows)


async def answered_since(
    session: AsyncSession, *, user_id: int, since: datetime
) -> list[tuple[datetime, bool]]:
    """When each of the user's answers since `since` was given, and whether it was correct."""
    rows = await session.execute(
        select(Attempt.answered_at, Attempt.correct).where(
            col(Attempt.user_id) == user_id, col(Attempt.answered_at) >= since
        )
    )
    return [(answered_at, correct) for answered_at, correct in rows]
