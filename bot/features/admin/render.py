"""The admin's view of the daily set-up."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.services.daily import DailyConfig
from bot.ui.limits import EMBED_FIELD_VALUE, clip


def status_embed(
    cfg: DailyConfig | None, next_run: datetime | None, last: tuple[str, str] | None, channel: str
) -> discord.Embed:
    """The admin's view of the daily setup."""
    embed = discord.Embed(title="Daily challenge status", colour=0x5865F2)
    if cfg is None or (not cfg.enabled and not cfg.problem and cfg.at is None):
        embed.description = "Not set up. Use /gradient daily set."
        return embed
    state = "on" if cfg.enabled else "off"
    embed.add_field(name="State", value=state, inline=True)
    embed.add_field(name="Channel", value=channel, inline=True)
    at = cfg.at.strftime("%H:%M") if cfg.at else "—"
    embed.add_field(name="Time", value=f"{at} {cfg.timezone}", inline=True)
    embed.add_field(
        name="Topics", value=clip(", ".join(cfg.topics) or "all", EMBED_FIELD_VALUE), inline=True
    )
    embed.add_field(name="Difficulty", value=cfg.difficulty or "any", inline=True)
    nxt = discord.utils.format_dt(next_run, "F") if next_run and cfg.enabled else "—"
    embed.add_field(name="Next post", value=nxt, inline=True)
    embed.add_field(
        name="Last post", value=f"{last[0]} ({last[1]})" if last else "none yet", inline=False
    )
    if cfg.problem:
        embed.add_field(name="⚠️ Problem", value=clip(cfg.problem, EMBED_FIELD_VALUE), inline=False)
    return embed
