"""Numbers read back from custom_ids, which anyone can forge: parsed with bounds, never trusted."""

from __future__ import annotations

# Discord snowflakes, and the database's BIGINT ids, fit in a signed 64-bit integer.
ID_MAX = 2**63 - 1
# No Discord or database id is 0, so 0 stands for "forged"; it still fits the DynamicItem
# templates, which discord.py checks an item's own custom_id against.
FORGED = 0


def bounded(text: str, maximum: int = ID_MAX, forged: int = FORGED) -> int:
    """A whole number from 0 to `maximum`, or `forged` for anything else."""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return forged
    value = int(text)
    return value if value <= maximum else forged
