"""The discord.py client: lifecycle only. Features live in cogs wired from the container."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from bot.cogs.account import AccountCog
from bot.cogs.answering import AnsweringCog
from bot.cogs.errors import on_app_command_error, reply_privately
from bot.cogs.handlers import CogHandlers
from bot.cogs.progress import ProgressCog
from bot.cogs.quiz import QuizCog
from bot.cogs.sync import sync_if_changed
from bot.container import Container
from bot.ui.components import DYNAMIC_ITEMS, is_ours

log = logging.getLogger(__name__)
STALE_BUTTON = "That button is from an older version of Gradient. Run /quiz for a fresh question."


def intents() -> discord.Intents:
    """Only the guilds intent: Gradient needs no privileged intents."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class GradientBot(commands.Bot):
    """Gradient's client: setup runs in setup_hook, never on_ready (which re-runs on reconnect)."""

    def __init__(self, container: Container, **options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            member_cache_flags=discord.MemberCacheFlags.none(),
            max_messages=None,
            help_command=None,
            **options,
        )
        self.container = container
        self.answering = AnsweringCog(container)
        progress, account = ProgressCog(container), AccountCog(container)
        self.handlers = CogHandlers(self.answering, progress, account)
        self._cogs_to_add: list[commands.Cog] = [
            QuizCog(container),
            self.answering,
            progress,
            account,
        ]

    async def setup_hook(self) -> None:
        """Runs once per process, before connecting: cogs, persistent buttons, command sync."""
        for cog in self._cogs_to_add:
            await self.add_cog(cog)
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        self.tree.error(on_app_command_error)
        assert self.application_id is not None
        await sync_if_changed(
            self.tree,
            self.container.database,
            self.application_id,
            self.container.settings.dev_guild_id,
        )
        log.info("Gradient ready to serve %d questions", len(self.container.bank))

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Answer modals (restart-safe) and buttons no handler knows (forged or stale)."""
        if await self.answering.dispatch_modal(interaction):
            return
        if interaction.type is discord.InteractionType.component:
            custom_id = str(dict(interaction.data or {}).get("custom_id", ""))
            if not is_ours(custom_id):
                await reply_privately(interaction, STALE_BUTTON)

    async def on_ready(self) -> None:
        """Log who we are; nothing to set up here."""
        log.info("connected as %s in %d servers", self.user, len(self.guilds))

    async def close(self) -> None:
        """Disconnect, then release the database."""
        await super().close()
        await self.container.close()
