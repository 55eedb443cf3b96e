"""Test helpers: a started-and-patched fake, and a discord.py client connected to it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from typing import Any, TypeVar

import discord
import pytest

from .fake import FakeDiscord

T = TypeVar("T")
ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.asynccontextmanager
async def running_fake(**kwargs: Any) -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py patched to use it; unpatched and stopped on exit."""
    fake = FakeDiscord(**kwargs)
    await fake.start()
    try:
        with fake.patched():
            yield fake
    finally:
        await fake.stop()


fake_discord = running_fake


async def _race(awaitable: Awaitable[T], task: asyncio.Task[Any], seconds: float, what: str) -> T:
    """Await something while watching the client task, so a crashed start() fails fast."""
    waiter = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait(
        {waiter, task}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED
    )
    if waiter in done:
        return waiter.result()
    waiter.cancel()
    with contextlib.suppress(asyncio.CancelledError, AssertionError):
        await waiter
    if task in done:
        task.result()  # re-raises the client's own error (LoginFailure, ConnectionClosed...)
        raise AssertionError(f"client.start() returned before {what}")
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


@contextlib.asynccontextmanager
async def connected(
    fake: FakeDiscord,
    client: ClientT,
    *,
    timeout: float = 10.0,  # noqa: ASYNC109
) -> AsyncIterator[ClientT]:
    """Run client.start(fake.token) until READY; close it and surface its errors on exit."""
    task = asyncio.create_task(client.start(fake.token), name="fake-discord-client")
    body_failed = False
    try:
        await _race(fake.wait_ready(timeout), task, timeout, "the fake's READY")
        await _race(client.wait_until_ready(), task, timeout, "the client's on_ready")
        yield client
    except BaseException:
        body_failed = True
        raise
    finally:
        await client.close()
        try:
            await asyncio.wait_for(task, timeout)
        except BaseException:
            # the body's own failure is the interesting one; otherwise the client's error is
            if not body_failed:
                raise


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    """A started, patched FakeDiscord that must end the test with no violations."""
    async with running_fake() as fake:
        yield fake
        assert fake.violations == [], fake.violations
        assert fake.unknown_routes == [], fake.unknown_routes
