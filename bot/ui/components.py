"""Buttons and modals whose state lives in their custom_id, so they survive restarts.

Each DynamicItem parses its custom_id and hands the interaction to the cog that owns the
action, looked up on the client. discord.py swallows exceptions raised in DynamicItem
callbacks, so every handler runs inside the error boundary (see bot/cogs/errors.py).
"""

from __future__ import annotations

import re
from typing import Any, Protocol, cast

import discord

from bot.domain.questions import AnyQuestion, BehavioralQuestion, McqQuestion
from bot.ui.authoring import ReportButton
from bot.ui.ids import bounded
from bot.ui.limits import MODAL_TITLE, TEXT_INPUT_MAX, clip

TOKEN = r"[A-Za-z0-9_-]{1,40}"
MODAL_PREFIX = "gq:s:"
ANSWER_INPUT = "answer"


class Handlers(Protocol):
    """What the components need from the cogs."""

    async def choose(
        self, interaction: discord.Interaction[Any], token: str, choice: int
    ) -> None: ...
    async def open_answer(self, interaction: discord.Interaction[Any], token: str) -> None: ...
    async def next_question(self, interaction: discord.Interaction[Any], token: str) -> None: ...
    async def rate(
        self, interaction: discord.Interaction[Any], token: str, attempt_id: int, rating: int
    ) -> None: ...
    async def leaderboard_page(
        self, interaction: discord.Interaction[Any], scope: str, period: str, page: int
    ) -> None: ...
    async def drill(
        self, interaction: discord.Interaction[Any], topic: str, user_id: int
    ) -> None: ...
    async def forget(
        self, interaction: discord.Interaction[Any], user_id: int, confirm: bool
    ) -> None: ...


def handlers(interaction: discord.Interaction[Any]) -> Handlers:
    """The object that handles component actions for this client."""
    return cast(Handlers, interaction.client.handlers)


class ChoiceButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"gq:a:(?P<token>{TOKEN}):(?P<choice>\w{{1,4}})",
):
    """One option of a multiple-choice question."""

    def __init__(
        self,
        token: str,
        choice: int,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        label = chr(65 + choice) if 0 <= choice < 26 else "?"
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label, custom_id=f"gq:a:{token}:{choice}", style=style, disabled=disabled
        )
        super().__init__(button)
        self.token, self.choice = token, choice

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ChoiceButton:
        """Rebuild from a clicked custom_id."""
        return cls(match["token"], bounded(match["choice"], 25, forged=99))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Answer with this option."""
        await handlers(interaction).choose(interaction, self.token, self.choice)


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"gq:m:(?P<token>{TOKEN})"
):
    """Opens the answer modal for a short, open or behavioral question."""

    def __init__(self, token: str, *, disabled: bool = False, label: str = "Answer") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                custom_id=f"gq:m:{token}",
                style=discord.ButtonStyle.primary,
                emoji="✍️",
                disabled=disabled,
            )
        )
        self.token = token

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        """Rebuild from a clicked custom_id."""
        return cls(match["token"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Open the modal."""
        await handlers(interaction).open_answer(interaction, self.token)


class NextButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"gq:n:(?P<token>{TOKEN})"
):
    """Serves the next question in the same session (or the mock's next step)."""

    def __init__(self, token: str, label: str = "Next question") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, custom_id=f"gq:n:{token}", style=discord.ButtonStyle.success, emoji="➡️"
            )
        )
        self.token = token

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> NextButton:
        """Rebuild from a clicked custom_id."""
        return cls(match["token"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Continue."""
        await handlers(interaction).next_question(interaction, self.token)


RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class RateButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"gq:r:(?P<token>{TOKEN}):(?P<attempt>\d{{1,19}}):(?P<rating>\d)",
):
    """Self-rating after an open or behavioral answer: it drives spaced repetition."""

    def __init__(self, token: str, attempt_id: int, rating: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=RATINGS.get(rating, "?"),
                custom_id=f"gq:r:{token}:{attempt_id}:{rating}",
                style=discord.ButtonStyle.secondary,
            )
        )
        self.token, self.attempt_id, self.rating = token, attempt_id, rating

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> RateButton:
        """Rebuild from a clicked custom_id."""
        return cls(match["token"], bounded(match["attempt"]), bounded(match["rating"], 9, forged=9))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Record the rating."""
        await handlers(interaction).rate(interaction, self.token, self.attempt_id, self.rating)


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"lb:(?P<scope>\w{1,8}):(?P<period>\w{1,8}):(?P<page>\d{1,5}):(?P<label>\w{1,5})",
):
    """Leaderboard pager."""

    def __init__(
        self, scope: str, period: str, page: int, label: str, *, disabled: bool = False
    ) -> None:
        text = {"prev": "◀ Previous", "next": "Next ▶", "me": "Find me"}.get(label, label)
        super().__init__(
            discord.ui.Button(
                label=text,
                custom_id=f"lb:{scope}:{period}:{page}:{label}",
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
            )
        )
        self.scope, self.period, self.page, self.label = scope, period, page, label

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PageButton:
        """Rebuild from a clicked custom_id."""
        return cls(match["scope"], match["period"], bounded(match["page"], 99_999), match["label"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Show the page."""
        await handlers(interaction).leaderboard_page(
            interaction, self.scope, self.period, self.page
        )


class DrillButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"wk:(?P<user>\d{1,20}):(?P<topic>[a-z0-9-]{1,40})",
):
    """Start a quiz on one weak topic."""

    def __init__(self, user_id: int, topic: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(f"Drill {label}", 80),
                custom_id=f"wk:{user_id}:{topic}",
                style=discord.ButtonStyle.primary,
            )
        )
        self.user_id, self.topic = user_id, topic

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> DrillButton:
        """Rebuild from a clicked custom_id."""
        return cls(bounded(match["user"]), match["topic"], match["topic"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Drill."""
        await handlers(interaction).drill(interaction, self.topic, self.user_id)


class ForgetButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"fm:(?P<user>\d{1,20}):(?P<action>yes|no)",
):
    """Confirm or cancel deleting all of a user's data."""

    def __init__(self, user_id: int, confirm: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete everything" if confirm else "Cancel",
                custom_id=f"fm:{user_id}:{'yes' if confirm else 'no'}",
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
            )
        )
        self.user_id, self.confirm = user_id, confirm

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ForgetButton:
        """Rebuild from a clicked custom_id."""
        return cls(bounded(match["user"]), match["action"] == "yes")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Delete or cancel."""
        await handlers(interaction).forget(interaction, self.user_id, self.confirm)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    ChoiceButton,
    AnswerButton,
    NextButton,
    RateButton,
    PageButton,
    DrillButton,
    ForgetButton,
)


def question_view(
    token: str, q: AnyQuestion, *, answered: bool = False, chosen: int | None = None
) -> discord.ui.View:
    """The buttons under a public question: A–E for MCQ, or an Answer button."""
    view = discord.ui.View(timeout=None)
    if isinstance(q, McqQuestion):
        for i in range(len(q.choices)):
            # The pick is highlighted; right and wrong are not shown in public.
            chosen_style = answered and i == chosen
            style = discord.ButtonStyle.primary if chosen_style else discord.ButtonStyle.secondary
            view.add_item(ChoiceButton(token, i, style=style, disabled=answered))
    else:
        label = "Tell your story" if isinstance(q, BehavioralQuestion) else "Answer"
        view.add_item(
            AnswerButton(token, disabled=answered, label="Answered" if answered else label)
        )
    return view


def feedback_view(
    next_token: str,
    attempt_id: int | None = None,
    next_label: str = "Next question",
    report_id: str | None = None,
) -> discord.ui.View:
    """Under private feedback: optional self-rating buttons, Next, and Report a problem."""
    view = discord.ui.View(timeout=None)
    if attempt_id is not None:
        for rating in RATINGS:
            view.add_item(RateButton(next_token, attempt_id, rating))
    view.add_item(NextButton(next_token, next_label))
    if report_id is not None:
        view.add_item(ReportButton(report_id))
    return view


class AnswerModal(discord.ui.Modal):
    """The answer form; on_interaction handles submissions, so they survive restarts."""

    def __init__(self, token: str, q: AnyQuestion) -> None:
        title = "Tell your story (STAR)" if isinstance(q, BehavioralQuestion) else "Your answer"
        if q.kind == "open":
            title = "Explain it from first principles"
        super().__init__(
            title=clip(title, MODAL_TITLE), custom_id=f"{MODAL_PREFIX}{token}", timeout=900
        )
        long_form = q.kind in {"open", "behavioral"}
        self.add_item(
            discord.ui.TextInput(
                label="Answer" if not long_form else "Your answer",
                custom_id=ANSWER_INPUT,
                style=discord.TextStyle.paragraph if long_form else discord.TextStyle.short,
                max_length=TEXT_INPUT_MAX if long_form else 200,
                placeholder=clip(q.prompt, 100),
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        """Nothing here: on_interaction handles every answer modal, even after restarts."""


def modal_values(data: dict[str, Any]) -> dict[str, str]:
    """Text input values from a modal-submit payload (action rows or labels)."""
    values: dict[str, str] = {}
    stack = list(data.get("components", []))
    while stack:
        component = stack.pop()
        if "components" in component:
            stack.extend(component["components"])
        if "component" in component:
            stack.append(component["component"])
        if "custom_id" in component and "value" in component:
            values[component["custom_id"]] = str(component["value"])
    return values
