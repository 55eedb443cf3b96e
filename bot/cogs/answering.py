"""Answers: option buttons, the answer modal, self-ratings and "Next question"."""

from __future__ import annotations

from typing import Any

import discord
from discord.ext import commands

from bot.cogs.common import asker_of, guarded, guarded_form, in_time, respond
from bot.cogs.quiz import render_served
from bot.container import Container
from bot.domain.errors import InvalidAnswer
from bot.domain.questions import AnyQuestion, BehavioralQuestion, McqQuestion, OpenQuestion
from bot.domain.review import Recall
from bot.services.results import AnswerOutcome
from bot.ui import embeds, reports
from bot.ui.components import (
    ANSWER_INPUT,
    MODAL_PREFIX,
    AnswerModal,
    feedback_view,
    modal_values,
    question_view,
)
from bot.ui.limits import clip


class AnsweringCog(commands.Cog, name="Answering"):
    """Takes answers for served questions; every handler is one unit of work."""

    def __init__(self, container: Container) -> None:
        self.container = container

    async def _answer(
        self, interaction: discord.Interaction[Any], token: str, response: str, chosen: int | None
    ) -> None:
        """One unit of work for the answer, then the public update and the private feedback."""
        async with self.container.database.unit_of_work() as session:
            outcome = await self.container.quiz.answer(
                session, token, interaction.user.id, response
            )
            # Already loaded by answer(): the session hands it back without a query.
            in_mock = (
                await self.container.quiz.served_row(session, token, interaction.user.id)
            ).mock_token
        if not outcome.replayed:
            await self._mark_answered(interaction, token, outcome, chosen)
        q = outcome.question
        rate = outcome.attempt_id if isinstance(q, (OpenQuestion, BehavioralQuestion)) else None
        label = "Continue mock" if in_mock else "Next question"
        await respond(interaction).send(
            embeds=embeds.feedback(outcome),
            view=feedback_view(token, rate, label, report_id=q.id),
            ephemeral=True,
        )

    async def _mark_answered(
        self,
        interaction: discord.Interaction[Any],
        token: str,
        outcome: AnswerOutcome,
        chosen: int | None,
    ) -> None:
        # Update the public question in place (buttons disabled, verdict noted) for all to see.
        message = interaction.message
        if message is None or not message.embeds:
            await respond(interaction).defer()
            return
        embed = message.embeds[0].copy()
        marker = embeds.answered_marker()
        embed.description = clip(f"{embed.description or ''}\n\n{marker}", 4096)
        view = question_view(token, outcome.question, answered=True, chosen=chosen)
        await respond(interaction).edit(embed=embed, view=view)

    @guarded
    async def choose(self, interaction: discord.Interaction[Any], token: str, choice: int) -> None:
        """An option button was pressed."""
        if not 0 <= choice < 5:
            raise InvalidAnswer("That option doesn't exist.")
        await self._answer(interaction, token, chr(65 + choice), choice)

    @guarded_form
    async def open_answer(self, interaction: discord.Interaction[Any], token: str) -> None:
        """The Answer button: open the modal if this user may still answer."""
        question = await in_time(self._question_to_answer(token, interaction.user.id))
        if isinstance(question, McqQuestion):
            raise InvalidAnswer("Use the A–E buttons for this one.")
        await respond(interaction).form(AnswerModal(token, question))

    async def _question_to_answer(self, token: str, user_id: int) -> AnyQuestion:
        async with self.container.database.unit_of_work() as session:
            row = await self.container.quiz.load(session, token, user_id)
            return await self.container.quiz.question_of(session, row)

    @guarded
    async def submit(self, interaction: discord.Interaction[Any], token: str) -> None:
        """An answer modal was submitted (handled here even after a restart)."""
        text = modal_values(dict(interaction.data or {})).get(ANSWER_INPUT, "").strip()
        if not text:
            raise InvalidAnswer("Your answer was empty. Press Answer to try again.")
        await self._answer(interaction, token, text, None)

    @guarded
    async def rate(
        self, interaction: discord.Interaction[Any], token: str, attempt_id: int, rating: int
    ) -> None:
        """A self-rating button: replaces the automatic rating, then offers Next only."""
        if rating not in (1, 2, 3, 4):
            raise InvalidAnswer("That rating doesn't exist.")
        user_id = interaction.user.id
        async with self.container.database.unit_of_work() as session:
            rated = await self.container.learning.rate_recall(
                session, user_id, attempt_id, Recall(rating)
            )
            row = await self.container.quiz.served_row(session, token, user_id)
        label = "Continue mock" if row.mock_token else "Next question"
        when = discord.utils.format_dt(rated.due, "R")
        note = f"Rated **{Recall(rating).name.title()}**: this question comes back {when}."
        if rated.set_credit:
            note += f" Since I wasn't sure of my grade, your rating set it: {rated.points} points."
        await respond(interaction).edit(content=note, view=feedback_view(token, None, label))

    @guarded
    async def next_question(self, interaction: discord.Interaction[Any], token: str) -> None:
        """Serve the next question in the same session, or the mock's next step or report."""
        asker = asker_of(interaction)
        async with self.container.database.unit_of_work() as session:
            row = await self.container.quiz.continue_from(session, token, asker.user_id)
            if row.mock_token is not None:
                step = await self.container.mock.advance(
                    session, asker, row.mock_token, row.question_id
                )
                report = (
                    None
                    if step
                    else await self.container.mock.report(session, asker.user_id, row.mock_token)
                )
            else:
                filters = self.container.quiz.filters_of(row)
                source = row.source if row.source in {"quiz", "behavioral"} else "quiz"
                served = await self.container.quiz.serve(session, asker, filters, source=source)
        if row.mock_token is None:
            message = render_served(self.container, served, asker.user_name)
            await respond(interaction).send(ephemeral=False, **message)
        elif step is not None:
            prefix = f"Mock {step.number}/{step.length} · "
            message = render_served(self.container, step.served, asker.user_name, prefix)
            await respond(interaction).send(ephemeral=False, **message)
        else:
            assert report is not None
            await respond(interaction).send(
                embed=reports.mock_report(report, self.container.bank), ephemeral=True
            )

    async def dispatch_modal(self, interaction: discord.Interaction[Any]) -> bool:
        """Route an answer-modal submission; True when it was ours."""
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if interaction.type is not discord.InteractionType.modal_submit or not custom_id.startswith(
            MODAL_PREFIX
        ):
            return False
        await self.submit(interaction, custom_id.removeprefix(MODAL_PREFIX))
        return True
