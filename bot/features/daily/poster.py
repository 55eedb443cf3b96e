"""Sending a claimed daily challenge exactly once: nonce, and a look at the channel first."""

from __future__ import annotations

import discord

from bot.container import Container
from bot.features.daily.buttons import challenge_view
from bot.features.daily.render import challenge_embed, challenge_ids, daily_nonce, reveal_embed
from bot.interactions.messages import custom_ids
from bot.scheduling import ChannelUnavailable
from bot.services.daily import Claim, RevealStats

# A crashed run's post is among the channel's newest messages: it was sent minutes ago.
RECENT_MESSAGES_CHECKED = 50


class DailyPoster:
    """The scheduler's Poster: one message per server and day, with the previous reveal."""

    def __init__(self, container: Container, bot: discord.Client) -> None:
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
