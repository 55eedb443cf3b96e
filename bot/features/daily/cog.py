"""/daily: today's challenge for this server, privately, answerable there too."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.container import Container
from bot.features.daily.buttons import challenge_view
from bot.features.daily.render import challenge_embed
from bot.interactions.guard import respond
from bot.interactions.tree import cooldown


class DailyCog(commands.Cog, name="Daily"):
    """The member's side of the daily challenge."""

    def __init__(self, container: Container) -> None:
        self.container = container

    @app_commands.command(
        name="daily", description="Today's daily challenge for this server, and your streak"
    )
    @app_commands.guild_only()
    @cooldown()
    async def daily(self, interaction: discord.Interaction[Any]) -> None:
        """Show today's challenge privately, answerable here too."""
        assert interaction.guild_id is not None
        async with self.container.database.unit_of_work() as session:
            today = await self.container.daily.today(
                session, interaction.guild_id, interaction.user.id
            )
        topic = self.container.bank.topics.get(today.question.topic)
        embed = challenge_embed(
            today.question, topic.name if topic else today.question.topic, today.closes_at
        )
        note = f"Your streak here: {today.streak.current} day(s) (best {today.streak.best})."
        await respond(interaction).send(
            content=note,
            embed=embed,
            view=challenge_view(today.challenge_id, today.question),
            ephemeral=True,
        )
