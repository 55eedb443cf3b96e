"""The daily challenge, members' side: the post itself, /daily, and the answer buttons and form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.daily.buttons import FORM_PREFIX, ITEMS, submit_answer
from bot.features.daily.cog import DailyCog
from bot.features.daily.poster import DailyPoster

if TYPE_CHECKING:
    from bot.app import GradientBot


async def setup(bot: GradientBot) -> None:
    """Add /daily, the buttons and the form, and become the scheduler's poster."""
    await bot.add_cog(DailyCog(bot.container))
    bot.add_dynamic_items(*ITEMS)
    bot.forms.add(FORM_PREFIX, submit_answer)
    bot.container.scheduler.poster = DailyPoster(bot.container, bot)
