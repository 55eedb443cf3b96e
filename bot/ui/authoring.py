"""Report-a-problem and add-a-question forms, restart-safe like every other component."""

from __future__ import annotations

import re
from typing import Any, Protocol, cast

import discord

from bot.ui.limits import clip

REPORT_MODAL = "rp:s:"
ADD_MODAL = "cq:add:"
QUESTION_ID = r"[a-z0-9-]{1,32}"


class AuthoringHandlers(Protocol):
    """What these components need from the cogs."""

    async def open_report(
        self, interaction: discord.Interaction[Any], question_id: str
    ) -> None: ...


def handlers(interaction: discord.Interaction[Any]) -> AuthoringHandlers:
    """The client's authoring handlers."""
    return cast(AuthoringHandlers, interaction.client.authoring_handlers)


class ReportButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"rp:(?P<qid>{QUESTION_ID})"
):
    """Under every piece of feedback: tell the maintainers a question is wrong or unclear."""

    def __init__(self, question_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Report a problem",
                emoji="🚩",
                custom_id=f"rp:{question_id}",
                style=discord.ButtonStyle.secondary,
            )
        )
        self.question_id = question_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ReportButton:
        """Rebuild from a clicked custom_id."""
        return cls(match["qid"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Open the report form."""
        await handlers(interaction).open_report(interaction, self.question_id)


AUTHORING_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (ReportButton,)


class ReportModal(discord.ui.Modal):
    """What is wrong with the question (handled in on_interaction)."""

    def __init__(self, question_id: str) -> None:
        super().__init__(
            title="Report a problem", custom_id=f"{REPORT_MODAL}{question_id}", timeout=900
        )
        self.add_item(
            discord.ui.TextInput(
                label="What is wrong or unclear?",
                custom_id="report",
                style=discord.TextStyle.paragraph,
                min_length=5,
                max_length=1000,
                placeholder="e.g. choice B is also correct because…",
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Handled in on_interaction, so it works after a restart too."""


class AddQuestionModal(discord.ui.Modal):
    """The form behind /gradient questions add; its custom_id carries topic, kind and difficulty."""

    def __init__(self, topic: str, kind: str, difficulty: str) -> None:
        super().__init__(
            title=clip(f"New {kind} question", 45),
            custom_id=f"{ADD_MODAL}{topic}:{kind}:{difficulty}",
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
        """Handled in on_interaction, so it works after a restart too."""


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
