"""The score-reset confirmation: only the admin who asked, still allowed, may press it."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import GradientError
from bot.interactions.buttons import PersistentButton, identifier
from bot.interactions.context import services
from bot.interactions.guard import respond
from bot.ui import embeds


class ResetConfirm(PersistentButton, template=r"rs:(?P<admin_id>\d{1,20}):(?P<member_id>\d{1,20})"):
    """Confirms a score reset; member 0 means everyone."""

    fields = (("admin_id", identifier), ("member_id", identifier))

    def __init__(self, admin_id: int, member_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Reset scores",
                custom_id=f"rs:{admin_id}:{member_id}",
                style=discord.ButtonStyle.danger,
            )
        )
        self.admin_id, self.member_id = admin_id, member_id

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Reset, checked again on the server side."""
        if interaction.user.id != self.admin_id or interaction.guild_id is None:
            raise GradientError("Only the admin who asked can confirm this.")
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        container = services(interaction)
        async with container.database.unit_of_work() as session:
            removed = await container.admin.reset_scores(
                session, interaction.guild_id, self.member_id or None
            )
        text = (
            f"Done: {removed} score row(s) removed."
            if removed
            else "There were no scores to reset."
        )
        await respond(interaction).edit(embed=embeds.notice(text, title="Scores reset"), view=None)
