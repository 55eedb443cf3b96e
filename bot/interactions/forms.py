"""Forms (modals) are answered through one table: custom_id prefix → handler.

Form submissions are routed from `on_interaction`, not from live Modal objects, so a form opened
before a restart is still answered after it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.interactions.guard import run_guarded

FormHandler = Callable[[discord.Interaction[Any], str], Awaitable[None]]


class FormTable:
    """Which handler answers which form, by custom_id prefix."""

    def __init__(self) -> None:
        self._handlers: dict[str, FormHandler] = {}

    def add(self, prefix: str, handler: FormHandler) -> None:
        """Route submissions whose custom_id starts with `prefix` to `handler`."""
        if prefix in self._handlers:
            raise ValueError(f"two handlers for forms starting {prefix!r}")
        self._handlers[prefix] = handler

    async def dispatch(self, interaction: discord.Interaction[Any]) -> bool:
        """Answer a form submission; True when one of ours took it."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return False
        custom_id = str(dict(interaction.data or {}).get("custom_id", ""))
        for prefix, handler in self._handlers.items():
            if custom_id.startswith(prefix):
                await run_guarded(
                    interaction, _bound(handler, interaction, custom_id[len(prefix) :])
                )
                return True
        return False


def _bound(
    handler: FormHandler, interaction: discord.Interaction[Any], rest: str
) -> Callable[[], Awaitable[None]]:
    return lambda: handler(interaction, rest)


def form_values(interaction: discord.Interaction[Any]) -> dict[str, str]:
    """Text input values from a form submission."""
    return values_of(dict(interaction.data or {}))


def values_of(data: dict[str, Any]) -> dict[str, str]:
    """Text input values from a form-submit payload (in action rows or in labels)."""
    values: dict[str, str] = {}
    stack: list[dict[str, Any]] = list(data.get("components", []))
    while stack:
        component = stack.pop()
        if "components" in component:
            stack.extend(component["components"])
        if "component" in component:
            stack.append(component["component"])
        if "custom_id" in component and "value" in component:
            values[component["custom_id"]] = str(component["value"])
    return values
