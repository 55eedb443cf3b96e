"""Gradient's real client against the loopback fake of Discord, with a restartable bot process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.app import GradientBot
from bot.container import Container, build_container
from bot.settings import Settings
from tests.conftest import TEST_BANK
from tests.e2e.fake_discord import FakeChannel, FakeDiscord, FakeGuild, FakeUser, Interaction


async def _identify_at_once(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before every re-IDENTIFY; the fake needs no such politeness."""


@dataclass
class World:
    """A fake Discord with a server, a channel, three members, and Gradient connected to it."""

    fake: FakeDiscord
    db_url: str
    guild: FakeGuild
    channel: FakeChannel
    ada: FakeUser
    bo: FakeUser
    admin: FakeUser
    dev_guild_id: int | None = None
    clock: Callable[[], datetime] | None = None  # when set, every service and the scheduler use it
    settings: dict[str, Any] = field(default_factory=dict)  # extra Settings, by env name
    bot: GradientBot | None = None
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def container(self) -> Container:
        """The running bot's services."""
        assert self.bot is not None
        return self.bot.container

    async def start(self) -> GradientBot:
        """Start a fresh bot process: new container, new client, same database."""
        settings = Settings(
            DISCORD_TOKEN=self.fake.token,  # type: ignore[call-arg]
            DATABASE_URL=self.db_url,
            QUESTIONS_DIR=TEST_BANK,
            DEV_GUILD_ID=self.dev_guild_id,
            **self.settings,
        )
        # The container's one clock reads the World's, so moving it moves every service and the
        # daily scheduler.
        container = await build_container(settings, clock=self.clock)
        bot = GradientBot(container, guild_ready_timeout=0.1)
        bot.before_identify_hook = _identify_at_once  # type: ignore[method-assign]
        ready_before = self.fake.connections
        self._task = asyncio.create_task(bot.start(self.fake.token))
        self.bot = bot
        for _ in range(200):
            if self.fake.connections > ready_before and bot.is_ready():
                break
            if self._task.done():
                self._task.result()  # surface a start-up failure
            await asyncio.sleep(0.05)
        assert bot.is_ready(), "the bot never became ready"
        return bot

    async def stop(self) -> None:
        """Close the bot as a process exit would."""
        if self.bot is not None:
            await self.bot.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, 10)
        self.bot, self._task = None, None

    async def restart(self) -> GradientBot:
        """Stop and start again: nothing in memory survives."""
        await self.stop()
        return await self.start()

    async def slash(
        self, user: FakeUser, name: str, options: dict[str, Any] | None = None, *, dm: bool = False
    ) -> Interaction:
        """Run a slash command as a user in the channel (or in a DM)."""
        guild = None if dm else self.guild
        channel = None if dm else self.channel
        return await self.fake.slash(user, name, options or {}, guild=guild, channel=channel)


@contextlib.asynccontextmanager
async def running_world(db_url: str, dev_guild_id: int | None = None) -> AsyncIterator[World]:
    """A started fake Discord with Gradient connected; everything torn down afterwards."""
    fake = FakeDiscord()
    await fake.start()
    try:
        with fake.patched():
            guild = fake.add_guild("Study Group")
            channel = fake.add_channel(guild, "general")
            ada, bo, admin = fake.add_user("ada"), fake.add_user("bo"), fake.add_user("root")
            fake.add_member(guild, ada)
            fake.add_member(guild, bo)
            fake.add_member(guild, admin, admin=True)
            world = World(fake, db_url, guild, channel, ada, bo, admin, dev_guild_id)
            await world.start()
            try:
                yield world
            finally:
                await world.stop()
    finally:
        await fake.stop()
