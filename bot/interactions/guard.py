"""Running a component or form handler in time and inside the error boundary.

discord.py swallows errors raised in component callbacks, so every button and form handler runs
through `run_guarded`: its Responder starts the acknowledgement budget at once, and any failure
becomes a short private reply.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import discord

from bot.domain.errors import StoreUnavailable
from bot.interactions.boundary import report
from bot.interactions.respond import ACK_BUDGET_SECONDS, Responder

log = logging.getLogger(__name__)
T = TypeVar("T")
# A form must be the first response, within 3 s: its lookups get this long, then "try again".
FORM_LOOKUP_SECONDS = 2.0
_abandoned: set[asyncio.Task[Any]] = set()


async def run_guarded(
    interaction: discord.Interaction[Any],
    handler: Callable[[], Awaitable[None]],
    *,
    opens_form: bool = False,
) -> None:
    """Run a handler with a Responder, reporting any failure privately.

    A form cannot follow a deferral, so a handler that opens one gets no deferral budget: it
    must answer in time by itself (its lookups are bounded with `in_time`).
    """
    budget = None if opens_form else ACK_BUDGET_SECONDS
    responder = Responder.start(interaction, ephemeral=True, budget=budget)
    failure: BaseException | None = None
    try:
        await handler()
    except Exception as error:
        failure = error
        await report(interaction, error)
    finally:
        await responder.close(failure)


async def in_time(work: Coroutine[Any, Any, T], seconds: float = FORM_LOOKUP_SECONDS) -> T:
    """The result of `work` if it finishes within `seconds`; StoreUnavailable otherwise.

    The work is left to finish in the background rather than cancelled: cancelling a query can
    itself wait on the stuck connection, which would spend the time the reply needs.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    _abandoned.add(task)
    task.add_done_callback(_forget)
    raise StoreUnavailable()


def _forget(task: asyncio.Task[Any]) -> None:
    _abandoned.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.info("a lookup that ran out of time failed later: %r", task.exception())


def respond(interaction: discord.Interaction[Any]) -> Responder:
    """The interaction's Responder (made by the tree, or when its handler started)."""
    return Responder.of(interaction)
