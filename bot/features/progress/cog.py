"""/stats, /weak and /leaderboard, with the drill and pager buttons."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.container import Container
from bot.features.progress.board import board_message
from bot.features.progress.drill import DrillButton
from bot.interactions.guard import respond
from bot.interactions.tree import PUBLIC, cooldown
from bot.ui import reports
from bot.ui.charts import TopicBar, render_stats_png

PERIODS = [
    app_commands.Choice(name="this week", value="week"),
    app_commands.Choice(name="this month", value="month"),
    app_commands.Choice(name="all time", value="all"),
    app_commands.Choice(name="this season", value="season"),
]
SCOPES = [
    app_commands.Choice(name="this server", value="server"),
    app_commands.Choice(name="global", value="global"),
]


class ProgressCog(commands.Cog, name="Progress"):
    """Where learners see how they are doing."""

    def __init__(self, container: Container) -> None:
        self.container = container

    @app_commands.command(
        name="stats",
        description="Answers, accuracy, streaks and mastery per topic, with a chart",
        extras={PUBLIC: True},
    )
    @app_commands.describe(member="Whose stats to show (default: yours)")
    @cooldown()
    async def stats(
        self, interaction: discord.Interaction[Any], member: discord.User | None = None
    ) -> None:
        """Profile plus a chart rendered off the event loop."""
        # The chart takes a moment to draw, so acknowledge first.
        await respond(interaction).defer()
        who = member or interaction.user
        async with self.container.database.reading() as session:
            profile = await self.container.progress.profile(session, who.id, interaction.guild_id)
            activity = await self.container.progress.activity(session, who.id)
        bars = [TopicBar(t.name, t.level, t.confidence) for t in profile.topics]
        days = [(a.day, a.answers, a.correct) for a in activity]
        png = await asyncio.to_thread(render_stats_png, bars, days)
        await respond(interaction).send(
            embed=reports.profile(profile, who.display_name),
            file=discord.File(io.BytesIO(png), "stats.png"),
        )

    @app_commands.command(
        name="weak", description="Your weakest topics, and a button to drill the weakest"
    )
    @cooldown()
    async def weak(self, interaction: discord.Interaction[Any]) -> None:
        """Weak topics with confidence."""
        async with self.container.database.reading() as session:
            weak = await self.container.progress.weak_topics(session, interaction.user.id)
        view = discord.ui.View(timeout=None)
        if weak.weakest:
            first = weak.weakest[0]
            view.add_item(DrillButton(interaction.user.id, first.topic, first.name))
        await respond(interaction).send(
            embed=reports.weak(weak, self.container.bank), view=view, ephemeral=True
        )

    @app_commands.command(
        name="leaderboard",
        description="Top 10 by points, with your own rank",
        extras={PUBLIC: True},
    )
    @app_commands.describe(
        period="Which period (default: this week)", scope="This server or everyone"
    )
    @app_commands.choices(period=PERIODS, scope=SCOPES)
    @cooldown()
    async def leaderboard(
        self,
        interaction: discord.Interaction[Any],
        period: app_commands.Choice[str] | None = None,
        scope: app_commands.Choice[str] | None = None,
    ) -> None:
        """The first page."""
        chosen_scope = (
            "s" if (scope is None or scope.value == "server") and interaction.guild_id else "g"
        )
        message = await board_message(
            interaction, chosen_scope, period.value if period else "week", 0
        )
        await respond(interaction).send(**message)
