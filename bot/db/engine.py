"""The async engine, SQLite pragmas, and the unit of work every use case runs in."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeAlias

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.domain.errors import StoreUnavailable

log = logging.getLogger(__name__)
SQLITE_BUSY_TIMEOUT_MS = 5000
# How long one unit of work may take before the user is told to try again. Discord lets a
# deferred interaction follow up for 15 minutes, but nobody should wait that long.
UNIT_OF_WORK_TIMEOUT = 8.0
# A pooled connection, or a new one, must come within this; a frozen server never answers.
CONNECT_TIMEOUT = 5.0
# Rolling back a unit of work that timed out must not hang on the same frozen server.
ROLLBACK_TIMEOUT = 2.0
_OUTAGE_WORDS = ("locked", "busy", "timeout", "timed out", "connect", "terminat", "closed")
# A unit of work's session, as services name it: they hand it to bot.db's queries and never
# import SQLAlchemy themselves (ruff's banned-api rule holds that line).
Session: TypeAlias = AsyncSession


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the writer; NORMAL is durable enough with WAL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_connect(dbapi_connection: Any, record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    # Let SQLAlchemy, not the driver, decide when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Any) -> None:
    # A unit of work reads then writes. With a deferred BEGIN, two of them can both read and
    # then fail to upgrade to writing ("database is locked") no matter the busy timeout.
    # BEGIN IMMEDIATE takes the write lock up front, so concurrent units queue instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_reader_connect(dbapi_connection: Any, record: Any) -> None:
    _sqlite_connect(dbapi_connection, record)
    # A reading unit of work that tried to write would fail late ("database is locked" when
    # its deferred transaction upgrades); refuse any write at once instead.
    dbapi_connection.execute("PRAGMA query_only=ON")


def _sqlite_read_begin(connection: Any) -> None:
    # Deferred: a reader takes WAL's snapshot and never waits for (or blocks) the writer.
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str, *, reader: bool = False, **kwargs: Any) -> AsyncEngine:
    """An async engine for SQLite (aiosqlite) or PostgreSQL (asyncpg); `reader`: read-only."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # Writers take turns (Database._turns), so a couple of connections serve them all; each
        # aiosqlite connection is a thread, and overflow ones are opened and closed per burst.
        if parsed.database not in (None, "", ":memory:"):  # an in-memory store has one
            kwargs.setdefault("pool_size", 2)
            kwargs.setdefault("max_overflow", 0)
        engine = create_async_engine(url, **kwargs)
        connect = _sqlite_reader_connect if reader else _sqlite_connect
        event.listen(engine.sync_engine, "connect", connect)
        event.listen(engine.sync_engine, "begin", _sqlite_read_begin if reader else _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_timeout", CONNECT_TIMEOUT)
    kwargs.setdefault("connect_args", {"timeout": CONNECT_TIMEOUT})
    return create_async_engine(url, **kwargs)


def _unreachable(error: BaseException) -> bool:
    """Whether an error means the store is down or too busy, not that the request was wrong."""
    if isinstance(error, (TimeoutError, OSError, InterfaceError)):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    # Other operational errors ("no such table") are bugs to report, not outages to wait out.
    text = str(error).lower()
    return isinstance(error, OperationalError) and any(w in text for w in _OUTAGE_WORDS)


class Database:
    """Owns the engine and hands out one unit of work per use case."""

    def __init__(self, engine: AsyncEngine, timeout: float = UNIT_OF_WORK_TIMEOUT) -> None:
        self.engine = engine
        self.timeout = timeout
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._cleanups: set[asyncio.Task[None]] = set()
        # SQLite has one writer at a time. Left to SQLite's busy handler, waiting connections
        # sleep and retry and can starve for seconds under a burst; an in-process queue hands
        # the store over in arrival order instead. PostgreSQL locks rows, not the store.
        self._turns = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        # Reads of SQLite go through their own connections, outside that queue: in WAL mode
        # they see the last commit and run beside the writer (an in-memory store has no
        # second connection to the same data, so it reads through the writer's queue).
        self._readers = self._sessions
        self._reader: AsyncEngine | None = None
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            self._reader = make_engine(
                engine.url.render_as_string(hide_password=False), reader=True
            )
            self._readers = async_sessionmaker(self._reader, expire_on_commit=False)

    @classmethod
    def from_url(
        cls, url: str, *, timeout: float = UNIT_OF_WORK_TIMEOUT, **kwargs: Any
    ) -> Database:
        """Build a Database from a URL."""
        return cls(make_engine(url, **kwargs), timeout)

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def unit_of_work(self, seconds: float | None = None) -> AsyncIterator[AsyncSession]:
        """A session that commits when the block succeeds and rolls back when it raises.

        The whole block, commit included, is bounded by a timeout; a store that is down, locked
        or frozen becomes StoreUnavailable, which users see as "try again in a moment".
        """
        async with self._unit(self._sessions(), self._turn(), seconds) as session:
            yield session

    @asynccontextmanager
    async def reading(self, seconds: float | None = None) -> AsyncIterator[AsyncSession]:
        """A unit of work that only reads: one consistent snapshot, never queued behind writes.

        On SQLite any write in it fails at once (the connection is query-only).
        """
        turn = self._turn() if self._reader is None else contextlib.nullcontext()
        async with self._unit(self._readers(), turn, seconds) as session:
            yield session

    @asynccontextmanager
    async def _unit(
        self,
        session: AsyncSession,
        turn: contextlib.AbstractAsyncContextManager[None],
        seconds: float | None,
    ) -> AsyncIterator[AsyncSession]:
        try:
            async with asyncio.timeout(self.timeout if seconds is None else seconds):
                async with turn:
                    yield session
                    await session.commit()
        except BaseException as error:
            if isinstance(error, Exception) and _unreachable(error):
                log.warning("unit of work failed: the store is unavailable (%r)", error)
                # Cleaning up may wait on the same stuck connection: do it in the background,
                # so the user hears "try again" while there is still time to answer.
                cleanup = asyncio.create_task(self._discard(session), name="discard-session")
                self._cleanups.add(cleanup)
                cleanup.add_done_callback(self._cleanups.discard)
                raise StoreUnavailable() from error
            await self._discard(session)
            raise
        else:
            await session.close()

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        if self._turns is None:
            yield
            return
        async with self._turns:
            yield

    async def _discard(self, session: AsyncSession) -> None:
        """Roll back and close; a connection that cannot even do that is thrown away."""
        try:
            async with asyncio.timeout(ROLLBACK_TIMEOUT):
                await session.rollback()
                await session.close()
        except Exception:
            with contextlib.suppress(Exception):
                await session.invalidate()

    async def dispose(self) -> None:
        """Finish background clean-ups, then close every pooled connection."""
        if self._cleanups:
            await asyncio.wait(self._cleanups, timeout=ROLLBACK_TIMEOUT * 2)
        if self._reader is not None:
            await self._reader.dispose()
        await self.engine.dispose()
