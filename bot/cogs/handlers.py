"""Routes component actions to the cog that owns each one (see bot/ui/components.py)."""

from __future__ import annotations

from typing import Any

import discord

from bot.cogs.account import AccountCog
from bot.cogs.answering import AnsweringCog
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
