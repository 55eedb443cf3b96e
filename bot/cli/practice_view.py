"""How terminal practice looks: questions, feedback, STAR reports and summaries, with rich."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from bot.domain.claims import PointState
from bot.domain.grades import point_line
from bot.domain.questions import AnyQuestion, BehavioralQuestion, McqQuestion, OpenQuestion
from bot.domain.star import PARTS, StarReport
from bot.services.progress import DueReviews, WeakTopics
from bot.services.results import AnswerOutcome

COLOURS = {
    PointState.COVERED: "green",
    PointState.CONTRADICTED: "red",
    PointState.MISSING: "yellow",
}
REASONS = {"review": "due for review", "weak topic": "your weakest topic", "new": "something new"}


def question(
    console: Console, number: int, total: int, q: AnyQuestion, topic: str, reason: str
) -> None:
    """Show a question with its options."""
    why = REASONS.get(reason, reason)
    title = f"Question {number}/{total} · {topic} · {q.difficulty} · {q.kind} · {why}"
    body = escape(q.prompt)
    if isinstance(q, McqQuestion):
        options = (f"[bold]{q.letter(i)}.[/] {escape(c.text)}" for i, c in enumerate(q.choices))
        body += "\n\n" + "\n".join(options)
    console.print(Panel(body, title=title, title_align="left", border_style="cyan"))


def answer_text(q: AnyQuestion) -> str:
    """The answer to reveal when a question is skipped."""
    if isinstance(q, McqQuestion):
        return f"{q.letter(q.correct_index)}. {q.choices[q.correct_index].text}"
    if isinstance(q, OpenQuestion):
        return q.model_answer
    if isinstance(q, BehavioralQuestion):
        return "; ".join(q.strong_answer_shows)
    return q.answers[0]


def _star(console: Console, report: StarReport) -> None:
    shares = "  ".join(f"{p[0]} {report.shares[p]:.0%}" for p in PARTS)
    console.print(
        f"  STAR split: {shares}  ·  {report.words} words ≈ {report.spoken_minutes} min spoken"
    )
    console.print(
        f"  Ownership: {report.first_person_share:.0%} “I”  ·  "
        f"numbers in result: {'yes' if report.quantified else 'no'}"
    )
    for tip in report.improvements:
        console.print(f"  [yellow]→[/] {escape(tip)}")


def outcome(console: Console, result: AnswerOutcome) -> None:
    """Show the grade, what was hit and missed, points, and the explanation."""
    grade, q = result.grade, result.question
    mark = "[bold green]✓[/]" if grade.correct else "[bold red]✗[/]"
    if grade.unsure:
        mark = "[bold yellow]?[/]"
    points = f"+{result.points} pts"
    if result.breakdown.on_cooldown:
        points += " (answered recently: no points this time)"
    elif result.capped:
        points += " (daily cap reached)"
    console.print(f"{mark} {escape(grade.feedback)}  [dim]credit {grade.credit:.0%} · {points}[/]")
    if result.star is not None:
        _star(console, result.star)
    elif isinstance(q, OpenQuestion):
        for point in grade.points:
            colour = COLOURS[point.state]
            console.print(f"  [{colour}]{escape(point_line(point))}[/]")
        console.print(
            Panel(
                escape(q.model_answer), title="Model answer", title_align="left", border_style="dim"
            )
        )
    elif not grade.correct:
        console.print(f"  Answer: [bold]{escape(grade.expected)}[/]")
    elif grade.expected not in grade.matched:
        console.print(f"  [dim]Accepted answer: {escape(grade.expected)}[/]")
    if isinstance(q, BehavioralQuestion):
        console.print("  [dim]Follow-ups to prepare:[/] " + escape(" / ".join(q.follow_ups)))
    console.print(
        Panel(escape(q.explanation), title="Why", title_align="left", border_style="green")
    )


def weak_and_due(console: Console, weak: WeakTopics, due: DueReviews, now: datetime) -> None:
    """Weak topics with their confidence, and the review queue."""
    if weak.weakest:
        parts = [f"{t.name} ({t.level:.0%}, {t.confidence_label})" for t in weak.weakest]
        console.print("Weakest topics: " + ", ".join(parts))
    elif weak.thin:
        console.print("Weak topics: not enough answers yet to tell.")
    if due.total_due:
        console.print(f"Reviews due now: {due.total_due}")
    elif due.next_due is not None:
        minutes = max(1, int((due.next_due - now).total_seconds() // 60))
        when = (
            f"in {minutes} min"
            if minutes < 120
            else f"in {minutes // 60} h"
            if minutes < 2880
            else f"on {due.next_due:%Y-%m-%d}"
        )
        console.print(f"Next review {when}.")
