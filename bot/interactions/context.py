"""What every handler needs from an interaction: the services, and who is asking where."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.services.quiz import Asker

if TYPE_CHECKING:
    from bot.container import Container


def services(interaction: discord.Interaction[Any]) -> Container:
    """The container of the client this interaction reached."""
    container: Container = interaction.client.container
    return container


def asker_of(interaction: discord.Interaction[Any]) -> Asker:
    """The user and place of an interaction, as plain ids."""
    guild = interaction.guild
    return Asker(
        user_id=interaction.user.id,
        user_name=interaction.user.display_name,
        guild_id=interaction.guild_id,
        guild_name=guild.name if guild else "",
    )
