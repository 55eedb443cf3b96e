"""Shared fixtures: every database test runs on SQLite and, when reachable, PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from bot.bank.bank import Bank, load_bank
from bot.db import migrate
from bot.db.engine import Database, make_engine

TEST_BANK = Path(__file__).parent / "data" / "bank"
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def _pg_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return DEFAULT_PG
    except OSError:
        return None


PG_URL = _pg_url()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head; each test gets a copy (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> str:
    """The PostgreSQL test database, reset to an empty schema and migrated once per session."""
    assert PG_URL is not None

    async def reset() -> None:
        engine = make_engine(PG_URL)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(reset())
    migrate.upgrade(PG_URL)
    return PG_URL


async def _truncate(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        target = tmp_path / "gradient.db"
        shutil.copy(template, target)
        return f"sqlite+aiosqlite:///{target}"
    url = request.getfixturevalue("pg_migrated")
    asyncio.run(_truncate(url))
    return str(url)


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    """A Database on a fresh migrated store."""
    db = Database.from_url(db_url)
    yield db
    await db.dispose()


@pytest.fixture(scope="session")
def test_bank() -> Bank:
    """The small hand-written bank under tests/data/bank."""
    return load_bank(TEST_BANK)


@pytest.fixture
def now() -> datetime:
    """A fixed, aware instant."""
    return datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def backend_of(url: str) -> str:
    """'sqlite' or 'postgresql' for a URL."""
    return make_url(url).get_backend_name()
