"""Reading units of work: a snapshot of the last commit, beside the writer, and never a write."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from bot.db.engine import Database
from bot.db.models import User
from bot.db.users import ensure_user

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


async def users_seen(database: Database) -> int:
    async with database.reading() as session:
        return int((await session.execute(select(func.count()).select_from(User))).scalar_one())


async def test_a_read_runs_beside_an_open_write_and_sees_the_last_commit(
    database: Database,
) -> None:
    async with database.unit_of_work() as session:
        await ensure_user(session, user_id=1, name="ada", now=NOW)
    writing, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with database.unit_of_work() as session:
            await ensure_user(session, user_id=2, name="grace", now=NOW)
            writing.set()
            await release.wait()  # holds SQLite's write lock (a row lock on PostgreSQL)

    task = asyncio.create_task(writer())
    await writing.wait()
    # Not queued behind the writer: it finishes while the write is still open.
    assert await asyncio.wait_for(users_seen(database), timeout=2) == 1
    release.set()
    await task
    assert await users_seen(database) == 2


async def test_a_write_in_a_reading_unit_fails_at_once(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite's reading connections are query-only")
    with pytest.raises(Exception, match=r"readonly|attempt to write"):
        async with database.reading() as session:
            await ensure_user(session, user_id=3, name="linus", now=NOW)
    assert await users_seen(database) == 0


async def test_reading_connections_are_query_only(database: Database) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite only")
    async with database.reading() as session:
        assert (await session.execute(text("PRAGMA query_only"))).scalar() == 1
    async with database.unit_of_work() as session:
        assert (await session.execute(text("PRAGMA query_only"))).scalar() == 0
