"""The discord.py client: lifecycle only. Features are packages loaded as extensions."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import discord
from discord.ext import commands

from bot.container import Container
from bot.domain.daily import zone_names
from bot.domain.errors import ForgedButton
from bot.features import EXTENSIONS
from bot.interactions.boundary import on_app_command_error, reply_privately
from bot.interactions.forms import FormTable
from bot.interactions.messages import custom_ids
from bot.interactions.respond import Responder
from bot.interactions.sync import sync_if_changed
from bot.interactions.tree import GradientTree
from bot.metrics import serve as serve_metrics
from bot.scheduling import shard_owner

log = logging.getLogger(__name__)
STALE_BUTTON = "That button is from an older version of Gradient. Run /quiz for a fresh question."
FORGED_BUTTON = ForgedButton.user_message
STALE_FORM = "That form is from an older version of Gradient. Run /quiz for a fresh question."


# glibc's malloc: M_ARENA_MAX, and how often freed heap goes back to the system.
_M_ARENA_MAX = -8
MALLOC_ARENAS = 2
TRIM_EVERY_SECONDS = 5.0
# Worker threads for asyncio.to_thread: what runs there (the /stats chart, start-up loading) is
# CPU-bound under the GIL, so more threads add memory (each keeps its own stack), not speed.
WORKER_THREADS = 2


def _libc() -> ctypes.CDLL | None:
    """glibc, or None elsewhere (musl, macOS): the memory tuning below is then skipped."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        libc.mallopt  # noqa: B018 - glibc only
        libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def limit_malloc_arenas(libc: ctypes.CDLL | None) -> None:
    """Few malloc arenas: by default glibc gives each thread that allocates its own (up to 8
    per core), and the worker threads (the SQLite driver, chart rendering, grading) each keep
    megabytes of freed memory that no other thread can reuse."""
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, MALLOC_ARENAS)


def intents() -> discord.Intents:
    """Only the guilds intent: Gradient needs no privileged intents."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class GradientBot(commands.AutoShardedBot):
    """Gradient's client: setup runs in setup_hook, never on_ready (which re-runs on reconnect).

    It runs the shards SHARD_IDS of SHARD_COUNT (all of them when unset), so a deployment can
    split servers across processes; each process posts daily challenges only for its own shards.
    """

    def __init__(self, container: Container, **options: Any) -> None:
        settings = container.settings
        if settings.shard_count is not None:
            options.setdefault("shard_count", settings.shard_count)
            ids = settings.shard_ids or tuple(range(settings.shard_count))
            options.setdefault("shard_ids", list(ids))
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            member_cache_flags=discord.MemberCacheFlags.none(),
            max_messages=None,
            help_command=None,
            tree_cls=GradientTree,
            # Gradient echoes what members type (answers, questions, reports); nothing it sends
            # may ping anyone, whatever markdown or mentions that text holds.
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.container = container
        self._libc = _libc()
        limit_malloc_arenas(self._libc)
        self._served_since_trim = 0
        self._trimmer: asyncio.Task[None] | None = None
        self.forms = FormTable()
        self._button_families: list[type[discord.ui.DynamicItem[Any]]] = []
        # Each process posts only for the servers on its own shards.
        if settings.shard_count is not None:
            mine = set(settings.shard_ids or range(settings.shard_count))
            container.scheduler.owns = shard_owner(mine, settings.shard_count)

    async def setup_hook(self) -> None:
        """Runs once per process, before connecting: features, command sync, the scheduler."""
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="gradient-worker")
        )
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        # Listing timezones walks the tz database on disk (~30 ms): do it once, off the loop,
        # so the first timezone autocomplete is instant.
        await asyncio.to_thread(zone_names)
        self.tree.error(on_app_command_error)
        assert self.application_id is not None
        await sync_if_changed(
            self.tree,
            self.container.database,
            self.application_id,
            self.container.settings.dev_guild_id,
        )
        serve_metrics(self.container.settings.metrics_port)
        await self.container.scheduler.start()
        if self._libc is not None:
            self._trimmer = asyncio.create_task(self._trim_memory(), name="malloc-trim")
        log.info("Gradient ready to serve %d questions", len(self.container.bank))

    async def _trim_memory(self) -> None:
        """Every few seconds after interactions, hand freed heap back to the system.

        Start-up (the bank, the grader's vectors, every server's payload) and bursts of work
        free MBs at once that, left to malloc, stay resident; malloc_trim returns them (a few
        ms, in a worker thread).
        """
        assert self._libc is not None
        trim = self._libc.malloc_trim
        while True:
            await asyncio.sleep(TRIM_EVERY_SECONDS)
            if self._served_since_trim:
                self._served_since_trim = 0
                await asyncio.to_thread(trim, 0)

    def add_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None:
        """Register persistent button families (and remember them for is_known)."""
        super().add_dynamic_items(*items)
        self._button_families.extend(items)

    def is_known(self, custom_id: str) -> bool:
        """Whether a custom_id matches one of the persistent buttons the features registered."""
        return any(
            item.__discord_ui_compiled_template__.fullmatch(custom_id)
            for item in self._button_families
        )

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Answer forms (restart-safe) and buttons no feature knows (forged or stale)."""
        self._served_since_trim += 1
        if await self.forms.dispatch(interaction):
            return
        if interaction.type is discord.InteractionType.component:
            custom_id = str(dict(interaction.data or {}).get("custom_id", ""))
            if not self.is_known(custom_id):
                await reply_privately(interaction, STALE_BUTTON)
                Responder.of(interaction).finish(ForgedButton())
            elif custom_id not in custom_ids(interaction.message):
                # discord.py drops a click whose custom_id is not on the message: answer it anyway.
                await reply_privately(interaction, FORGED_BUTTON)
                Responder.of(interaction).finish(ForgedButton())
        elif interaction.type is discord.InteractionType.modal_submit:
            # No form of ours has this custom_id (forged, or from a retired form): every form is
            # in the table, so without this the user would see "interaction failed".
            await reply_privately(interaction, STALE_FORM)
            Responder.of(interaction).finish(ForgedButton())

    async def on_app_command_completion(
        self, interaction: discord.Interaction[Any], command: Any
    ) -> None:
        """A slash command finished without an error: its interaction's line."""
        Responder.of(interaction).finish()

    async def on_ready(self) -> None:
        """Log who we are; nothing to set up here."""
        # Hand back what start-up freed (the servers' payloads arrive just before this).
        self._served_since_trim += 1
        log.info("connected as %s in %d servers", self.user, len(self.guilds))

    async def close(self) -> None:
        """Stop the scheduler, disconnect, then release the database."""
        await self.container.scheduler.shutdown()
        if self._trimmer is not None:
            self._trimmer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._trimmer
        await super().close()
        await self.container.close()
