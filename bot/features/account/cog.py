"""/help and /forget-me."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.container import Container
from bot.features.account.buttons import ForgetButton
from bot.interactions.guard import respond
from bot.ui import embeds, reports


class AccountCog(commands.Cog, name="Account"):
    """Help, and the user's right to be forgotten."""

    def __init__(self, container: Container) -> None:
        self.container = container

    @app_commands.command(name="help", description="What Gradient does and how to use it")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        """The guide, privately."""
        await respond(interaction).send(embed=reports.help_embed(), ephemeral=True)

    @app_commands.command(
        name="forget-me", description="Delete all your Gradient data (answers, points, streaks)"
    )
    async def forget_me(self, interaction: discord.Interaction[Any]) -> None:
        """Ask for confirmation first."""
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetButton(interaction.user.id, confirm=True))
        view.add_item(ForgetButton(interaction.user.id, confirm=False))
        text = (
            "This deletes **everything** Gradient stores about you: every answer, your points, "
            "streaks, mastery and review schedule, in every server. It cannot be undone."
        )
        await respond(interaction).send(
            embed=embeds.notice(text, 0xED4245, "Delete all your data?"), view=view, ephemeral=True
        )
