"""How the daily challenge looks: the post, yesterday's reveal, and the post's nonce."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime

import discord

from bot.domain.questions import AnyQuestion, McqQuestion
from bot.services.daily import RevealStats
from bot.ui.embeds import COLOURS, KIND_LABELS
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, clip

_CHALLENGE_BUTTON = re.compile(r"dc:[am]:(\d{1,19})(?::\d)?")
NONCE_LENGTH = 25  # Discord's limit for a string nonce


def daily_nonce(guild_id: int, local_date: date) -> str:
    """The create-message nonce of a server's post for a day: the same for every retry."""
    digest = hashlib.blake2b(f"daily:{guild_id}:{local_date.isoformat()}".encode(), digest_size=16)
    return digest.hexdigest()[:NONCE_LENGTH]


def challenge_ids(ids: set[str]) -> set[int]:
    """The challenge ids named by daily answer buttons among some custom_ids."""
    return {int(m.group(1)) for custom_id in ids if (m := _CHALLENGE_BUTTON.fullmatch(custom_id))}


def challenge_embed(q: AnyQuestion, topic_name: str, closes_at: datetime) -> discord.Embed:
    """Today's challenge, with a countdown to its close."""
    body = q.prompt
    if isinstance(q, McqQuestion):
        body += "\n\n" + "\n".join(f"**{q.letter(i)}.** {c.text}" for i, c in enumerate(q.choices))
    body += (
        f"\n\nCloses {discord.utils.format_dt(closes_at, 'R')}. One answer each; +50% daily bonus."
    )
    kind = KIND_LABELS.get(q.kind, q.kind)
    embed = discord.Embed(
        title=clip(f"📅 Daily challenge · {topic_name} · {q.difficulty} · {kind}", 256),
        description=clip(body, EMBED_DESCRIPTION),
        colour=COLOURS[q.difficulty],
    )
    embed.set_footer(text="Answers are private; the reveal comes with tomorrow's challenge.")
    return embed


def answer_text(q: AnyQuestion) -> str:
    """The answer as shown in a reveal."""
    if isinstance(q, McqQuestion):
        return f"{q.letter(q.correct_index)}. {q.choices[q.correct_index].text}"
    answers = getattr(q, "answers", None)
    if answers:
        return str(answers[0])
    return str(getattr(q, "model_answer", ""))


def reveal_embed(q: AnyQuestion, stats: RevealStats) -> discord.Embed:
    """Yesterday's answer, why, and how the server did."""
    embed = discord.Embed(title="🔎 Yesterday's challenge, revealed", colour=0x5865F2)
    embed.description = clip(
        f"**{clip(q.prompt, 300)}**\n\nAnswer: **{answer_text(q)}**", EMBED_DESCRIPTION
    )
    embed.add_field(name="Why", value=clip(q.explanation, EMBED_FIELD_VALUE), inline=False)
    if stats.answered:
        result = f"{stats.answered} answered · {stats.percent_correct:.0%} correct"
    else:
        result = "Nobody answered. Today is a new chance!"
    embed.add_field(name="Results", value=result, inline=False)
    if stats.first_correct:
        names = ", ".join(discord.utils.escape_markdown(clip(n, 32)) for n in stats.first_correct)
        embed.add_field(name="First correct", value=clip(names, EMBED_FIELD_VALUE), inline=False)
    return embed
