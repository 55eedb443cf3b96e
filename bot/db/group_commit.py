"""Group commit: requests that arrive together share one unit of work and one commit.

A commit (an fsync on SQLite, a WAL flush and a round trip on PostgreSQL) costs far more than
the rows an answer writes. While one batch commits, the requests arriving queue up; the next
batch takes them all. Under no load a request runs alone at once, so nobody waits for company.
Each caller's result is handed back only after its batch has committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.domain.errors import GradientError, StoreUnavailable

log = logging.getLogger(__name__)
Req = TypeVar("Req")
Res = TypeVar("Res")
# A batch's work: one result or one refusal per request, in order; it never commits.
Work = Callable[[AsyncSession, Sequence[Req]], Awaitable[list[Res | GradientError]]]
MAX_BATCH = 64


class GroupCommit(Generic[Req, Res]):
    """Runs concurrent requests in shared units of work and hands each its own result."""

    def __init__(self, database: Database, work: Work[Req, Res], *, max_batch: int = MAX_BATCH):
        self.database = database
        self.work = work
        self.max_batch = max_batch
        self._pending: list[tuple[Req, asyncio.Future[Res | GradientError]]] = []
        # One batch at a time: SQLite has one writer, and on PostgreSQL (measured) concurrent
        # batches only made each smaller. Rows are still written in key order.
        self._runner: asyncio.Task[None] | None = None
        self.batches = 0  # for benchmarks and tests: how many units of work ran

    async def submit(self, request: Req) -> Res:
        """Run a request in the next batch; returns once that batch has committed."""
        future: asyncio.Future[Res | GradientError] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._drain(), name="group-commit")
        # The batch runs even if this caller gives up waiting: its answer is recorded, and a
        # retry shows it.
        result = await asyncio.shield(future)
        if isinstance(result, GradientError):
            raise result
        return result

    async def _drain(self) -> None:
        while self._pending:
            # Let requests that arrived in the same moment join this batch.
            await asyncio.sleep(0)
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            await self._run(batch)

    async def _run(self, batch: list[tuple[Req, asyncio.Future[Res | GradientError]]]) -> None:
        self.batches += 1
        try:
            async with self.database.unit_of_work() as session:
                results = await self.work(session, [request for request, _ in batch])
        except asyncio.CancelledError:
            for _, future in batch:
                future.cancel()
            raise
        except StoreUnavailable:
            # The queue waits on the same store: tell everyone now rather than one timeout per
            # batch later. Each caller gets its own exception (tracebacks are not shared).
            waiting, self._pending = [*batch, *self._pending], []
            for _, future in waiting:
                _fail(future, StoreUnavailable())
            return
        except Exception as error:
            if len(batch) == 1:
                _fail(batch[0][1], error)
                return
            # One request broke the batch: run each alone, so only that one fails.
            log.warning("a batch of %d failed (%r); retrying one by one", len(batch), error)
            for item in batch:
                await self._run([item])
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
