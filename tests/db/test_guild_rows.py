"""A server's row is ensured on every /quiz: doing so must not queue its members on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from bot.db.engine import Database
from bot.db.guilds import ensure_guild


async def test_ensuring_a_known_guild_takes_no_row_lock(database: Database, now: datetime) -> None:
    if database.dialect != "postgresql":
        pytest.skip("SQLite has one writer anyway; PostgreSQL locks rows")
    async with database.unit_of_work() as session:
        await ensure_guild(session, guild_id=7, name="Study Group", now=now)
    other = Database.from_url(database.engine.url.render_as_string(hide_password=False))
    holding, release = asyncio.Event(), asyncio.Event()

    async def first_member() -> None:
        async with database.unit_of_work() as session:
            await ensure_guild(session, guild_id=7, name="Study Group", now=now)
            holding.set()
            await release.wait()  # the rest of a long /quiz unit of work

    try:
        task = asyncio.create_task(first_member())
        await holding.wait()

        async def second_member() -> None:
            async with other.unit_of_work() as session:
                await ensure_guild(session, guild_id=7, name="Study Group", now=now)

        # Blocked on the first member's row lock, this would wait until release (never).
        await asyncio.wait_for(second_member(), timeout=5)
        release.set()
        await task
    finally:
        release.set()
        await other.dispose()
