"""A served question's buttons, and what each click does: answer, open the form, rate, move on.

A served question's token (random, in the database) ties every button to one user's question, so
the buttons keep working after a restart and only their owner can use them.
"""

from __future__ import annotations

from typing import Any

import discord

from bot import metrics
from bot.domain.errors import InvalidAnswer
from bot.domain.questions import AnyQuestion, BehavioralQuestion, McqQuestion, OpenQuestion
from bot.domain.review import Recall
from bot.features.reports import ReportButton
from bot.interactions.buttons import PersistentButton, identifier, small
from bot.interactions.context import asker_of, services
from bot.interactions.guard import in_time, respond
from bot.services.quiz import AnswerRequest, Served
from bot.ui import embeds, reports
from bot.ui.limits import MODAL_TITLE, TEXT_INPUT_MAX, clip

TOKEN = r"[A-Za-z0-9_-]{1,40}"
FORM_PREFIX = "gq:s:"
ANSWER_INPUT = "answer"
RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
NO_OPTION = 99  # what a tampered option number becomes: no question has it


def letter(index: int) -> str:
    """The letter of an option (A for 0); "?" for one that cannot exist."""
    return McqQuestion.letter(index) if 0 <= index < 26 else "?"


class ChoiceButton(PersistentButton, template=rf"gq:a:(?P<token>{TOKEN}):(?P<choice>\w{{1,4}})"):
    """One option of a multiple-choice question."""

    fields = (("token", str), ("choice", small(25, NO_OPTION)))

    def __init__(
        self,
        token: str,
        choice: int,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=letter(choice), custom_id=f"gq:a:{token}:{choice}", style=style, disabled=disabled
        )
        super().__init__(button)
        self.token, self.choice = token, choice

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Answer with this option."""
        if not 0 <= self.choice < 5:
            raise InvalidAnswer("That option doesn't exist.")
        await answer(interaction, self.token, letter(self.choice), self.choice)


class AnswerButton(PersistentButton, template=rf"gq:m:(?P<token>{TOKEN})"):
    """Opens the answer form for a short, open or behavioral question."""

    fields = (("token", str),)
    opens_form = True

    def __init__(self, token: str, *, disabled: bool = False, label: str = "Answer") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                custom_id=f"gq:m:{token}",
                style=discord.ButtonStyle.primary,
                emoji="✍️",
                disabled=disabled,
            )
        )
        self.token = token

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Open the form, if this user may still answer (a form must come within 3 s)."""
        container = services(interaction)
        user_id = interaction.user.id

        async def lookup() -> AnyQuestion:
            async with container.database.reading() as session:
                row = await container.quiz.load(session, self.token, user_id)
                return await container.quiz.question_of(session, row)

        question = await in_time(lookup())
        if isinstance(question, McqQuestion):
            raise InvalidAnswer("Use the A–E buttons for this one.")
        await respond(interaction).form(AnswerForm(self.token, question))


class NextButton(PersistentButton, template=rf"gq:n:(?P<token>{TOKEN})"):
    """Serves the next question in the same session, or the mock's next step or report."""

    fields = (("token", str),)

    def __init__(self, token: str, label: str = "Next question") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, custom_id=f"gq:n:{token}", style=discord.ButtonStyle.success, emoji="➡️"
            )
        )
        self.token = token

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Move on once (a double click serves one question)."""
        container, asker = services(interaction), asker_of(interaction)
        async with container.database.unit_of_work() as session:
            step = await container.sessions.continue_(session, self.token, asker)
        if step.served is not None:
            message = render_served(step.served, asker.user_name, step.prefix)
            await respond(interaction).send(ephemeral=False, **message)
        else:
            assert step.report is not None
            embed = reports.mock_report(step.report, container.bank)
            await respond(interaction).send(embed=embed, ephemeral=True)


class RateButton(
    PersistentButton,
    template=rf"gq:r:(?P<token>{TOKEN}):(?P<attempt_id>\d{{1,19}}):(?P<rating>\d)",
):
    """Self-rating after an open or behavioral answer: it drives spaced repetition."""

    fields = (("token", str), ("attempt_id", identifier), ("rating", small(9, 9)))

    def __init__(self, token: str, attempt_id: int, rating: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=RATINGS.get(rating, "?"),
                custom_id=f"gq:r:{token}:{attempt_id}:{rating}",
                style=discord.ButtonStyle.secondary,
            )
        )
        self.token, self.attempt_id, self.rating = token, attempt_id, rating

    async def handle(self, interaction: discord.Interaction[Any]) -> None:
        """Replace the automatic rating (and, when the grader was unsure, the credit)."""
        if self.rating not in RATINGS:
            raise InvalidAnswer("That rating doesn't exist.")
        container, recall = services(interaction), Recall(self.rating)
        async with container.database.unit_of_work() as session:
            rated = await container.quiz.rate(
                session, self.token, interaction.user.id, self.attempt_id, recall
            )
        when = discord.utils.format_dt(rated.due, "R")
        note = f"Rated **{recall.name.title()}**: this question comes back {when}."
        if rated.set_credit:
            note += f" Since I wasn't sure of my grade, your rating set it: {rated.points} points."
        await respond(interaction).edit(
            content=note, view=feedback_view(self.token, None, rated.next_label)
        )


class AnswerForm(discord.ui.Modal):
    """The answer form; the form table answers it, so it works after a restart."""

    def __init__(self, token: str, q: AnyQuestion, prefix: str = FORM_PREFIX) -> None:
        title = "Tell your story (STAR)" if isinstance(q, BehavioralQuestion) else "Your answer"
        if q.kind == "open":
            title = "Explain it from first principles"
        super().__init__(title=clip(title, MODAL_TITLE), custom_id=f"{prefix}{token}", timeout=900)
        long_form = q.kind in {"open", "behavioral"}
        self.add_item(
            discord.ui.TextInput(
                label="Answer" if not long_form else "Your answer",
                custom_id=ANSWER_INPUT,
                style=discord.TextStyle.paragraph if long_form else discord.TextStyle.short,
                max_length=TEXT_INPUT_MAX if long_form else 200,
                placeholder=clip(q.prompt, 100),
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Nothing here: the form table answers every answer form, even after restarts."""


