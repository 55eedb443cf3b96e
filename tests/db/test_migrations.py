"""Alembic is the schema authority: upgrade, downgrade, and models that match the migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import bot.db.models  # noqa: F401
from bot.db import migrate
from bot.db.engine import make_engine
from tests.conftest import PG_URL

EXPECTED = {
    "users",
    "guilds",
    "questions",
    "attempts",
    "topic_stats",
    "review_cards",
    "scores",
    "score_buckets",
    "streaks",
    "daily_challenges",
    "served_questions",
    "mock_sessions",
    "app_state",
    "question_reports",
}


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def _inspect(url: str) -> tuple[set[str], list[object]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_tables), await conn.run_sync(_diff)
    finally:
        await engine.dispose()


def check_round_trip(url: str) -> None:
    """Upgrade an empty database, compare with the models, downgrade to nothing."""
    migrate.upgrade(url)
    tables, diff = asyncio.run(_inspect(url))
    assert tables == EXPECTED
    assert diff == [], f"models and migrations disagree: {diff}"
    assert migrate.current(url) == migrate.head_revision()
    migrate.downgrade(url, "base")
    tables, _ = asyncio.run(_inspect(url))
    assert tables == set()
    assert migrate.current(url) is None


def test_sqlite_upgrade_matches_models_and_downgrades(tmp_path: Path) -> None:
    check_round_trip(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")


@pytest.mark.skipif(PG_URL is None, reason="PostgreSQL not reachable")
def test_postgresql_upgrade_matches_models_and_downgrades() -> None:
    assert PG_URL is not None
    # A separate database keeps this test away from the shared migrated one.
    base_url = PG_URL.rsplit("/", 1)[0]

    async def fresh() -> None:
        engine = make_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text("DROP DATABASE IF EXISTS gradient_migration_test"))
            await conn.execute(text("CREATE DATABASE gradient_migration_test"))
        await engine.dispose()

    asyncio.run(fresh())
    check_round_trip(f"{base_url}/gradient_migration_test")
