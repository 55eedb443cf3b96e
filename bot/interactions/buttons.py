"""Persistent buttons: their state lives in the custom_id, so they survive restarts.

Every button family subclasses `PersistentButton` with its own `template` and `fields` (how each
named group of the template is parsed); the base rebuilds the button from a clicked custom_id and
runs its `handle` in time and inside the error boundary. A button's `handle` is its use case's
handler: it opens the unit of work, calls the service, renders and responds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, Self

import discord

from bot.interactions.guard import run_guarded
from bot.interactions.ids import bounded

# The base class matches nothing; discord.py needs a template on every DynamicItem class.
_NEVER = r"(?!)"


def identifier(text: str) -> int:
    """A snowflake or database id from a custom_id (0, never an id, when forged)."""
    return bounded(text)


def small(maximum: int, forged: int) -> Callable[[str], int]:
    """A parser for a small number (an option, a rating, a page), `forged` when out of range."""

    def parse(text: str) -> int:
        return bounded(text, maximum, forged=forged)

    return parse


class PersistentButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=_NEVER):
    """A button rebuilt from its custom_id; subclasses give `template`, `fields` and `handle`."""

    # (named group of the template, how to parse it): also the __init__ keyword arguments.
    fields: ClassVar[tuple[tuple[str, Callable[[str], Any]], ...]] = ()
    opens_form: ClassVar[bool] = False

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        """Rebuild the button from the named groups of a clicked custom_id."""
        return cls(**{name: parse(match[name]) for name, parse in cls.fields})

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Run this button's handler in time and inside the error boundary."""
        await run_guarded(interaction, lambda: self.handle(interaction), opens_form=self.opens_form)

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """What the click does; every subclass defines it."""
        raise NotImplementedError
