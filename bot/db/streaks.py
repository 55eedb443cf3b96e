"""The streaks table: per user and guild, consecutive local days with a daily answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot.db.bulk import rows_by_keys, upsert_rows
from bot.db.models import Streak
from bot.db.upsert import insert
from bot.domain.streaks import StreakState


async def get_streak(session: AsyncSession, *, user_id: int, guild_id: int) -> StreakState:
    """The stored streak for a user in a guild."""
    # Streaks are written with upserts, so the read must not reuse a row cached in the session.
    row = await session.get(Streak, (user_id, guild_id), populate_existing=True)
    return StreakState(row.current, row.best, row.last_day) if row else StreakState()


async def save_streak(
    session: AsyncSession, *, user_id: int, guild_id: int, state: StreakState
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


async def get_streaks(
    session: AsyncSession, *, keys: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], StreakState]:
    """The stored streaks of several (user, guild) pairs, by pair (no row: a new streak)."""
    table = Streak.__table__  # type: ignore[attr-defined]
    wanted = sorted(set(keys))
    rows = await rows_by_keys(session, table, ("user_id", "guild_id"), wanted)
    found = {
        (r["user_id"], r["guild_id"]): StreakState(r["current"], r["best"], r["last_day"])
        for r in rows
    }
    return {key: found.get(key, StreakState()) for key in wanted}


async def save_streaks(
    session: AsyncSession, *, states: Mapping[tuple[int, int], StreakState]
) -> None:
    """Store several streaks in one statement."""
    table = Streak.__table__  # type: ignore[attr-defined]
    rows = [
        {"user_id": u, "guild_id": g, "current": s.current, "best": s.best, "last_day": s.last_day}
        for (u, g), s in states.items()
    ]
    replaced = {name: f"excluded.{name}" for name in ("current", "best", "last_day")}
    await upsert_rows(session, table, rows, conflict=("user_id", "guild_id"), updates=replaced)


async def all_streaks(session: AsyncSession, *, user_id: int) -> list[Streak]:
    """Every streak row of a user."""
    return list(await session.scalars(select(Streak).where(Streak.user_id == user_id)))
