"""Reading Gradient's own messages back: the custom_ids their buttons carry."""

from __future__ import annotations

import discord


def custom_ids(message: discord.Message | None) -> set[str]:
    """Every custom_id on a message's buttons."""
    found: set[str] = set()
    for row in message.components if message else []:
        for child in getattr(row, "children", []):
            custom_id = getattr(child, "custom_id", None)
            if custom_id:
                found.add(custom_id)
    return found
