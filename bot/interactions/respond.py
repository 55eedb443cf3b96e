"""Answering an interaction in time, whatever the database does.

Discord drops an interaction that gets no first response within 3 seconds ("This interaction
failed"). A Responder is made when a handler starts: if the handler has not responded after a
short budget, it defers (a "thinking" state, or a silent acknowledgement for buttons) and the
result goes out as a follow-up when it is ready, up to 15 minutes later.

Every first response goes through the Responder's lock, so the deferral can never race a
response the handler is already sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any

import discord

from bot.interactions import telemetry

log = logging.getLogger(__name__)
# A first response must reach Discord within 3 s; deferring at 1.5 s leaves room for a slow
# network and a busy event loop.
ACK_BUDGET_SECONDS = 1.5
_KEY = "gradient.responder"
PLACEHOLDER_STUB = "…"


class TooLateForForm(Exception):
    """A form (modal) can only be the first response, and the interaction was already deferred."""


class Responder:
    """The one way a handler responds: first response, follow-ups, edits, forms."""

    def __init__(
        self,
        interaction: discord.Interaction[Any],
        *,
        ephemeral: bool,
        budget: float | None = ACK_BUDGET_SECONDS,
    ) -> None:
        self.interaction = interaction
        self.ephemeral = ephemeral
        self._lock = asyncio.Lock()
        self._thinking: bool | None = None  # deferred with a placeholder; its visibility
        self._placeholder_used = False
        self._timer: asyncio.Task[None] | None = None
        self._deferring = False
        self.first_response: datetime | None = None  # when the first response went out
        self._recorded = False
        if budget is not None:
            self._timer = asyncio.create_task(self._defer_after(budget), name="ack-budget")

    @classmethod
    def start(
        cls,
        interaction: discord.Interaction[Any],
        *,
        ephemeral: bool,
        budget: float | None = ACK_BUDGET_SECONDS,
    ) -> Responder:
        """Make the interaction's responder as its handler starts, and start its budget."""
        made = cls(interaction, ephemeral=ephemeral, budget=budget)
        interaction.extras[_KEY] = made
        return made

    @classmethod
    def of(cls, interaction: discord.Interaction[Any]) -> Responder:
        """The interaction's responder (made on first use if its handler did not make one)."""
        existing = interaction.extras.get(_KEY)
        if isinstance(existing, Responder):
            return existing
        return cls.start(interaction, ephemeral=True)

    @property
    def done(self) -> bool:
        """Whether the first response (or a deferral) has been sent."""
        return self.interaction.response.is_done()

    async def _defer_after(self, budget: float) -> None:
        await asyncio.sleep(budget)
        self._deferring = True
        await self.defer()

    async def defer(self) -> None:
        """Acknowledge now; the result follows. A no-op once anything was sent."""
        async with self._lock:
            if self.done:
                return
            ix = self.interaction
            # A button (or a form opened from one) can be acknowledged silently and its message
            # edited later; a slash command shows a "thinking" placeholder.
            silent = ix.type is discord.InteractionType.component or (
                ix.type is discord.InteractionType.modal_submit and ix.message is not None
            )
            try:
                if silent:
                    await ix.response.defer()
                else:
                    await ix.response.defer(ephemeral=self.ephemeral, thinking=True)
                    self._thinking = self.ephemeral
                self._responded()
            except discord.HTTPException:
                log.warning("could not defer interaction %s", ix.id, exc_info=True)

    async def send(self, *, ephemeral: bool | None = None, **kwargs: Any) -> None:
        """A new message: the first response, the deferred placeholder's content, or a follow-up."""
        private = self.ephemeral if ephemeral is None else ephemeral
        async with self._lock:
            ix = self.interaction
            if not self.done:
                await ix.response.send_message(ephemeral=private, **kwargs)
                self._responded()
                return
            if self._thinking is not None and not self._placeholder_used:
                self._placeholder_used = True
                if self._thinking != private:
                    # The first follow-up after a deferral fills the placeholder, whose
                    # visibility was fixed when it was deferred. So fill it with a stub, send
                    # the real message as a new follow-up, and remove the stub.
                    await ix.edit_original_response(content=PLACEHOLDER_STUB)
                    await ix.followup.send(ephemeral=private, **kwargs)
                    with contextlib.suppress(discord.HTTPException):
                        await ix.delete_original_response()
                    return
            await ix.followup.send(ephemeral=private, **kwargs)

    async def edit(self, **kwargs: Any) -> None:
        """Edit the message a button was clicked on (or a form was opened from)."""
        async with self._lock:
            if not self.done:
                await self.interaction.response.edit_message(**kwargs)
                self._responded()
            else:
                await self.interaction.edit_original_response(**kwargs)

    async def form(self, modal: discord.ui.Modal) -> None:
        """Open a form; only possible as the first response."""
        async with self._lock:
            if self.done:
                raise TooLateForForm()
            await self.interaction.response.send_modal(modal)
            self._responded()

    def _responded(self) -> None:
        if self.first_response is None:
            self.first_response = telemetry.now()

    def finish(self, error: BaseException | None = None) -> None:
        """Log the interaction's line once: what it was, how fast it was answered, how it ended."""
        if not self._recorded:
            self._recorded = True
            telemetry.record(self.interaction, self.first_response, telemetry.outcome_of(error))

    async def close(self, error: BaseException | None = None) -> None:
        """Stop the budget timer (a deferral under way may finish), then log the interaction."""
        await self._stop_timer()
        self.finish(error)

    async def _stop_timer(self) -> None:
        if self._timer is None:
            return
        if not self._deferring:
            self._timer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._timer
