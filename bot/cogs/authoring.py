"""Server questions and problem reports: the handlers behind /gradient questions and 🚩 buttons."""

from __future__ import annotations

import io
from typing import Any

import aiohttp
import discord
from discord.ext import commands

from bot.bank.custom import MAX_BYTES, UPLOAD_SUFFIXES, UploadError, parse_upload, validate_rows
from bot.cogs.common import guarded, guarded_form, respond
from bot.container import Container
from bot.domain.errors import GradientError, InvalidAnswer
from bot.ui import embeds
from bot.ui.authoring import (
    ADD_MODAL,
    REPORT_MODAL,
    AddQuestionModal,
    ReportModal,
    question_from_form,
)
from bot.ui.components import modal_values
from bot.ui.limits import EMBED_DESCRIPTION, clip

MAX_LISTED = 25


def upload_problems(error: UploadError) -> str:
    """Every bad row, briefly: nothing was imported."""
    lines = [f"• {clip(str(e), 180)}" for e in error.errors[:15]]
    if len(error.errors) > 15:
        lines.append(f"…and {len(error.errors) - 15} more")
    return clip(
        "Nothing was imported. Fix these and upload again:\n" + "\n".join(lines), EMBED_DESCRIPTION
    )


def upload_problem(attachment: discord.Attachment) -> str | None:
    """Why an uploaded file cannot be imported, judged before downloading it; None if it may."""
    name = attachment.filename.casefold()
    if not name.endswith(UPLOAD_SUFFIXES):
        return (
            f"{clip(attachment.filename, 60)} isn't a question file: upload a .yaml, .yml or "
            ".csv file in the bank's format (see the README). Nothing was imported."
        )
    if attachment.size > MAX_BYTES:
        return (
            f"{clip(attachment.filename, 60)} is {attachment.size // 1024} KB; the limit is "
            f"{MAX_BYTES // 1024} KB. Split it into smaller files. Nothing was imported."
        )
    return None


