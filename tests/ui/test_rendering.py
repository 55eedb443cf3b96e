"""Rendering stays inside Discord's limits, whatever the content."""

from __future__ import annotations

from datetime import date

import discord

from bot.domain.grading import Grade
from bot.domain.scoring import Points
from bot.domain.star import coach
from bot.features.account.buttons import ForgetButton
from bot.features.admin.buttons import ResetConfirm
from bot.features.daily.buttons import ITEMS as DAILY
from bot.features.progress.board import PageButton
from bot.features.progress.drill import DrillButton
from bot.features.quiz.buttons import ITEMS as QUIZ
from bot.features.quiz.buttons import AnswerForm, feedback_view, question_view
from bot.features.reports import ReportButton
from bot.interactions.forms import values_of
from bot.services.results import AnswerOutcome
from bot.ui import embeds, limits, reports
from bot.ui.charts import TopicBar, render_stats_png
from tests.domain.factories import behavioral, mcq, open_q, short

FAMILIES = (*QUIZ, *DAILY, PageButton, DrillButton, ForgetButton, ResetConfirm, ReportButton)


def is_ours(custom_id: str) -> bool:
    """Whether a custom_id matches one of the button families."""
    return any(f.__discord_ui_compiled_template__.fullmatch(custom_id) for f in FAMILIES)


def embed_total(embed: discord.Embed) -> int:
    """Discord's character count for an embed."""
    return len(embed)


def test_clip_and_bullets() -> None:
    assert limits.clip("short", 10) == "short"
    clipped = limits.clip("word " * 100, 50)
    assert len(clipped) <= 50
    assert clipped.endswith("…")
    listed = limits.bullet_list([f"item {i} " + "x" * 80 for i in range(40)], 1024)
    assert len(listed) <= 1024
    assert "more" in listed


def test_question_embed_and_buttons_fit() -> None:
    q = mcq(n=5, prompt="P" * 1000)
    embed = embeds.question(q, "Topic " * 60, "weak topic", "someone " * 40, "Mock 1/5 · ")
    assert len(embed.title or "") <= limits.EMBED_TITLE
    assert len(embed.description or "") <= limits.EMBED_DESCRIPTION
    assert embed_total(embed) <= limits.EMBED_TOTAL
    view = question_view("A" * 12, q)
    ids = [item.item.custom_id for item in view.children]  # type: ignore[attr-defined]
    assert ids == [f"gq:a:{'A' * 12}:{i}" for i in range(5)]
    assert all(len(i) <= limits.CUSTOM_ID for i in ids)
    answered = question_view("A" * 12, q, answered=True, chosen=0)
    assert all(item.item.disabled for item in answered.children)  # type: ignore[attr-defined]


def test_feedback_for_every_kind_fits() -> None:
    star_q = behavioral()
    cases = [
        (mcq(), Grade(False, 0.0, "B. Option 1", "Not quite. " + "why " * 200), None),
        (short(["x"]), Grade(True, 1.0, "x", "Correct (close enough)."), None),
        (
            open_q(),
            Grade(
                False, 0.25, "model " * 300, "You covered 1 of 3.", ("a " * 300,), ("b " * 300,) * 6
            ),
            None,
        ),
        (star_q, Grade(True, 0.8, "", "STAR score"), coach(star_q, "I did it. " * 300)),
    ]
    for q, grade, star in cases:
        outcome = AnswerOutcome(1, q, grade, 10, Points(10, 0, False), star)
        rendered = embeds.feedback(outcome)
        assert sum(embed_total(e) for e in rendered) <= limits.EMBED_TOTAL
        for embed in rendered:
            assert len(embed.fields) <= limits.EMBED_FIELDS
            assert all(len(f.value or "") <= limits.EMBED_FIELD_VALUE for f in embed.fields)


def test_feedback_view_and_modal() -> None:
    view = feedback_view("tok123456789", 123456789012345678, report_id="tm-001")
    labels = [item.item.label for item in view.children]  # type: ignore[attr-defined]
    assert labels == ["Again", "Hard", "Good", "Easy", "Next question", "Report a problem"]
    assert all(is_ours(item.item.custom_id) for item in view.children)  # type: ignore[attr-defined]
    modal = AnswerForm("tok123456789", open_q())
    assert len(modal.title) <= limits.MODAL_TITLE
    payload = modal.to_dict()
    assert payload["custom_id"] == "gq:s:tok123456789"
    submitted = {
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "answer", "value": "hi"}]}
        ]
    }
    assert values_of(submitted) == {"answer": "hi"}
    labelled = {
        "components": [{"type": 18, "component": {"type": 4, "custom_id": "answer", "value": "yo"}}]
    }
    assert values_of(labelled) == {"answer": "yo"}


def test_forged_custom_ids_are_not_ours() -> None:
    assert is_ours("gq:a:abcdefghijkl:2")
    assert is_ours("dc:a:123:1")
    assert is_ours("rp:tm-001")
    assert not is_ours("gq:zz:whatever")
    assert not is_ours("something-else")


def test_help_embed_lists_every_command() -> None:
    embed = reports.help_embed()
    names = " ".join(f.name or "" for f in embed.fields)
    for command in (
        "/quiz",
        "/review",
        "/behavioral",
        "/mock",
        "/stats",
        "/weak",
        "/leaderboard",
        "/forget-me",
    ):
        assert command in names
    assert embed_total(embed) <= limits.EMBED_TOTAL


def test_chart_renders_png() -> None:
    png = render_stats_png(
        [TopicBar("SQL", 0.4, 0.2), TopicBar("NLP", 0.8, 0.9)],
        [(date(2026, 3, d), d, d // 2) for d in range(1, 15)],
    )
    assert png.startswith(b"\x89PNG")
    assert render_stats_png([], []).startswith(b"\x89PNG")
