"""Routes component actions to the cog that owns each one (see bot/ui/components.py)."""

from __future__ import annotations

from typing import Any

import discord

from bot.cogs.account import AccountCog
from bot.cogs.admin import AdminCog
from bot.cogs.answering import AnsweringCog
from bot.cogs.daily import DailyCog
from bot.cogs.progress import ProgressCog


class CogHandlers:
    """Implements bot.ui.components.Handlers by delegation."""

    def __init__(self, answering: AnsweringCog, progress: ProgressCog, account: AccountCog) -> None:
        self.answering, self.progress, self.account = answering, progress, account

    async def choose(self, interaction: discord.Interaction[Any], token: str, choice: int) -> None:
        """An option button."""
        await self.answering.choose(interaction, token, choice)

    async def open_answer(self, interaction: discord.Interaction[Any], token: str) -> None:
        """The Answer button."""
        await self.answering.open_answer(interaction, token)

    async def next_question(self, interaction: discord.Interaction[Any], token: str) -> None:
        """The Next button."""
        await self.answering.next_question(interaction, token)

    async def rate(
        self, interaction: discord.Interaction[Any], token: str, attempt_id: int, rating: int
    ) -> None:
        """A self-rating button."""
        await self.answering.rate(interaction, token, attempt_id, rating)

    async def leaderboard_page(
        self, interaction: discord.Interaction[Any], scope: str, period: str, page: int
    ) -> None:
        """A leaderboard pager button."""
        await self.progress.leaderboard_page(interaction, scope, period, page)

    async def drill(self, interaction: discord.Interaction[Any], topic: str, user_id: int) -> None:
        """The drill button."""
        await self.progress.drill(interaction, topic, user_id)

    async def forget(
        self, interaction: discord.Interaction[Any], user_id: int, confirm: bool
    ) -> None:
        """The forget-me confirmation buttons."""
        await self.account.forget(interaction, user_id, confirm)


class DailyRouter:
    """Implements bot.ui.daily.DailyHandlers by delegation."""

    def __init__(self, daily: DailyCog, admin: AdminCog) -> None:
        self.daily, self.admin = daily, admin

    async def daily_choose(
        self, interaction: discord.Interaction[Any], challenge_id: int, choice: int
    ) -> None:
        """A daily option button."""
        await self.daily.daily_choose(interaction, challenge_id, choice)

    async def daily_open(self, interaction: discord.Interaction[Any], challenge_id: int) -> None:
        """The daily Answer button."""
        await self.daily.daily_open(interaction, challenge_id)

    async def reset_confirm(
        self, interaction: discord.Interaction[Any], admin_id: int, member_id: int
    ) -> None:
        """The score-reset confirmation."""
        await self.admin.reset_confirm(interaction, admin_id, member_id)