class AuthoringCog(commands.Cog, name="Authoring"):
    """Custom questions per server, and reports on any question."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def concept_topics(self) -> list[str]:
        """Topics a server question may use."""
        return [slug for slug in self.container.bank.topics if slug != "behavioral"]

    @guarded_form
    async def open_report(self, interaction: discord.Interaction[Any], question_id: str) -> None:
        """The 🚩 button."""
        await respond(interaction).form(ReportModal(question_id))

    @guarded
    async def submit_report(self, interaction: discord.Interaction[Any], question_id: str) -> None:
        """Store a report."""
        text = modal_values(dict(interaction.data or {})).get("report", "").strip()
        if len(text) < 5:
            raise InvalidAnswer("Please say what is wrong in a few words.")
        async with self.container.database.unit_of_work() as session:
            await self.container.reports.report(
                session,
                interaction.user.id,
                interaction.user.display_name,
                interaction.guild_id,
                question_id,
                text,
            )
        thanks = "Thank you! The report is saved with the exact version of the question you saw."
        await respond(interaction).send(
            embed=embeds.notice(thanks, title="Reported"), ephemeral=True
        )

    async def open_add(
        self, interaction: discord.Interaction[Any], topic: str, kind: str, difficulty: str
    ) -> None:
        """/gradient questions add: the form."""
        if topic not in self.concept_topics():
            raise GradientError(
                "Pick a topic from the list (custom questions use the bank's topics)."
            )
        await respond(interaction).form(AddQuestionModal(topic, kind, difficulty))

    @guarded
    async def submit_add(self, interaction: discord.Interaction[Any], spec: str) -> None:
        """The add-question form was submitted: validate, store, show the new id."""
        if interaction.guild is None or not interaction.permissions.manage_guild:
            raise GradientError("You need the Manage Server permission for that.")
        topic, _, rest = spec.partition(":")
        kind, _, difficulty = rest.partition(":")
        form = modal_values(dict(interaction.data or {}))
        try:
            [question] = validate_rows(
                [question_from_form(topic, kind, difficulty, form)], self.concept_topics()
            )
        except UploadError as error:
            problems = "; ".join(f"{e.field}: {e.message}" for e in error.errors[:5])
            raise GradientError(
                clip(f"That question isn't valid yet ({problems}). Nothing was saved.", 1800)
            ) from error
        guild = interaction.guild
        async with self.container.database.unit_of_work() as session:
            [stored] = await self.container.custom.add_many(
                session, guild.id, guild.name, interaction.user.id, [question]
            )
        text = (
            f"Added **{stored.id}** ({stored.topic}, {stored.kind}). "
            "Members of this server can now get it in /quiz."
        )
        await respond(interaction).send(
            embed=embeds.notice(text, title="Question added"), ephemeral=True
        )

    async def import_file(
        self, interaction: discord.Interaction[Any], attachment: discord.Attachment
    ) -> None:
        """/gradient questions import: all rows valid, or nothing imported."""
        guild = interaction.guild
        assert guild is not None
        problem = upload_problem(attachment)
        if problem is not None:
            raise GradientError(problem)
        await respond(interaction).defer()
        try:
            raw = await attachment.read()
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
            raise GradientError(
                f"I couldn't download {clip(attachment.filename, 60)} from Discord, so nothing "
                "was imported. Please upload it again."
            ) from exc
        try:
            questions = parse_upload(attachment.filename, raw, self.concept_topics())
        except UploadError as error:
            await respond(interaction).send(
                embed=embeds.notice(upload_problems(error), 0xED4245, "Import failed")
            )
            return
        async with self.container.database.unit_of_work() as session:
            stored = await self.container.custom.add_many(
                session, guild.id, guild.name, interaction.user.id, questions
            )
        ids = ", ".join(q.id for q in stored[:10]) + ("…" if len(stored) > 10 else "")
        text = f"Imported {len(stored)} question(s): {ids}."
        await respond(interaction).send(embed=embeds.notice(text, title="Import done"))

    async def export_file(self, interaction: discord.Interaction[Any]) -> None:
        """/gradient questions export."""
        assert interaction.guild_id is not None
        async with self.container.database.unit_of_work() as session:
            text = await self.container.custom.export(session, interaction.guild_id)
        file = discord.File(io.BytesIO(text.encode()), "gradient-questions.yaml")
        note = embeds.notice(
            "This server's questions, in the format /gradient questions import takes."
        )
        await respond(interaction).send(embed=note, file=file, ephemeral=True)

    async def list_questions(self, interaction: discord.Interaction[Any]) -> None:
        """/gradient questions list."""
        assert interaction.guild_id is not None
        async with self.container.database.unit_of_work() as session:
            questions = await self.container.custom.active(session, interaction.guild_id)
        if not questions:
            text = (
                "This server has no questions of its own yet. Add one with /gradient questions add."
            )
        else:
            lines = [
                f"`{q.id}` · {q.topic} · {q.kind} · {clip(q.prompt, 70)}"
                for q in questions[:MAX_LISTED]
            ]
            more = len(questions) - MAX_LISTED
            text = "\n".join(lines) + (f"\n…and {more} more (see the export)" if more > 0 else "")
        embed = embeds.notice(
            clip(text, EMBED_DESCRIPTION), title=f"Server questions ({len(questions)})"
        )
        await respond(interaction).send(embed=embed, ephemeral=True)

    async def remove(self, interaction: discord.Interaction[Any], question_id: str) -> None:
        """/gradient questions remove: retire, keeping past answers."""
        assert interaction.guild_id is not None
        async with self.container.database.unit_of_work() as session:
            question = await self.container.custom.remove(
                session, interaction.guild_id, question_id.strip()
            )
        text = f"Removed `{question.id}`. Past answers to it are kept; it won't be served again."
        await respond(interaction).send(embed=embeds.notice(text, title="Removed"), ephemeral=True)

    async def list_reports(self, interaction: discord.Interaction[Any]) -> None:
        """/gradient questions reports: this server's newest reports."""
        assert interaction.guild_id is not None
        async with self.container.database.unit_of_work() as session:
            reports = await self.container.reports.for_guild(session, interaction.guild_id)
        if not reports:
            text = "No problem reports from this server."
        else:
            text = "\n".join(
                f"`{r.question_id}` v{r.question_version} · "
                f"{discord.utils.format_dt(r.created_at, 'd')}: {clip(r.text, 150)}"
                for r in reports
            )
        embed = embeds.notice(clip(text, EMBED_DESCRIPTION), title="Problem reports")
        await respond(interaction).send(embed=embed, ephemeral=True)

    async def dispatch_modal(self, interaction: discord.Interaction[Any]) -> bool:
        """Route report and add-question forms; True when it was ours."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return False
        custom_id = str(dict(interaction.data or {}).get("custom_id", ""))
        if custom_id.startswith(REPORT_MODAL):
            await self.submit_report(interaction, custom_id.removeprefix(REPORT_MODAL))
            return True
        if custom_id.startswith(ADD_MODAL):
            await self.submit_add(interaction, custom_id.removeprefix(ADD_MODAL))
            return True
        return False
