"""Small helpers every cog uses: who is asking, how to reply, and the guarded handler wrapper."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import discord

from bot.cogs.errors import report
from bot.services.quiz import Asker

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


async def reply(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
    """Send a message as the response, or as a follow-up when already acknowledged."""
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def guarded(
    handler: Callable[Concatenate[S, discord.Interaction[Any], P], Awaitable[None]],
) -> Callable[Concatenate[S, discord.Interaction[Any], P], Awaitable[None]]:
    """Run a component or modal handler inside the error boundary (discord.py swallows errors)."""

    @functools.wraps(handler)
    async def wrapper(
        self: S, interaction: discord.Interaction[Any], *args: P.args, **kwargs: P.kwargs
    ) -> None:
        try:
            await handler(self, interaction, *args, **kwargs)
        except Exception as error:
            await report(interaction, error)

    return wrapper  # type: ignore[return-value]
