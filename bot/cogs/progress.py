"""/stats, /weak and /leaderboard, with the drill and pager buttons."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import asker_of, guarded, respond
from bot.cogs.quiz import cooldown, render_served
from bot.cogs.tree import PUBLIC
from bot.container import Container
from bot.domain.errors import GradientError
from bot.domain.periods import Period
from bot.services.quiz import Filters
from bot.ui import reports
from bot.ui.charts import TopicBar, render_stats_png
from bot.ui.components import DrillButton, PageButton

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
        async with self.container.database.unit_of_work() as session:
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
        async with self.container.database.unit_of_work() as session:
            weak = await self.container.progress.weak_topics(session, interaction.user.id)
        view = discord.ui.View(timeout=None)
        if weak.weakest:
            first = weak.weakest[0]
            view.add_item(DrillButton(interaction.user.id, first.topic, first.name))
        await respond(interaction).send(
            embed=reports.weak(weak, self.container.bank), view=view, ephemeral=True
        )

    @guarded
    async def drill(self, interaction: discord.Interaction[Any], topic: str, user_id: int) -> None:
        """The drill button: a question in that topic, for the user who asked."""
        if interaction.user.id != user_id:
            raise GradientError("That button belongs to someone else. Try /weak yourself!")
        if topic not in self.container.bank.topics:
            raise GradientError("That topic is no longer in the bank.")
        asker = asker_of(interaction)
        async with self.container.database.unit_of_work() as session:
            served = await self.container.quiz.serve(session, asker, Filters(topic=topic))
        message = render_served(self.container, served, asker.user_name)
        await respond(interaction).send(ephemeral=False, **message)

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
        message = await self._page(interaction, chosen_scope, period.value if period else "week", 0)
        await respond(interaction).send(**message)

    async def _page(
        self, interaction: discord.Interaction[Any], scope: str, period: str, page: int
    ) -> dict[str, Any]:
        if period not in {"week", "month", "all", "season"} or scope not in {"s", "g"}:
            raise GradientError("That leaderboard doesn't exist.")
        guild_id = interaction.guild_id if scope == "s" else None
        if scope == "s" and guild_id is None:
            raise GradientError("The server leaderboard only works in a server.")
        async with self.container.database.unit_of_work() as session:
            board = await self.container.leaderboards.leaderboard(
                session,
                guild_id=guild_id,
                period=Period(period),
                page=page,
                caller_id=interaction.user.id,
            )
        title = interaction.guild.name if scope == "s" and interaction.guild else "Global"
        view = discord.ui.View(timeout=None)
        view.add_item(
            PageButton(scope, period, max(board.page - 1, 0), "prev", disabled=board.page == 0)
        )
        view.add_item(
            PageButton(
                scope, period, board.page + 1, "next", disabled=board.page + 1 >= board.pages
            )
        )
        if board.me is not None:
            mine = (board.me.rank - 1) // 10
            view.add_item(PageButton(scope, period, mine, "me", disabled=mine == board.page))
        return {"embed": reports.leaderboard(board, title), "view": view}

    @guarded
    async def leaderboard_page(
        self, interaction: discord.Interaction[Any], scope: str, period: str, page: int
    ) -> None:
        """A pager button: anyone may page; "your rank" is the clicker's."""
        message = await self._page(interaction, scope, period, page)
        await respond(interaction).edit(**message)
