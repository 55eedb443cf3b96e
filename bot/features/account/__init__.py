"""The account: /help, and /forget-me with its confirmation buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.account.buttons import ForgetButton
from bot.features.account.cog import AccountCog

if TYPE_CHECKING:
    from bot.app import GradientBot


async def setup(bot: GradientBot) -> None:
    """Add the commands and the confirmation buttons."""
    await bot.add_cog(AccountCog(bot.container))
    bot.add_dynamic_items(ForgetButton)
