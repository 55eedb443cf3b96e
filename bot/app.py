"""The discord.py client: lifecycle only. Features live in cogs wired from the container."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.container import Container

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Only the guilds intent: Gradient needs no privileged intents."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class GradientBot(commands.Bot):
    """Gradient's client: setup runs in setup_hook, never on_ready (which re-runs on reconnect)."""

    def __init__(self, container: Container, **options: object) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            member_cache_flags=discord.MemberCacheFlags.none(),
            max_messages=None,
            help_command=None,
            **options,  # type: ignore[arg-type]
        )
        self.container = container

    async def setup_hook(self) -> None:
        """Runs once per process before connecting."""
        log.info("Gradient starting with %d questions", len(self.container.bank))

    async def on_ready(self) -> None:
        """Log who we are; nothing to set up here."""
        log.info("connected as %s in %d servers", self.user, len(self.guilds))

    async def close(self) -> None:
        """Disconnect, then release the database."""
        await super().close()
        await self.container.close()
