"""Embeds for questions, feedback, STAR coaching and help."""

from __future__ import annotations

import discord

from bot.domain.grades import point_line
from bot.domain.questions import AnyQuestion, BehavioralQuestion, McqQuestion, OpenQuestion
from bot.domain.star import PARTS, StarReport
from bot.services.results import AnswerOutcome
from bot.ui.limits import (
    EMBED_DESCRIPTION,
    EMBED_FIELD_VALUE,
    EMBED_FOOTER,
    EMBED_TITLE,
    bullet_list,
    clip,
)

COLOURS = {"easy": 0x57F287, "medium": 0xFEE75C, "hard": 0xED4245}
KIND_LABELS = {
    "mcq": "multiple choice",
    "short": "short answer",
    "open": "explain it",
    "behavioral": "behavioral",
}
REASONS = {
    "review": "due for review",
    "weak topic": "your weakest topic",
    "new": "new for you",
    "mock": "mock interview",
    "drill": "drill",
}
GOOD, BAD, PARTIAL = 0x57F287, 0xED4245, 0xFEE75C
REPLAYED = "You had already answered this one; here is what was recorded then."


def question(
    q: AnyQuestion, topic_name: str, reason: str, asker: str, step: str = ""
) -> discord.Embed:
    """The public question: prompt, options, and whose question it is."""
    kind = KIND_LABELS.get(q.kind, q.kind)
    title = clip(f"{step}{topic_name} · {q.difficulty} · {kind}", EMBED_TITLE)
    body = q.prompt
    if isinstance(q, McqQuestion):
        options = "\n".join(f"**{q.letter(i)}.** {c.text}" for i, c in enumerate(q.choices))
        body = f"{body}\n\n{options}"
    elif isinstance(q, BehavioralQuestion):
        body += "\n\n*Answer in STAR form: Situation, Task, Action, Result.*"
    else:
        body += "\n\n*Press **Answer** to reply.*"
    embed = discord.Embed(
        title=title, description=clip(body, EMBED_DESCRIPTION), colour=COLOURS[q.difficulty]
    )
    why = REASONS.get(reason, reason)
    embed.set_footer(text=clip(f"For {asker} · {why} · {q.id}", EMBED_FOOTER))
    return embed


def _verdict(outcome: AnswerOutcome) -> tuple[str, int]:
    grade = outcome.grade
    if grade.unsure:
        return "🤔 Not sure: rate yourself", PARTIAL
    if grade.correct and grade.credit >= 1:
        return "✅ Correct", GOOD
    if grade.correct:
        return f"✅ Good answer ({grade.credit:.0%})", GOOD
    if grade.credit > 0:
        return f"🟡 Partly there ({grade.credit:.0%})", PARTIAL
    return "❌ Not quite", BAD


def _points_line(outcome: AnswerOutcome) -> str:
    if outcome.replayed:
        return f"{outcome.points} points were recorded for it."
    if outcome.breakdown.on_cooldown:
        return "No points: you answered this one recently (it still counts for practice)."
    text = f"+{outcome.points} points"
    if outcome.breakdown.bonus:
        text += f" (including a {outcome.breakdown.bonus}-point daily bonus)"
    if outcome.capped:
        text += " · daily point cap reached"
    return text


def feedback(outcome: AnswerOutcome) -> list[discord.Embed]:
    """The private feedback: verdict, what was hit and missed, the answer, and why."""
    q, grade = outcome.question, outcome.grade
    title, colour = _verdict(outcome)
    description = grade.feedback
    if outcome.replayed:
        title = f"Already answered · {title}"
        description = f"{REPLAYED}\n\n{description}".strip()
    main = discord.Embed(
        title=title, description=clip(description, EMBED_DESCRIPTION), colour=colour
    )
    if outcome.star is not None:
        _star_fields(main, outcome.star, q)
    elif isinstance(q, OpenQuestion):
        if grade.points:
            lines = "\n".join(point_line(p) for p in grade.points)
            main.add_field(name="Key points", value=clip(lines, EMBED_FIELD_VALUE), inline=False)
        main.add_field(
            name="Model answer", value=clip(q.model_answer, EMBED_FIELD_VALUE), inline=False
        )
        sure = max(grade.confidence, 1 - grade.confidence)
        if grade.unsure:
            main.set_footer(text=f"Grader: not sure ({sure:.0%}). Rate yourself below.")
        else:
            main.set_footer(text=f"Grader: confident ({sure:.0%}).")
    elif not grade.correct or (
        grade.expected not in grade.matched and not isinstance(q, McqQuestion)
    ):
        main.add_field(name="Answer", value=clip(grade.expected, EMBED_FIELD_VALUE), inline=False)
    main.add_field(name="Points", value=_points_line(outcome), inline=False)
    why = discord.Embed(
        title="Why", description=clip(q.explanation, EMBED_DESCRIPTION), colour=0x5865F2
    )
    if q.sources:
        why.add_field(name="Read more", value=bullet_list(list(q.sources)), inline=False)
    return [main, why]


def _star_fields(embed: discord.Embed, report: StarReport, q: AnyQuestion) -> None:
    shares = " · ".join(f"**{p[0]}** {report.shares[p]:.0%}" for p in PARTS)
    embed.add_field(name="STAR split", value=shares, inline=False)
    embed.add_field(
        name="Delivery",
        value=(
            f"{report.words} words ≈ {report.spoken_minutes} min spoken · "
            f"{report.first_person_share:.0%} “I” · numbers: {'yes' if report.quantified else 'no'}"
        ),
        inline=False,
    )
    if report.improvements:
        embed.add_field(
            name="Improve", value=bullet_list(report.improvements, mark="→"), inline=False
        )
    if isinstance(q, BehavioralQuestion):
        embed.add_field(
            name="A strong answer shows", value=bullet_list(q.strong_answer_shows), inline=False
        )
        embed.add_field(name="Follow-ups to prepare", value=bullet_list(q.follow_ups), inline=False)


def notice(text: str, colour: int = 0x5865F2, title: str | None = None) -> discord.Embed:
    """A one-paragraph message."""
    return discord.Embed(title=title, description=clip(text, EMBED_DESCRIPTION), colour=colour)


def answered_marker() -> str:
    """The line added to a public question once its owner has answered.

    It says nothing about right or wrong: the verdict and the answer are private, so the
    question is not spoiled for others who may meet it later.
    """
    return "📝 Answered. The verdict and the explanation were sent privately."
