"""Server administration: /gradient daily, scores, season and questions (Manage Server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.admin.buttons import ResetConfirm
from bot.features.admin.cog import AdminCog
from bot.features.admin.questions import FORM_PREFIX, submit_add

if TYPE_CHECKING:
    from bot.app import GradientBot


async def setup(bot: GradientBot) -> None:
    """Add the /gradient commands, the reset button and the add-question form."""
    await bot.add_cog(AdminCog(bot.container))
    bot.add_dynamic_items(ResetConfirm)
    bot.forms.add(FORM_PREFIX, submit_add)
