"""/daily, the daily post itself, and answers to it (buttons and form, restart-safe)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import guarded, guarded_form, in_time, respond
from bot.cogs.quiz import cooldown
from bot.container import Container
from bot.domain.errors import InvalidAnswer
from bot.domain.questions import AnyQuestion, McqQuestion
from bot.scheduling import ChannelUnavailable
from bot.services.daily import ChallengeClosed, Claim, RevealStats
from bot.ui import embeds
from bot.ui.authoring import ReportButton
from bot.ui.components import ANSWER_INPUT, AnswerModal, modal_values
from bot.ui.daily import (
    DAILY_MODAL_PREFIX,
    challenge_embed,
    challenge_ids,
    challenge_view,
    daily_nonce,
    reveal_embed,
)
from bot.ui.ids import bounded
from bot.ui.messages import custom_ids

# A crashed run's post is among the channel's newest messages: it was sent minutes ago.
RECENT_MESSAGES_CHECKED = 50


class DailyModal(AnswerModal):
    """The answer form for a daily challenge (custom_id dc:s:<challenge id>)."""

    def __init__(self, challenge_id: int, question: Any) -> None:
        super().__init__(str(challenge_id), question)
        self.custom_id = f"{DAILY_MODAL_PREFIX}{challenge_id}"


class DailyCog(commands.Cog, name="Daily"):
    """Posts the daily challenge and takes members' answers."""

    def __init__(self, container: Container, bot: commands.Bot) -> None:
        self.container = container
        self.bot = bot

    def _topic_name(self, slug: str) -> str:
        topic = self.container.bank.topics.get(slug)
        return topic.name if topic else slug

    async def post(self, claim: Claim, reveal: RevealStats | None) -> int:
        """Send the reveal (if any) and today's challenge as one message: one request per server.

        Exactly once: the message carries a nonce made from the server and the local date, which
        Discord uses to refuse a second copy for a few minutes; and a claim taken over from a run
        that died first looks in the channel for the post that run may have sent.
        """
        challenge, question = claim.challenge, claim.question
        assert challenge.id is not None
        channel = self.bot.get_partial_messageable(
            challenge.channel_id, guild_id=challenge.guild_id
        )
        try:
            if claim.retaken:
                found = await self._find_post(channel, challenge.id)
                if found is not None:
                    return found
            sent: list[discord.Embed] = []
            if reveal is not None and claim.previous_question is not None:
                sent.append(reveal_embed(claim.previous_question, reveal))
            sent.append(
                challenge_embed(question, self._topic_name(question.topic), challenge.closes_at)
            )
            message = await channel.send(
                embeds=sent,
                view=challenge_view(challenge.id, question),
                nonce=daily_nonce(challenge.guild_id, challenge.local_date),
            )
        except discord.NotFound as exc:
            raise ChannelUnavailable(
                "The daily channel was deleted. Pick a new one with /gradient daily set."
            ) from exc
        except discord.Forbidden as exc:
            raise ChannelUnavailable(
                "I'm not allowed to post in the daily channel. Give me View Channel, Send "
                "Messages and Embed Links there, then run /gradient daily set again."
            ) from exc
        return message.id

    async def _find_post(
        self, channel: discord.PartialMessageable, challenge_id: int
    ) -> int | None:
        """The id of a post of this challenge already in the channel, if the bot can see one."""
        me = self.bot.user
        try:
            async for message in channel.history(limit=RECENT_MESSAGES_CHECKED):
                mine = me is not None and message.author.id == me.id
                if mine and challenge_id in challenge_ids(custom_ids(message)):
                    return message.id
        except discord.Forbidden:
            # Without Read Message History the nonce alone guards against a second copy.
            return None
        return None

    @app_commands.command(
        name="daily", description="Today's daily challenge for this server, and your streak"
    )
    @app_commands.guild_only()
    @cooldown()
    async def daily(self, interaction: discord.Interaction[Any]) -> None:
        """Show today's challenge privately, answerable here too."""
        assert interaction.guild_id is not None
        async with self.container.database.unit_of_work() as session:
            challenge = await self.container.daily.current(session, interaction.guild_id)
            streak = await self.container.daily.streak(
                session, interaction.user.id, interaction.guild_id
            )
            question = await self.container.custom.get(
                session, challenge.question_id, interaction.guild_id
            )
        if question is None:
            raise ChallengeClosed("Today's question is no longer in the bank.")
        assert challenge.id is not None
        embed = challenge_embed(question, self._topic_name(question.topic), challenge.closes_at)
        note = f"Your streak here: {streak.current} day(s) (best {streak.best})."
        await respond(interaction).send(
            content=note, embed=embed, view=challenge_view(challenge.id, question), ephemeral=True
        )

    async def _answer(
        self, interaction: discord.Interaction[Any], challenge_id: int, response: str
    ) -> None:
        """One unit of work for the answer and the streak it earned, then private feedback."""
        user = interaction.user
        async with self.container.database.unit_of_work() as session:
            outcome = await self.container.daily.answer(
                session,
                challenge_id,
                user.id,
                user.display_name,
                response,
                guild_id=interaction.guild_id,
            )
            assert interaction.guild_id is not None  # answer() refuses DMs
            streak = await self.container.daily.streak(session, user.id, interaction.guild_id)
        text = f"🔥 Streak: {streak.current} day(s) (best {streak.best})."
        view = discord.ui.View(timeout=None)
        view.add_item(ReportButton(outcome.question.id))
        await respond(interaction).send(
            content=text, embeds=embeds.feedback(outcome), view=view, ephemeral=True
        )

    @guarded
    async def daily_choose(
        self, interaction: discord.Interaction[Any], challenge_id: int, choice: int
    ) -> None:
        """An option of the daily MCQ."""
        await self._answer(interaction, challenge_id, chr(65 + choice))

    @guarded_form
    async def daily_open(self, interaction: discord.Interaction[Any], challenge_id: int) -> None:
        """Open the answer form, unless the challenge closed or belongs to another server."""
        question = await in_time(self._question_to_answer(challenge_id, interaction.guild_id))
        if isinstance(question, McqQuestion):
            raise InvalidAnswer("Use the A–E buttons for this one.")
        await respond(interaction).form(DailyModal(challenge_id, question))

    async def _question_to_answer(self, challenge_id: int, guild_id: int | None) -> AnyQuestion:
        async with self.container.database.unit_of_work() as session:
            _, question = await self.container.daily.answerable(session, challenge_id, guild_id)
        return question

    @guarded
    async def daily_submit(self, interaction: discord.Interaction[Any], challenge_id: int) -> None:
        """The daily answer form was submitted."""
        text = modal_values(dict(interaction.data or {})).get(ANSWER_INPUT, "").strip()
        if not text:
            raise InvalidAnswer("Your answer was empty. Press Answer to try again.")
        await self._answer(interaction, challenge_id, text)

    async def dispatch_modal(self, interaction: discord.Interaction[Any]) -> bool:
        """Route a daily answer form; True when it was ours."""
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if interaction.type is not discord.InteractionType.modal_submit:
            return False
        if not custom_id.startswith(DAILY_MODAL_PREFIX):
            return False
        await self.daily_submit(interaction, bounded(custom_id.removeprefix(DAILY_MODAL_PREFIX)))
        return True
