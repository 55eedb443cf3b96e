"""One structured log line per interaction, feeding the metrics too.

Every interaction ends with a line such as
`interaction kind=command name=quiz guild=123 user=456 first_response_ms=41 outcome=ok`,
and, when METRICS_PORT is set, the same facts feed a latency histogram and counters.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import discord

from bot import metrics
from bot.domain.errors import GradientError, StoreUnavailable

log = logging.getLogger("gradient.interactions")

# The counters and the endpoint live in bot/metrics.py, beside the scheduler's.


def outcome_of(error: BaseException | None) -> str:
    """ok, refused (a friendly refusal), unavailable (the store) or bug."""
    if error is None:
        return "ok"
    original = getattr(error, "original", error)
    if isinstance(original, StoreUnavailable):
        return "unavailable"
    if isinstance(original, GradientError) or isinstance(error, discord.app_commands.CheckFailure):
        return "refused"
    return "bug"


def record(
    interaction: discord.Interaction[Any], first_response: datetime | None, outcome: str
) -> None:
    """Write the interaction's line (and metrics)."""
    data: dict[str, Any] = dict(interaction.data or {})
    kind = {
        discord.InteractionType.application_command: "command",
        discord.InteractionType.component: "button",
        discord.InteractionType.modal_submit: "form",
    }.get(interaction.type, interaction.type.name)
    name = interaction.command.qualified_name if interaction.command else ""
    if not name:
        # A custom_id's family (gq:a, dc:m, lb…), never the ids it carries.
        name = ":".join(str(data.get("custom_id", "")).split(":")[:2])
    latency = (
        (first_response - interaction.created_at).total_seconds()
        if first_response is not None
        else None
    )
    shown = f"{latency * 1000:.0f}" if latency is not None else "none"
    log.info(
        "interaction kind=%s name=%s guild=%s user=%s first_response_ms=%s outcome=%s",
        kind,
        name,
        interaction.guild_id,
        interaction.user.id,
        shown,
        outcome,
    )
    if latency is not None:
        metrics.LATENCY.labels(kind, outcome).observe(max(latency, 0.0))
    metrics.INTERACTIONS.labels(kind, outcome).inc()


def now() -> datetime:
    """Aware UTC now (interactions carry aware creation times)."""
    return datetime.now(UTC)
