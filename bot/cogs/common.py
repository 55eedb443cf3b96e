"""Small helpers every cog uses: who is asking, how to respond, and the guarded handler wrapper."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

import discord

from bot.cogs.errors import report
from bot.cogs.respond import ACK_BUDGET_SECONDS, Responder
from bot.domain.errors import StoreUnavailable
from bot.services.quiz import Asker

log = logging.getLogger(__name__)
P = ParamSpec("P")
S = TypeVar("S")


def asker_of(interaction: discord.Interaction[Any]) -> Asker:
    """The user and place of an interaction, as plain ids."""
    guild = interaction.guild
    return Asker(
        user_id=interaction.user.id,
        user_name=interaction.user.display_name,
        guild_id=interaction.guild_id,
        guild_name=guild.name if guild else "",
    )


# A form must be the first response, within 3 s: its lookups get this long, then "try again".
FORM_LOOKUP_SECONDS = 2.0
T = TypeVar("T")
_abandoned: set[asyncio.Task[Any]] = set()


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


Handler = Callable[Concatenate[S, discord.Interaction[Any], P], Awaitable[None]]


def guarded(handler: Handler[S, P]) -> Handler[S, P]:
    """Run a component or modal handler in time and inside the error boundary.

    The handler's Responder starts its acknowledgement budget at once; discord.py swallows errors
    raised in component callbacks, so the boundary is here.
    """
    return _guard(handler, budget=ACK_BUDGET_SECONDS)


def guarded_form(handler: Handler[S, P]) -> Handler[S, P]:
    """Like guarded, for a handler that opens a form: a form cannot follow a deferral, so the
    handler must answer in time by itself (its lookups are bounded by FORM_LOOKUP_SECONDS)."""
    return _guard(handler, budget=None)


def _guard(handler: Handler[S, P], budget: float | None) -> Handler[S, P]:
    @functools.wraps(handler)
    async def wrapper(
        self: S, interaction: discord.Interaction[Any], *args: P.args, **kwargs: P.kwargs
    ) -> None:
        responder = Responder.start(interaction, ephemeral=True, budget=budget)
        try:
            await handler(self, interaction, *args, **kwargs)
        except Exception as error:
            await report(interaction, error)
        finally:
            await responder.close()

    return wrapper  # type: ignore[return-value]


def respond(interaction: discord.Interaction[Any]) -> Responder:
    """The interaction's Responder (made by the tree or by guarded when the handler started)."""
    return Responder.of(interaction)