ITEMS = (ChoiceButton, AnswerButton, NextButton, RateButton)


async def answer(
    interaction: discord.Interaction[Any], token: str, response: str, chosen: int | None
) -> None:
    """Record the answer (group-committed), then the public update and the private feedback."""
    container = services(interaction)
    # Concurrent answers share a commit; the feedback goes out only once this one is durable.
    answered = await container.answers.submit(AnswerRequest(token, interaction.user.id, response))
    outcome = answered.outcome
    if not outcome.replayed:
        metrics.ANSWERS.labels("quiz").inc()
        await _mark_answered(interaction, token, outcome.question, chosen)
    q = outcome.question
    rate = outcome.attempt_id if isinstance(q, (OpenQuestion, BehavioralQuestion)) else None
    await respond(interaction).send(
        embeds=embeds.feedback(outcome),
        view=feedback_view(token, rate, answered.next_label, report_id=q.id),
        ephemeral=True,
    )


async def _mark_answered(
    interaction: discord.Interaction[Any], token: str, question: AnyQuestion, chosen: int | None
) -> None:
    # The public question says it was answered, not how: the verdict is private.
    message = interaction.message
    if message is None or not message.embeds:
        await respond(interaction).defer()
        return
    embed = message.embeds[0].copy()
    embed.description = clip(f"{embed.description or ''}\n\n{embeds.answered_marker()}", 4096)
    view = question_view(token, question, answered=True, chosen=chosen)
    await respond(interaction).edit(embed=embed, view=view)


def question_view(
    token: str, q: AnyQuestion, *, answered: bool = False, chosen: int | None = None
) -> discord.ui.View:
    """The buttons under a public question: A–E for MCQ, or an Answer button."""
    view = discord.ui.View(timeout=None)
    if isinstance(q, McqQuestion):
        for i in range(len(q.choices)):
            # The pick is highlighted; right and wrong are not shown in public.
            picked = answered and i == chosen
            style = discord.ButtonStyle.primary if picked else discord.ButtonStyle.secondary
            view.add_item(ChoiceButton(token, i, style=style, disabled=answered))
    else:
        label = "Tell your story" if isinstance(q, BehavioralQuestion) else "Answer"
        view.add_item(
            AnswerButton(token, disabled=answered, label="Answered" if answered else label)
        )
    return view


def feedback_view(
    next_token: str,
    attempt_id: int | None = None,
    next_label: str = "Next question",
    report_id: str | None = None,
) -> discord.ui.View:
    """Under private feedback: optional self-rating buttons, Next, and Report a problem."""
    view = discord.ui.View(timeout=None)
    if attempt_id is not None:
        for rating in RATINGS:
            view.add_item(RateButton(next_token, attempt_id, rating))
    view.add_item(NextButton(next_token, next_label))
    if report_id is not None:
        view.add_item(ReportButton(report_id))
    return view


def render_served(served: Served, asker_name: str, step: str = "") -> dict[str, Any]:
    """The message for a served question: embed plus buttons."""
    q = served.question
    embed = embeds.question(q, served.topic_name, served.reason, asker_name, step)
    return {"embed": embed, "view": question_view(served.token, q)}
