"""The one error boundary: domain errors become short private replies, bugs become an apology."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import GradientError, StoreUnavailable
from bot.interactions.respond import Responder, TooLateForForm

log = logging.getLogger(__name__)
APOLOGY = (
    "Sorry, something went wrong on my side. It has been logged; please try again in a moment."
)


def message_for(error: BaseException) -> str | None:
    """What to tell the user for an expected failure; None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, GradientError):
        return error.user_message
    if isinstance(error, TooLateForForm):
        return StoreUnavailable.user_message
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Easy there! Try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission for that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that here."
    return None


async def reply_privately(interaction: discord.Interaction[Any], text: str) -> None:
    """An ephemeral message, whether or not the interaction was already acknowledged."""
    embed = discord.Embed(description=text, colour=0xED4245)
    try:
        await Responder.of(interaction).send(embed=embed, ephemeral=True)
    except discord.HTTPException:
        log.warning(
            "could not send an error reply for interaction %s", interaction.id, exc_info=True
        )


async def report(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Answer the user for any failure; log bugs with enough context to reproduce."""
    text = message_for(error)
    if text is None:
        data: dict[str, Any] = dict(interaction.data or {})
        what = data.get("name") or data.get("custom_id") or interaction.type.name
        log.error(
            "unhandled error in %s by user %s in guild %s",
            what,
            interaction.user.id,
            interaction.guild_id,
            exc_info=error,
        )
        text = APOLOGY
    await reply_privately(interaction, text)


async def on_app_command_error(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError
) -> None:
    """tree.on_error: every slash command failure ends here."""
    await report(interaction, error)
    Responder.of(interaction).finish(error)
