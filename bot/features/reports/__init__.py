"""Report a problem: the 🚩 button under every piece of feedback, and its form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.reports.report import FORM_PREFIX, ReportButton, submit_report

if TYPE_CHECKING:
    from bot.app import GradientBot

__all__ = ["ReportButton"]


async def setup(bot: GradientBot) -> None:
    """Register the button and the form."""
    bot.add_dynamic_items(ReportButton)
    bot.forms.add(FORM_PREFIX, submit_report)
