"""Confirming or cancelling /forget-me: only the person who asked may press."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import GradientError
from bot.interactions.buttons import PersistentButton, identifier
from bot.interactions.context import services
from bot.interactions.guard import respond
from bot.services.account import forget_user
from bot.ui import embeds


class ForgetButton(PersistentButton, template=r"fm:(?P<user_id>\d{1,20}):(?P<confirm>yes|no)"):
    """Delete everything about a user, or cancel."""

    fields = (("user_id", identifier), ("confirm", lambda text: text == "yes"))

    def __init__(self, user_id: int, confirm: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete everything" if confirm else "Cancel",
                custom_id=f"fm:{user_id}:{'yes' if confirm else 'no'}",
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
            )
        )
        self.user_id, self.confirm = user_id, confirm

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Delete or cancel."""
        if interaction.user.id != self.user_id:
            raise GradientError("Only the person who asked can confirm this.")
        if not self.confirm:
            note = embeds.notice("Nothing was deleted.", title="Cancelled")
            await respond(interaction).edit(embed=note, view=None)
            return
        container = services(interaction)
        async with container.database.unit_of_work() as session:
            existed = await forget_user(session, self.user_id)
        text = "All your data is deleted." if existed else "There was nothing stored about you."
        await respond(interaction).edit(embed=embeds.notice(text, title="Done"), view=None)
