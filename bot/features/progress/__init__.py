"""How learners are doing: /stats, /weak with its drill button, /leaderboard with its pager."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.progress.board import PageButton
from bot.features.progress.cog import ProgressCog
from bot.features.progress.drill import DrillButton

if TYPE_CHECKING:
    from bot.app import GradientBot


async def setup(bot: GradientBot) -> None:
    """Add the commands and their buttons."""
    await bot.add_cog(ProgressCog(bot.container))
    bot.add_dynamic_items(PageButton, DrillButton)
