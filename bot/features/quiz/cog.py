"""/quiz, /review, /behavioral and /mock: serve a question as a public message with its buttons."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.bank.bank import BEHAVIORAL_TOPIC
from bot.container import Container
from bot.domain.errors import GradientError
from bot.domain.questions import Competency
from bot.domain.sources import QuestionSource
from bot.features.quiz.buttons import render_served
from bot.interactions.context import asker_of
from bot.interactions.guard import respond
from bot.interactions.tree import PUBLIC, cooldown
from bot.services.mock import MAX_LENGTH, MIN_LENGTH
from bot.services.quiz import Filters
from bot.ui import embeds
from bot.ui.limits import CHOICE_NAME, CHOICES, clip

DIFFICULTIES = [app_commands.Choice(name=d, value=d) for d in ("easy", "medium", "hard")]
KINDS = [
    app_commands.Choice(name="multiple choice", value="mcq"),
    app_commands.Choice(name="short answer", value="short"),
    app_commands.Choice(name="explain it", value="open"),
]
COMPETENCIES = [
    app_commands.Choice(name=c.value.replace("-", " "), value=c.value) for c in Competency
]


class UnknownTopic(GradientError):
    """A typed topic that is not in the bank."""

    def __init__(self, topic: str) -> None:
        super().__init__(
            f"I don't know the topic “{clip(topic, 40)}”. Start typing and pick one from the list."
        )


class QuizCog(commands.Cog, name="Quiz"):
    """Serving questions."""

    def __init__(self, container: Container) -> None:
        self.container = container

    async def topic_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        """Topics from memory, matching slug or name: instant."""
        needle = current.casefold().strip()
        concept = set(self.container.bank.concept_topics())
        matches = [
            app_commands.Choice(name=clip(t.name, CHOICE_NAME), value=slug)
            for slug, t in self.container.bank.topics.items()
            if slug in concept and (needle in slug or needle in t.name.casefold())
        ]
        return matches[:CHOICES]

    def _topic(self, topic: str | None) -> str | None:
        if topic is None:
            return None
        slug = topic.strip().casefold()
        if slug in self.container.bank.topics:
            return slug
        by_name = {t.name.casefold(): s for s, t in self.container.bank.topics.items()}
        if slug in by_name:
            return by_name[slug]
        raise UnknownTopic(topic)

    @app_commands.command(
        name="quiz",
        description="Answer a question picked for you: due reviews and weak topics first",
        extras={PUBLIC: True},
    )
    @app_commands.describe(
        topic="Stick to one topic (start typing to search)",
        difficulty="Only easy, medium or hard questions",
        kind="Only one kind of question",
    )
    @app_commands.choices(difficulty=DIFFICULTIES, kind=KINDS)
    @cooldown()
    async def quiz(
        self,
        interaction: discord.Interaction[Any],
        topic: str | None = None,
        difficulty: app_commands.Choice[str] | None = None,
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        """Serve the next adaptive question."""
        filters = Filters(
            topic=self._topic(topic),
            difficulty=difficulty.value if difficulty else None,
            kind=kind.value if kind else None,
        )
        asker = asker_of(interaction)
        async with self.container.database.unit_of_work() as session:
            served = await self.container.quiz.serve(session, asker, filters)
        await respond(interaction).send(ephemeral=False, **render_served(served, asker.user_name))

    @quiz.autocomplete("topic")
    async def _quiz_topic(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.topic_autocomplete(interaction, current)

    @app_commands.command(
        name="review",
        description="Your next spaced-repetition review, or when it is due",
        extras={PUBLIC: True},
    )
    @cooldown()
    async def review(self, interaction: discord.Interaction[Any]) -> None:
        """Serve the most overdue review."""
        asker = asker_of(interaction)
        async with self.container.database.unit_of_work() as session:
            due = await self.container.progress.due_reviews(
                session, asker.user_id, limit=1, guild_id=asker.guild_id
            )
            served = None
            if due.question_ids:
                served = await self.container.quiz.serve_question(
                    session, asker, due.question_ids[0], source="review", reason="review"
                )
        if served is not None:
            await respond(interaction).send(
                ephemeral=False, **render_served(served, asker.user_name)
            )
            return
        if due.next_due is None:
            text = (
                "No reviews yet. Answer a few questions with /quiz and they will come back "
                "here at the right time."
            )
        else:
            when = discord.utils.format_dt(due.next_due, "R")
            text = f"Nothing is due right now. Your next review is due {when}."
        await respond(interaction).send(
            embed=embeds.notice(text, title="All caught up"), ephemeral=True
        )

    @app_commands.command(
        name="behavioral",
        description="Practise a behavioral question and get STAR feedback",
        extras={PUBLIC: True},
    )
    @app_commands.describe(competency="What the question probes, e.g. conflict or ownership")
    @app_commands.choices(competency=COMPETENCIES)
    @cooldown()
    async def behavioral(
        self,
        interaction: discord.Interaction[Any],
        competency: app_commands.Choice[str] | None = None,
    ) -> None:
        """Serve a behavioral prompt."""
        asker = asker_of(interaction)
        filters = Filters(
            topic=BEHAVIORAL_TOPIC, competency=competency.value if competency else None
        )
        async with self.container.database.unit_of_work() as session:
            served = await self.container.quiz.serve(
                session, asker, filters, source=QuestionSource.BEHAVIORAL
            )
        await respond(interaction).send(ephemeral=False, **render_served(served, asker.user_name))

    @app_commands.command(
        name="mock",
        description="A timed mock interview: concept questions, then a behavioral one",
        extras={PUBLIC: True},
    )
    @app_commands.describe(length=f"How many questions ({MIN_LENGTH}-{MAX_LENGTH}, default 5)")
    @cooldown()
    async def mock(
        self,
        interaction: discord.Interaction[Any],
        length: app_commands.Range[int, MIN_LENGTH, MAX_LENGTH] = 5,
    ) -> None:
        """Start a mock interview."""
        asker = asker_of(interaction)
        async with self.container.database.unit_of_work() as session:
            step = await self.container.mock.start(session, asker, length)
        message = render_served(
            step.served, asker.user_name, f"Mock {step.number}/{step.length} · "
        )
        await respond(interaction).send(ephemeral=False, **message)
