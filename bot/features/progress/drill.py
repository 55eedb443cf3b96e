"""The drill button under /weak: a question in the weakest topic, for the person who asked."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.errors import GradientError
from bot.features.quiz.buttons import render_served
from bot.interactions.buttons import PersistentButton, identifier
from bot.interactions.context import asker_of, services
from bot.interactions.guard import respond
from bot.services.quiz import Filters
from bot.ui.limits import clip


class DrillButton(
    PersistentButton, template=r"wk:(?P<user_id>\d{1,20}):(?P<topic>[a-z0-9-]{1,40})"
):
    """Start a quiz on one weak topic."""

    fields = (("user_id", identifier), ("topic", str))

    def __init__(self, user_id: int, topic: str, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(f"Drill {label or topic}", 80),
                custom_id=f"wk:{user_id}:{topic}",
                style=discord.ButtonStyle.primary,
            )
        )
        self.user_id, self.topic = user_id, topic

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """A question in that topic, for its owner only."""
        if interaction.user.id != self.user_id:
            raise GradientError("That button belongs to someone else. Try /weak yourself!")
        container, asker = services(interaction), asker_of(interaction)
        if self.topic not in container.bank.topics:
            raise GradientError("That topic is no longer in the bank.")
        async with container.database.unit_of_work() as session:
            served = await container.quiz.serve(session, asker, Filters(topic=self.topic))
        message = render_served(served, asker.user_name)
        await respond(interaction).send(ephemeral=False, **message)
