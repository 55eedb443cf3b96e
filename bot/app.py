"""The discord.py client: lifecycle only. Features live in cogs wired from the container."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord.ext import commands

from bot.cogs.account import AccountCog
from bot.cogs.admin import AdminCog
from bot.cogs.answering import AnsweringCog
from bot.cogs.authoring import AuthoringCog
from bot.cogs.daily import DailyCog
from bot.cogs.errors import on_app_command_error, reply_privately
from bot.cogs.handlers import CogHandlers, DailyRouter
from bot.cogs.progress import ProgressCog
from bot.cogs.quiz import QuizCog
from bot.cogs.sync import sync_if_changed
from bot.cogs.tree import GradientTree
from bot.container import Container
from bot.domain.daily import zone_names
from bot.domain.errors import ForgedButton
from bot.scheduling import DailyScheduler, shard_owner
from bot.ui.authoring import AUTHORING_ITEMS
from bot.ui.components import DYNAMIC_ITEMS
from bot.ui.daily import DAILY_ITEMS
from bot.ui.messages import custom_ids

log = logging.getLogger(__name__)
ALL_ITEMS = (*DYNAMIC_ITEMS, *DAILY_ITEMS, *AUTHORING_ITEMS)
STALE_BUTTON = "That button is from an older version of Gradient. Run /quiz for a fresh question."
FORGED_BUTTON = ForgedButton.user_message


def is_known(custom_id: str) -> bool:
    """Whether a component custom_id matches one of Gradient's persistent buttons."""
    return any(item.__discord_ui_compiled_template__.fullmatch(custom_id) for item in ALL_ITEMS)


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
            tree_cls=GradientTree,
            **options,
        )
        self.container = container
        self.answering = AnsweringCog(container)
        progress, account = ProgressCog(container), AccountCog(container)
        self.handlers = CogHandlers(self.answering, progress, account)
        self.daily_cog = DailyCog(container, self)
        # Jobs are armed in setup_hook; shard ownership is read when each job is armed.
        self.daily_scheduler = DailyScheduler(
            container.database, container.daily, self.daily_cog, owns=self._owns_guild
        )
        self.authoring_handlers = AuthoringCog(container)
        admin = AdminCog(container, self.daily_scheduler, self.authoring_handlers)
        self.daily_handlers = DailyRouter(self.daily_cog, admin)
        self._cogs_to_add: list[commands.Cog] = [
            QuizCog(container),
            self.answering,
            progress,
            account,
            self.daily_cog,
            admin,
            self.authoring_handlers,
        ]

    def _owns_guild(self, guild_id: int) -> bool:
        # In a sharded deployment each process posts only for the servers on its own shard.
        return shard_owner({self.shard_id or 0}, self.shard_count or 1)(guild_id)

    async def setup_hook(self) -> None:
        """Runs once per process, before connecting: cogs, persistent buttons, command sync."""
        for cog in self._cogs_to_add:
            await self.add_cog(cog)
        # Listing timezones walks the tz database on disk (~30 ms): do it once, off the loop,
        # so the first timezone autocomplete is instant.
        await asyncio.to_thread(zone_names)
        self.add_dynamic_items(*ALL_ITEMS)
        self.tree.error(on_app_command_error)
        assert self.application_id is not None
        await sync_if_changed(
            self.tree,
            self.container.database,
            self.application_id,
            self.container.settings.dev_guild_id,
        )
        await self.daily_scheduler.start()
        log.info("Gradient ready to serve %d questions", len(self.container.bank))

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Answer modals (restart-safe) and buttons no handler knows (forged or stale)."""
        for router in (self.answering, self.daily_cog, self.authoring_handlers):
            if await router.dispatch_modal(interaction):
                return
        if interaction.type is discord.InteractionType.component:
            custom_id = str(dict(interaction.data or {}).get("custom_id", ""))
            if not is_known(custom_id):
                await reply_privately(interaction, STALE_BUTTON)
            elif custom_id not in custom_ids(interaction.message):
                # discord.py drops a click whose custom_id is not on the message: answer it anyway.
                await reply_privately(interaction, FORGED_BUTTON)

    async def on_ready(self) -> None:
        """Log who we are; nothing to set up here."""
        log.info("connected as %s in %d servers", self.user, len(self.guilds))

    async def close(self) -> None:
        """Stop the scheduler, disconnect, then release the database."""
        await self.daily_scheduler.shutdown()
        await super().close()
        await self.container.close()
