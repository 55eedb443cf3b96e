"""A slow or hung database: every interaction is acknowledged in time and ends in a clear reply."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import backend_of
from tests.e2e.harness import World
from tests.e2e.test_quiz_flow import ids_starting

TRY_AGAIN = "try again in a moment"
DEFERRED = (5, 6)  # "thinking…", or a silent acknowledgement of a button


@contextlib.asynccontextmanager
async def store_locked(db_url: str) -> AsyncIterator[None]:
    """Another client holds the database's write lock (every table, on PostgreSQL) meanwhile."""
    if backend_of(db_url) == "sqlite":
        path = make_url(db_url).database
        assert path is not None
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("COMMIT")
            holder.close()
        return
    dsn = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "BEGIN; LOCK TABLE users, guilds, scores, served_questions, attempts "
            "IN ACCESS EXCLUSIVE MODE"
        )
        yield
        await conn.execute("COMMIT")
    finally:
        await conn.close()


@pytest.fixture
async def impatient(world: World) -> World:
    """The world restarted with a short database timeout, so a hang is noticed in seconds."""
    world.settings = {"DB_TIMEOUT_SECONDS": 3.0}
    await world.restart()
    return world


async def test_a_hung_database_still_answers_every_command_in_time(impatient: World) -> None:
    world = impatient
    async with store_locked(world.db_url):
        quiz = await world.slash(world.ada, "quiz", {"topic": "transformers"})
        board = await world.slash(world.ada, "leaderboard")
        waiting = [quiz, board]
        if backend_of(world.db_url) == "sqlite":
            # SQLite readers use WAL's snapshot: a held write lock does not stop the board.
            assert (await board.done())["type"] == 4, "the board answers from the snapshot"
            assert "leaderboard" in (await board.wait_message()).text()
            waiting = [quiz]
        for ix in waiting:
            assert (await ix.done())["type"] in DEFERRED, "acknowledged within the deadline"
        for ix in waiting:
            reply = await ix.wait_followup(timeout=10)
            assert TRY_AGAIN in reply.text()
            assert reply.ephemeral, "the apology is private, even after a public placeholder"
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    assert (await ix.wait_message()).buttons(), "service resumes once the store is back"
    assert world.fake.unanswered() == []


async def test_a_slow_answer_is_deferred_then_delivered_and_a_retry_shows_it(
    impatient: World,
) -> None:
    world = impatient
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    choice = ids_starting(question, "gq:a:")[0]
    async with store_locked(world.db_url):
        click = await world.fake.click(world.ada, question, choice, guild=world.guild)
        await asyncio.sleep(2.2)  # past the acknowledgement budget, within the store timeout
    assert (await click.done())["type"] in DEFERRED
    feedback = await click.wait_followup(timeout=10)
    assert "Correct" in feedback.text()
    again = await world.fake.click(world.ada, question, choice, guild=world.guild)
    shown = (await again.done())["data"]
    assert "Already answered" in str(shown) and "Correct" in str(shown), "the recorded verdict"


async def test_a_form_that_cannot_open_in_time_says_so(impatient: World) -> None:
    world = impatient
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "short"})
    question = await ix.wait_message()
    async with store_locked(world.db_url):
        opener = await world.fake.click(
            world.ada, question, ids_starting(question, "gq:m:")[0], guild=world.guild
        )
        reply = await opener.done()
    if backend_of(world.db_url) == "sqlite":
        # The lookup only reads, and SQLite readers see WAL's snapshot past a held write lock.
        assert reply["type"] == 9, "the form opens from the snapshot"
        return
    assert reply["type"] == 4 and TRY_AGAIN in str(reply["data"])
