"""Sync slash commands only when the tree changed: a hash of the payload, kept in the store."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands

from bot.db import app_state
from bot.db.engine import Database
from bot.db.types import utcnow

log = logging.getLogger(__name__)


def tree_hash(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    """A stable digest of the commands the tree would register for this target."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    blob = json.dumps(
        sorted(payload, key=lambda c: str(c.get("name"))), sort_keys=True, default=str
    )
    return hashlib.sha256(blob.encode()).hexdigest()


async def sync_if_changed(
    tree: app_commands.CommandTree[Any],
    database: Database,
    application_id: int,
    dev_guild_id: int | None,
) -> bool:
    """Sync to the dev guild (instant) or globally, unless nothing changed; True if synced."""
    guild = discord.Object(id=dev_guild_id) if dev_guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    digest = tree_hash(tree, guild)
    key = f"commands:{application_id}:{dev_guild_id or 'global'}"
    async with database.unit_of_work() as session:
        if await app_state.get_value(session, key) == digest:
            log.info("slash commands unchanged; not syncing")
            return False
    synced = await tree.sync(guild=guild)
    async with database.unit_of_work() as session:
        await app_state.set_value(session, key, digest, utcnow())
    log.info(
        "synced %d slash commands to %s",
        len(synced),
        f"guild {dev_guild_id}" if guild else "all servers",
    )
    return True
