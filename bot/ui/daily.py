"""Daily-challenge messages: the challenge, the reveal, the status card, and their buttons."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any, Protocol, cast

import discord

from bot.domain.questions import AnyQuestion, McqQuestion
from bot.services.daily import DailyConfig, RevealStats
from bot.ui.embeds import COLOURS, KIND_LABELS
from bot.ui.ids import bounded
from bot.ui.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, clip

DAILY_MODAL_PREFIX = "dc:s:"
_CHALLENGE_BUTTON = re.compile(r"dc:[am]:(\d{1,19})(?::\d)?")
NONCE_LENGTH = 25  # Discord's limit for a string nonce


def daily_nonce(guild_id: int, local_date: date) -> str:
    """The create-message nonce of a server's post for a day: the same for every retry."""
    digest = hashlib.blake2b(f"daily:{guild_id}:{local_date.isoformat()}".encode(), digest_size=16)
    return digest.hexdigest()[:NONCE_LENGTH]


def challenge_ids(ids: set[str]) -> set[int]:
    """The challenge ids named by daily answer buttons among some custom_ids."""
    return {int(m.group(1)) for custom_id in ids if (m := _CHALLENGE_BUTTON.fullmatch(custom_id))}


class DailyHandlers(Protocol):
    """What daily buttons need from the daily cog."""

    async def daily_choose(
        self, interaction: discord.Interaction[Any], challenge_id: int, choice: int
    ) -> None: ...
    async def daily_open(
        self, interaction: discord.Interaction[Any], challenge_id: int
    ) -> None: ...
    async def reset_confirm(
        self, interaction: discord.Interaction[Any], admin_id: int, member_id: int
    ) -> None: ...


def handlers(interaction: discord.Interaction[Any]) -> DailyHandlers:
    """The daily cog of this client."""
    return cast(DailyHandlers, interaction.client.daily_handlers)


class DailyChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"dc:a:(?P<cid>\d{1,19}):(?P<choice>\d)",
):
    """An option of the daily MCQ: anyone in the server may answer, once."""

    def __init__(self, challenge_id: int, choice: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=chr(65 + choice),
                custom_id=f"dc:a:{challenge_id}:{choice}",
                style=discord.ButtonStyle.secondary,
            )
        )
        self.challenge_id, self.choice = challenge_id, choice

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> DailyChoice:
        """Rebuild from a clicked custom_id."""
        return cls(bounded(match["cid"]), bounded(match["choice"], 9, forged=9))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Answer."""
        await handlers(interaction).daily_choose(interaction, self.challenge_id, self.choice)


class DailyAnswer(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"dc:m:(?P<cid>\d{1,19})"
):
    """Opens the answer form for a short or open daily challenge."""

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

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> DailyAnswer:
        """Rebuild from a clicked custom_id."""
        return cls(bounded(match["cid"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Open the form."""
        await handlers(interaction).daily_open(interaction, self.challenge_id)


class ResetConfirm(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"rs:(?P<admin>\d{1,20}):(?P<member>\d{1,20})",
):
    """Confirms a score reset; member 0 means everyone."""

    def __init__(self, admin_id: int, member_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Reset scores",
                custom_id=f"rs:{admin_id}:{member_id}",
                style=discord.ButtonStyle.danger,
            )
        )
        self.admin_id, self.member_id = admin_id, member_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ResetConfirm:
        """Rebuild from a clicked custom_id."""
        return cls(bounded(match["admin"]), bounded(match["member"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Reset."""
        await handlers(interaction).reset_confirm(interaction, self.admin_id, self.member_id)


DAILY_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    DailyChoice,
    DailyAnswer,
    ResetConfirm,
)


def challenge_view(challenge_id: int, q: AnyQuestion) -> discord.ui.View:
    """Answer buttons for a daily challenge."""
    view = discord.ui.View(timeout=None)
    if isinstance(q, McqQuestion):
        for i in range(len(q.choices)):
            view.add_item(DailyChoice(challenge_id, i))
    else:
        view.add_item(DailyAnswer(challenge_id))
    return view


def challenge_embed(q: AnyQuestion, topic_name: str, closes_at: datetime) -> discord.Embed:
    """Today's challenge, with a countdown to its close."""
    body = q.prompt
    if isinstance(q, McqQuestion):
        body += "\n\n" + "\n".join(f"**{chr(65 + i)}.** {c.text}" for i, c in enumerate(q.choices))
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
        return f"{chr(65 + q.correct_index)}. {q.choices[q.correct_index].text}"
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


def status_embed(
    cfg: DailyConfig | None, next_run: datetime | None, last: tuple[str, str] | None, channel: str
) -> discord.Embed:
    """The admin's view of the daily setup."""
    embed = discord.Embed(title="Daily challenge status", colour=0x5865F2)
    if cfg is None or (not cfg.enabled and not cfg.problem and cfg.at is None):
        embed.description = "Not set up. Use /gradient daily set."
        return embed
    state = "on" if cfg.enabled else "off"
    embed.add_field(name="State", value=state, inline=True)
    embed.add_field(name="Channel", value=channel, inline=True)
    at = cfg.at.strftime("%H:%M") if cfg.at else "—"
    embed.add_field(name="Time", value=f"{at} {cfg.timezone}", inline=True)
    embed.add_field(
        name="Topics", value=clip(", ".join(cfg.topics) or "all", EMBED_FIELD_VALUE), inline=True
    )
    embed.add_field(name="Difficulty", value=cfg.difficulty or "any", inline=True)
    nxt = discord.utils.format_dt(next_run, "F") if next_run and cfg.enabled else "—"
    embed.add_field(name="Next post", value=nxt, inline=True)
    embed.add_field(
        name="Last post", value=f"{last[0]} ({last[1]})" if last else "none yet", inline=False
    )
    if cfg.problem:
        embed.add_field(name="⚠️ Problem", value=clip(cfg.problem, EMBED_FIELD_VALUE), inline=False)
    return embed
