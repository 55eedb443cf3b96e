"""The daily_challenges table: one row per guild and local date, claimed before it is posted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.models import DailyChallenge
from bot.db.upsert import insert
from bot.domain.daily import DailyStatus

# Claims are written by statements, not through loaded objects: rows they return replace any
# copy a unit of work holds already.
FRESH = {"populate_existing": True}


async def get_challenge(session: AsyncSession, *, challenge_id: int) -> DailyChallenge | None:
    """A challenge row by id."""
    return await session.get(DailyChallenge, challenge_id)


async def latest(session: AsyncSession, *, guild_id: int) -> DailyChallenge | None:
    """The guild's most recent challenge row."""
    return (
        await session.scalars(
            select(DailyChallenge)
            .where(DailyChallenge.guild_id == guild_id)
            .order_by(col(DailyChallenge.local_date).desc())
            .limit(1)
        )
    ).first()


async def on_day(session: AsyncSession, *, guild_id: int, day: date) -> DailyChallenge | None:
    """The guild's challenge row for a local date, fresh."""
    query = select(DailyChallenge).where(
        DailyChallenge.guild_id == guild_id, DailyChallenge.local_date == day
    )
    return (await session.scalars(query.execution_options(**FRESH))).one_or_none()


async def last_posted_before(
    session: AsyncSession, *, guild_id: int, day: date
) -> DailyChallenge | None:
    """The newest challenge posted before `day` (the one the next post reveals)."""
    return (
        await session.scalars(
            select(DailyChallenge)
            .where(
                DailyChallenge.guild_id == guild_id,
                col(DailyChallenge.local_date) < day,
                DailyChallenge.status == DailyStatus.POSTED,
            )
            .order_by(col(DailyChallenge.local_date).desc())
            .limit(1)
        )
    ).first()


async def used_question_ids(session: AsyncSession, *, guild_id: int) -> list[str]:
    """The guild's past daily questions, oldest first."""
    rows = await session.scalars(
        select(DailyChallenge.question_id)
        .where(DailyChallenge.guild_id == guild_id)
        .order_by(col(DailyChallenge.local_date))
    )
    return list(rows)


async def claim(
    session: AsyncSession,
    *,
    guild_id: int,
    day: date,
    question_id: str,
    channel_id: int,
    now: datetime,
    closes_at: datetime,
) -> DailyChallenge | None:
    """Claim a guild's day with a new row; None when the day has a row already."""
    stmt = (
        insert(session, DailyChallenge)
        .values(
            guild_id=guild_id,
            local_date=day,
            question_id=question_id,
            channel_id=channel_id,
            status=DailyStatus.CLAIMED,
            claimed_at=now,
            closes_at=closes_at,
        )
        .on_conflict_do_nothing(index_elements=["guild_id", "local_date"])
        .returning(DailyChallenge)
    )
    return (await session.scalars(stmt, execution_options=FRESH)).one_or_none()


async def retake(
    session: AsyncSession, *, guild_id: int, day: date, claimed_before: datetime, now: datetime
) -> DailyChallenge | None:
    """Take over a day's claim made before `claimed_before` and never posted; None if none."""
    stmt = (
        update(DailyChallenge)
        .where(
            col(DailyChallenge.guild_id) == guild_id,
            col(DailyChallenge.local_date) == day,
            col(DailyChallenge.status) == DailyStatus.CLAIMED,
            col(DailyChallenge.claimed_at) < claimed_before,
        )
        .values(claimed_at=now)
        .returning(DailyChallenge)
    )
    return (await session.scalars(stmt, execution_options=FRESH)).one_or_none()


async def mark_posted(
    session: AsyncSession, *, challenge_id: int, message_id: int, now: datetime
) -> None:
    """Record that a challenge was sent, and as which message."""
    await session.execute(
        update(DailyChallenge)
        .where(col(DailyChallenge.id) == challenge_id)
        .values(status=DailyStatus.POSTED, message_id=message_id, posted_at=now)
    )


async def mark_revealed(session: AsyncSession, *, challenge_id: int, now: datetime) -> None:
    """Record that a challenge's answer was revealed (it takes no more answers)."""
    await session.execute(
        update(DailyChallenge)
        .where(col(DailyChallenge.id) == challenge_id)
        .values(status=DailyStatus.REVEALED, revealed_at=now)
    )
