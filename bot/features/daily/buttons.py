"""A daily challenge's answer buttons and form: anyone in the server may answer, once."""

from __future__ import annotations

from typing import Any

import discord

from bot import metrics
from bot.domain.errors import InvalidAnswer
from bot.domain.questions import AnyQuestion, McqQuestion
from bot.features.quiz.buttons import ANSWER_INPUT, AnswerForm, letter
from bot.features.reports import ReportButton
from bot.interactions.buttons import PersistentButton, identifier, small
from bot.interactions.context import services
from bot.interactions.forms import form_values
from bot.interactions.guard import in_time, respond
from bot.interactions.ids import bounded
from bot.services.daily_answers import DailyAnswerRequest
from bot.ui import embeds

FORM_PREFIX = "dc:s:"


class DailyChoice(PersistentButton, template=r"dc:a:(?P<challenge_id>\d{1,19}):(?P<choice>\d)"):
    """An option of the daily multiple-choice question."""

    fields = (("challenge_id", identifier), ("choice", small(9, 9)))

    def __init__(self, challenge_id: int, choice: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=letter(choice),
                custom_id=f"dc:a:{challenge_id}:{choice}",
                style=discord.ButtonStyle.secondary,
            )
        )
        self.challenge_id, self.choice = challenge_id, choice

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Answer with this option."""
        await answer(interaction, self.challenge_id, letter(self.choice))


class DailyAnswer(PersistentButton, template=r"dc:m:(?P<challenge_id>\d{1,19})"):
    """Opens the answer form for a short or explain-it daily challenge."""

    fields = (("challenge_id", identifier),)
    opens_form = True

    def __init__(self, challenge_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Answer",
                emoji="✍️",
                custom_id=f"dc:m:{challenge_id}",
                style=discord.ButtonStyle.primary,
            )
        )
        self.challenge_id = challenge_id

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Open the form, unless the challenge closed or belongs to another server."""
        container, guild_id = services(interaction), interaction.guild_id

        async def lookup() -> AnyQuestion:
            async with container.database.reading() as session:
                _, question = await container.daily.answerable(session, self.challenge_id, guild_id)
            return question

        question = await in_time(lookup())
        if isinstance(question, McqQuestion):
            raise InvalidAnswer("Use the A–E buttons for this one.")
        form = AnswerForm(str(self.challenge_id), question, prefix=FORM_PREFIX)
        await respond(interaction).form(form)


ITEMS = (DailyChoice, DailyAnswer)


def challenge_view(challenge_id: int, q: AnyQuestion) -> discord.ui.View:
    """Answer buttons for a daily challenge."""
    view = discord.ui.View(timeout=None)
    if isinstance(q, McqQuestion):
        for i in range(len(q.choices)):
            view.add_item(DailyChoice(challenge_id, i))
    else:
        view.add_item(DailyAnswer(challenge_id))
    return view


async def answer(interaction: discord.Interaction[Any], challenge_id: int, response: str) -> None:
    """Record the answer and its streak (group-committed), then private feedback."""
    container, user = services(interaction), interaction.user
    # Members answer at post time together: they share commits, and each hears back only once
    # their own answer is durable.
    answered = await container.daily_answers.submit(
        DailyAnswerRequest(
            challenge_id, user.id, user.display_name, response, guild_id=interaction.guild_id
        )
    )
    if not answered.outcome.replayed:
        metrics.ANSWERS.labels("daily").inc()
    streak = answered.streak
    view = discord.ui.View(timeout=None)
    view.add_item(ReportButton(answered.outcome.question.id))
    await respond(interaction).send(
        content=f"🔥 Streak: {streak.current} day(s) (best {streak.best}).",
        embeds=embeds.feedback(answered.outcome),
        view=view,
        ephemeral=True,
    )


async def submit_answer(interaction: discord.Interaction[Any], raw_id: str) -> None:
    """The daily answer form was submitted."""
    text = form_values(interaction).get(ANSWER_INPUT, "").strip()
    if not text:
        raise InvalidAnswer("Your answer was empty. Press Answer to try again.")
    await answer(interaction, bounded(raw_id), text)
