"""The command tree: every slash command's Responder starts before its handler runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.interactions.respond import Responder

PUBLIC = "public"  # a command's extras key: its reply is posted for everyone to see
T = TypeVar("T")


def cooldown() -> Callable[[T], T]:
    """Per-user rate limit shared by the study commands: generous for study, firm against spam."""
    return app_commands.checks.cooldown(6, 30.0, key=lambda i: i.user.id)


class GradientTree(app_commands.CommandTree[Any]):
    """Starts each command's acknowledgement budget as the interaction arrives."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Every command may run; this is where its Responder is made."""
        if interaction.type is discord.InteractionType.application_command:
            command = interaction.command
            public = bool(getattr(command, "extras", {}).get(PUBLIC))
            Responder.start(interaction, ephemeral=not public)
        return True
