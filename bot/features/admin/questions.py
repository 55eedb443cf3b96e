"""A server's own questions: the add form, import, export, list, remove, and the reports.

The /gradient questions commands (bot/features/admin/cog.py) run these; each is the command's
handler: one unit of work, then the reply.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import aiohttp
import discord

from bot.bank.custom import MAX_BYTES, UPLOAD_SUFFIXES, UploadError, parse_upload, validate_rows
from bot.domain.errors import GradientError
from bot.interactions.context import services
from bot.interactions.forms import form_values
from bot.interactions.guard import respond
from bot.ui import embeds
from bot.ui.limits import EMBED_DESCRIPTION, clip

FORM_PREFIX = "cq:add:"
MAX_LISTED = 25
# An upload is at most MAX_BYTES: if Discord's CDN has not delivered it by then, it is stuck.
DOWNLOAD_TIMEOUT_SECONDS = 15.0


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


class AddQuestionForm(discord.ui.Modal):
    """The form behind /gradient questions add; its custom_id carries topic, kind and difficulty."""

    def __init__(self, topic: str, kind: str, difficulty: str) -> None:
        super().__init__(
            title=clip(f"New {kind} question", 45),
            custom_id=f"{FORM_PREFIX}{topic}:{kind}:{difficulty}",
            timeout=1800,
        )
        self.add_item(
            discord.ui.TextInput(
                label="Question",
                custom_id="prompt",
                style=discord.TextStyle.paragraph,
                min_length=15,
                max_length=1000,
            )
        )
        if kind == "mcq":
            self.add_item(
                discord.ui.TextInput(
                    label="Choices, one per line; * marks the right one",
                    custom_id="choices",
                    style=discord.TextStyle.paragraph,
                    max_length=1000,
                    placeholder="*Right answer\nWrong one\nAnother",
                )
            )
        elif kind == "short":
            self.add_item(
                discord.ui.TextInput(
                    label="Accepted answers, one per line",
                    custom_id="answers",
                    style=discord.TextStyle.paragraph,
                    max_length=500,
                )
            )
        else:
            self.add_item(
                discord.ui.TextInput(
                    label="Model answer",
                    custom_id="model_answer",
                    style=discord.TextStyle.paragraph,
                    min_length=40,
                    max_length=1200,
                )
            )
            self.add_item(
                discord.ui.TextInput(
                    label="Key points: 'point: synonym, synonym'",
                    custom_id="key_points",
                    style=discord.TextStyle.paragraph,
                    max_length=1500,
                    placeholder="Dot product measures alignment: aligned, same direction",
                )
            )
        self.add_item(
            discord.ui.TextInput(
                label="Why (2-6 sentences)",
                custom_id="explanation",
                style=discord.TextStyle.paragraph,
                min_length=60,
                max_length=900,
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Nothing here: the form table answers it, even after a restart."""


def question_from_form(
    topic: str, kind: str, difficulty: str, values: dict[str, str]
) -> dict[str, Any]:
    """Turn the add-question form into bank-format fields (validated afterwards)."""
    data: dict[str, Any] = {
        "topic": topic,
        "kind": kind,
        "difficulty": difficulty,
        "tags": ["custom"],
        "prompt": values.get("prompt", ""),
        "explanation": values.get("explanation", ""),
    }
    lines = [
        line.strip()
        for line in values.get("choices", values.get("answers", "")).splitlines()
        if line.strip()
    ]
    if kind == "mcq":
        data["choices"] = [
            {"text": ln.removeprefix("*").strip(), "correct": ln.startswith("*")} for ln in lines
        ]
    elif kind == "short":
        data["answers"] = lines
    else:
        data["model_answer"] = values.get("model_answer", "")
        points = []
        for line in values.get("key_points", "").splitlines():
            point, _, synonyms = line.partition(":")
            if point.strip():
                words = [s.strip() for s in synonyms.split(",") if s.strip()] or [point.strip()]
                points.append({"point": point.strip(), "synonyms": words})
        data["key_points"] = points
    return data


