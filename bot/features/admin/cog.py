"""/gradient: server administration (Manage Server, checked by Discord and again here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.container import Container
from bot.domain import daily as rules
from bot.domain.errors import GradientError
from bot.features.admin import questions
from bot.features.admin.buttons import ResetConfirm
from bot.features.admin.render import status_embed
from bot.interactions.guard import respond
from bot.ui import embeds
from bot.ui.limits import CHOICE_NAME, CHOICES, clip

T = TypeVar("T")
MANAGE = discord.Permissions(manage_guild=True)
DIFFICULTIES = [app_commands.Choice(name=d, value=d) for d in ("easy", "medium", "hard")]
NEEDED = ("view_channel", "send_messages", "embed_links")


def admin_only() -> Callable[[T], T]:
    """Server-side permission check (Discord's default permissions can be overridden by admins)."""
    return app_commands.checks.has_permissions(manage_guild=True)


class AdminCog(commands.Cog, name="Admin"):
    """Daily challenge set-up, score resets and seasons."""

    gradient = app_commands.Group(
        name="gradient",
        description="Gradient server settings (Manage Server)",
        default_permissions=MANAGE,
        guild_only=True,
    )
    daily_group = app_commands.Group(
        name="daily", description="The daily challenge", parent=gradient
    )
    scores_group = app_commands.Group(
        name="scores", description="Server leaderboard scores", parent=gradient
    )
    season_group = app_commands.Group(
        name="season", description="Leaderboard seasons", parent=gradient
    )
    questions_group = app_commands.Group(
        name="questions",
        description="This server's own questions and problem reports",
        parent=gradient,
    )

    def __init__(self, container: Container) -> None:
        self.container = container
        self.scheduler = container.scheduler

    def _topics(self, raw: str | None) -> list[str]:
        if not raw:
            return []
        chosen = [t.strip().casefold() for t in raw.split(",") if t.strip()]
        known = set(self.container.bank.concept_topics())
        unknown = [t for t in chosen if t not in known]
        if unknown:
            raise GradientError(
                f"Unknown topic(s): {clip(', '.join(unknown), 200)}. Pick from the suggestions."
            )
        return sorted(set(chosen))

    @daily_group.command(name="set", description="Turn on or change the daily challenge")
    @app_commands.describe(
        channel="Where to post it",
        time="Local time, 24-hour HH:MM (e.g. 09:00)",
        timezone="IANA timezone, e.g. Europe/Berlin (start typing)",
        topics="Comma-separated topics (default: all)",
        difficulty="Only this difficulty (default: any)",
        server_questions="Also use this server's own questions (default: no)",
    )
    @app_commands.choices(difficulty=DIFFICULTIES)
    @admin_only()
    async def daily_set(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel,
        time: str,
        timezone: str,
        topics: str | None = None,
        difficulty: app_commands.Choice[str] | None = None,
        server_questions: bool = False,
    ) -> None:
        """Validate everything, store it, re-arm the job at once."""
        at = rules.parse_time(time)
        zone = rules.parse_zone(timezone)
        chosen = self._topics(topics)
        guild = interaction.guild
        assert guild is not None
        missing = [p for p in NEEDED if not getattr(channel.permissions_for(guild.me), p)]
        if missing:
            names = ", ".join(p.replace("_", " ").title() for p in missing)
            raise GradientError(f"I can't post in {channel.mention}: I need {names} there.")
        async with self.container.database.unit_of_work() as session:
            next_post = await self.container.daily.configure(
                session,
                guild.id,
                guild.name,
                channel_id=channel.id,
                at=at,
                timezone=zone.key,
                topics=chosen,
                difficulty=difficulty.value if difficulty else None,
                include_custom=server_questions,
            )
            config = await self.container.daily.config(session, guild.id)
        assert config is not None
        self.scheduler.arm(config)
        when = (
            f"{discord.utils.format_dt(next_post, 'F')} ({discord.utils.format_dt(next_post, 'R')})"
        )
        text = (
            f"The daily challenge is on in {channel.mention} at {at:%H:%M} {zone.key}. "
            f"Topics: {', '.join(chosen) or 'all'}. Next post: {when}."
        )
        await respond(interaction).send(
            embed=embeds.notice(text, title="Daily challenge set"), ephemeral=True
        )

    @daily_set.autocomplete("timezone")
    async def _zones(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.casefold().replace(" ", "_")
        names = [z for z in rules.zone_names() if needle in z.casefold()]
        names.sort(key=lambda z: (not z.casefold().startswith(needle), len(z), z))
        return [app_commands.Choice(name=z[:CHOICE_NAME], value=z) for z in names[:CHOICES]]

    @daily_set.autocomplete("topics")
    async def _topic_list(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        done, _, last = current.rpartition(",")
        prefix = f"{done}," if done else ""
        options = [
            slug
            for slug in self.container.bank.concept_topics()
            if last.strip().casefold() in slug and slug not in done.split(",")
        ]
        return [
            app_commands.Choice(name=clip(prefix + slug, CHOICE_NAME), value=(prefix + slug)[:100])
            for slug in options[:CHOICES]
        ]

    @daily_group.command(name="off", description="Turn the daily challenge off")
    @admin_only()
    async def daily_off(self, interaction: discord.Interaction[Any]) -> None:
        """Disable and disarm."""
        assert interaction.guild_id is not None
        async with self.container.database.unit_of_work() as session:
            await self.container.daily.disable(session, interaction.guild_id)
        self.scheduler.disarm(interaction.guild_id)
        await respond(interaction).send(
            embed=embeds.notice("The daily challenge is off.", title="Done"), ephemeral=True
        )

    @daily_group.command(
        name="now", description="Post today's challenge now, if it isn't posted yet"
    )
    @admin_only()
    async def daily_now(self, interaction: discord.Interaction[Any]) -> None:
        """Run today's post immediately (still exactly once)."""
        assert interaction.guild_id is not None
        await respond(interaction).defer()
        result = await self.scheduler.run_guild(interaction.guild_id, force=True)
        texts = {
            "posted": "Today's challenge is posted.",
            "skipped": "Today's challenge was already posted (or the daily challenge is off).",
            "disabled": "I couldn't post: see /gradient daily status for why.",
            "failed": "Posting failed; it will be retried. Check /gradient daily status.",
        }
        await respond(interaction).send(embed=embeds.notice(texts[result.outcome]), ephemeral=True)

    @daily_group.command(
        name="status", description="Settings, next post, last post and any problem"
    )
    @admin_only()
    async def daily_status(self, interaction: discord.Interaction[Any]) -> None:
        """Show the set-up."""
        assert interaction.guild_id is not None
        async with self.container.database.unit_of_work() as session:
            config = await self.container.daily.config(session, interaction.guild_id)
            latest = await self.container.daily.latest(session, interaction.guild_id)
        last = (latest.local_date.isoformat(), latest.status) if latest else None
        channel = f"<#{config.channel_id}>" if config and config.channel_id else "—"
        embed = status_embed(config, self.scheduler.next_run(interaction.guild_id), last, channel)
        await respond(interaction).send(embed=embed, ephemeral=True)

    @scores_group.command(
        name="reset", description="Reset this server's leaderboard scores (asks first)"
    )
    @app_commands.describe(member="Only this member (default: everyone)")
    @admin_only()
    async def scores_reset(
        self, interaction: discord.Interaction[Any], member: discord.User | None = None
    ) -> None:
        """Ask for confirmation."""
        view = discord.ui.View(timeout=None)
        view.add_item(ResetConfirm(interaction.user.id, member.id if member else 0))
        who = member.mention if member else "everyone"
        text = f"Reset this server's scores for {who}? Global scores stay. This cannot be undone."
        await respond(interaction).send(
            embed=embeds.notice(text, 0xED4245, "Reset scores?"), view=view, ephemeral=True
        )

    @season_group.command(
        name="start", description="Start a new leaderboard season (all-time stays)"
    )
    @admin_only()
    async def season_start(self, interaction: discord.Interaction[Any]) -> None:
        """Begin a season now."""
        guild = interaction.guild
        assert guild is not None
        async with self.container.database.unit_of_work() as session:
            started = await self.container.admin.start_season(session, guild.id, guild.name)
        text = (
            f"A new season started {discord.utils.format_dt(started, 'R')}. See it with "
            "/leaderboard period:this season. All-time scores are unchanged."
        )
        await respond(interaction).send(
            embed=embeds.notice(text, title="New season"), ephemeral=False
        )

    @questions_group.command(
        name="add", description="Write a question for this server (opens a form)"
    )
    @app_commands.describe(
        topic="Its topic", kind="The kind of question", difficulty="How hard it is"
    )
    @app_commands.choices(
        kind=[
            app_commands.Choice(name="multiple choice", value="mcq"),
            app_commands.Choice(name="short answer", value="short"),
            app_commands.Choice(name="explain it", value="open"),
        ],
        difficulty=DIFFICULTIES,
    )
    @admin_only()
    async def questions_add(
        self,
        interaction: discord.Interaction[Any],
        topic: str,
        kind: app_commands.Choice[str],
        difficulty: app_commands.Choice[str],
    ) -> None:
        """Open the add-question form."""
        slug = topic.strip().casefold()
        if slug not in self.container.bank.concept_topics():
            raise GradientError(
                "Pick a topic from the list (custom questions use the bank's topics)."
            )
        await respond(interaction).form(
            questions.AddQuestionForm(slug, kind.value, difficulty.value)
        )

    @questions_add.autocomplete("topic")
    async def _add_topic(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.casefold()
        return [
            app_commands.Choice(
                name=clip(self.container.bank.topics[slug].name, CHOICE_NAME), value=slug
            )
            for slug in self.container.bank.concept_topics()
            if needle in slug or needle in self.container.bank.topics[slug].name.casefold()
        ][:CHOICES]

    @questions_group.command(name="import", description="Import questions from a YAML or CSV file")
    @app_commands.describe(file="A .yaml or .csv file in the bank's format (see the README)")
    @admin_only()
    async def questions_import(
        self, interaction: discord.Interaction[Any], file: discord.Attachment
    ) -> None:
        """Every row validated; nothing imported unless all are valid."""
        await questions.import_file(interaction, file)

    @questions_group.command(name="export", description="Download this server's questions as YAML")
    @admin_only()
    async def questions_export(self, interaction: discord.Interaction[Any]) -> None:
        """The export file."""
        await questions.export_file(interaction)

    @questions_group.command(name="list", description="This server's own questions")
    @admin_only()
    async def questions_list(self, interaction: discord.Interaction[Any]) -> None:
        """List them."""
        await questions.list_questions(interaction)

    @questions_group.command(
        name="remove", description="Stop serving one of this server's questions"
    )
    @app_commands.describe(question_id="The id shown by /gradient questions list")
    @admin_only()
    async def questions_remove(
        self, interaction: discord.Interaction[Any], question_id: str
    ) -> None:
        """Retire it."""
        await questions.remove(interaction, question_id)

    @questions_group.command(
        name="reports", description="Problem reports members made in this server"
    )
    @admin_only()
    async def questions_reports(self, interaction: discord.Interaction[Any]) -> None:
        """Show the reports."""
        await questions.list_reports(interaction)
