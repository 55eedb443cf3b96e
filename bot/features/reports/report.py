"""Telling the maintainers a question is wrong or unclear, stored with the version seen."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import InvalidAnswer
from bot.interactions.buttons import PersistentButton
from bot.interactions.context import services
from bot.interactions.forms import form_values
from bot.interactions.guard import respond
from bot.ui import embeds

FORM_PREFIX = "rp:s:"
QUESTION_ID = r"[a-z0-9-]{1,32}"


class ReportButton(PersistentButton, template=rf"rp:(?P<question_id>{QUESTION_ID})"):
    """Under every piece of feedback: report the question."""

    fields = (("question_id", str),)
    opens_form = True

    def __init__(self, question_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Report a problem",
                emoji="🚩",
                custom_id=f"rp:{question_id}",
                style=discord.ButtonStyle.secondary,
            )
        )
        self.question_id = question_id

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Open the report form."""
        await respond(interaction).form(ReportForm(self.question_id))


class ReportForm(discord.ui.Modal):
    """What is wrong with the question (answered through the form table, restart-safe)."""

    def __init__(self, question_id: str) -> None:
        super().__init__(
            title="Report a problem", custom_id=f"{FORM_PREFIX}{question_id}", timeout=900
        )
        self.add_item(
            discord.ui.TextInput(
                label="What is wrong or unclear?",
                custom_id="report",
                style=discord.TextStyle.paragraph,
                min_length=5,
                max_length=1000,
                placeholder="e.g. choice B is also correct because…",
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Nothing here: the form table answers it, even after a restart."""


async def submit_report(interaction: discord.Interaction[Any], question_id: str) -> None:
    """Store a report."""
    text = form_values(interaction).get("report", "").strip()
    if len(text) < 5:
        raise InvalidAnswer("Please say what is wrong in a few words.")
    container = services(interaction)
    async with container.database.unit_of_work() as session:
        await container.reports.report(
            session,
            interaction.user.id,
            interaction.user.display_name,
            interaction.guild_id,
            question_id,
            text,
        )
    thanks = "Thank you! The report is saved with the exact version of the question you saw."
    await respond(interaction).send(embed=embeds.notice(thanks, title="Reported"), ephemeral=True)