async def submit_add(interaction: discord.Interaction[Any], spec: str) -> None:
    """The add-question form was submitted: validate, store, show the new id."""
    container = services(interaction)
    if interaction.guild is None or not interaction.permissions.manage_guild:
        raise GradientError("You need the Manage Server permission for that.")
    topic, _, rest = spec.partition(":")
    kind, _, difficulty = rest.partition(":")
    form = form_values(interaction)
    try:
        [question] = validate_rows(
            [question_from_form(topic, kind, difficulty, form)], container.bank.concept_topics()
        )
    except UploadError as error:
        problems = "; ".join(f"{e.field}: {e.message}" for e in error.errors[:5])
        raise GradientError(
            clip(f"That question isn't valid yet ({problems}). Nothing was saved.", 1800)
        ) from error
    guild = interaction.guild
    async with container.database.unit_of_work() as session:
        [stored] = await container.custom.add_many(
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
    interaction: discord.Interaction[Any], attachment: discord.Attachment
) -> None:
    """/gradient questions import: all rows valid, or nothing imported."""
    container = services(interaction)
    guild = interaction.guild
    assert guild is not None
    problem = upload_problem(attachment)
    if problem is not None:
        raise GradientError(problem)
    await respond(interaction).defer()
    try:
        # aiohttp's own limit is 5 minutes; a stuck CDN must not keep the admin waiting that long.
        async with asyncio.timeout(DOWNLOAD_TIMEOUT_SECONDS):
            raw = await attachment.read()
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
        raise GradientError(
            f"I couldn't download {clip(attachment.filename, 60)} from Discord, so nothing "
            "was imported. Please upload it again."
        ) from exc
    try:
        # Parsing 256 KB of YAML takes seconds in pure Python (the C loader is not used: it
        # crashes the process on deeply nested input), so it runs off the event loop.
        questions = await asyncio.to_thread(
            parse_upload, attachment.filename, raw, container.bank.concept_topics()
        )
    except UploadError as error:
        await respond(interaction).send(
            embed=embeds.notice(upload_problems(error), 0xED4245, "Import failed")
        )
        return
    async with container.database.unit_of_work() as session:
        stored = await container.custom.add_many(
            session, guild.id, guild.name, interaction.user.id, questions
        )
    ids = ", ".join(q.id for q in stored[:10]) + ("…" if len(stored) > 10 else "")
    text = f"Imported {len(stored)} question(s): {ids}."
    await respond(interaction).send(embed=embeds.notice(text, title="Import done"))


async def export_file(interaction: discord.Interaction[Any]) -> None:
    """/gradient questions export."""
    container = services(interaction)
    assert interaction.guild_id is not None
    async with container.database.unit_of_work() as session:
        text = await container.custom.export(session, interaction.guild_id)
    file = discord.File(io.BytesIO(text.encode()), "gradient-questions.yaml")
    note = embeds.notice("This server's questions, in the format /gradient questions import takes.")
    await respond(interaction).send(embed=note, file=file, ephemeral=True)


async def list_questions(interaction: discord.Interaction[Any]) -> None:
    """/gradient questions list."""
    container = services(interaction)
    assert interaction.guild_id is not None
    async with container.database.unit_of_work() as session:
        questions = await container.custom.active(session, interaction.guild_id)
    if not questions:
        text = "This server has no questions of its own yet. Add one with /gradient questions add."
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


async def remove(interaction: discord.Interaction[Any], question_id: str) -> None:
    """/gradient questions remove: retire, keeping past answers."""
    container = services(interaction)
    assert interaction.guild_id is not None
    async with container.database.unit_of_work() as session:
        question = await container.custom.remove(session, interaction.guild_id, question_id.strip())
    text = f"Removed `{question.id}`. Past answers to it are kept; it won't be served again."
    await respond(interaction).send(embed=embeds.notice(text, title="Removed"), ephemeral=True)


async def list_reports(interaction: discord.Interaction[Any]) -> None:
    """/gradient questions reports: this server's newest reports."""
    container = services(interaction)
    assert interaction.guild_id is not None
    async with container.database.unit_of_work() as session:
        reports = await container.reports.for_guild(session, interaction.guild_id)
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
