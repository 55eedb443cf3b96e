"""Grading of every kind of concept answer: each returns a Grade that explains itself."""

from __future__ import annotations

from bot.domain.claims import PointState
from bot.domain.grades import Grade, PointResult
from bot.domain.numbers import parse_number
from bot.domain.open_answers import OpenJudgement, judge
from bot.domain.questions import McqQuestion, OpenQuestion
from bot.domain.short_answers import MAX_ANSWER_CHARS, grade_short

# Grade, grade_short and parse_number live in their own modules; callers import them from here.
__all__ = [
    "Grade",
    "PointResult",
    "grade_mcq",
    "grade_open",
    "grade_short",
    "parse_choice",
    "parse_number",
]


def grade_mcq(question: McqQuestion, choice: int) -> Grade:
    """Grade a chosen option by its index."""
    right = question.choices[question.correct_index]
    expected = f"{question.letter(question.correct_index)}. {right.text}"
    if not 0 <= choice < len(question.choices):
        return Grade(False, 0.0, expected, "That option does not exist.")
    if choice == question.correct_index:
        return Grade(True, 1.0, expected, "Correct.", matched=(right.text,))
    chosen = question.choices[choice]
    feedback = f"Not quite: you chose {question.letter(choice)}."
    if chosen.why:
        feedback += f" {chosen.why}"
    return Grade(False, 0.0, expected, feedback, missed=(right.text,))


def grade_open(question: OpenQuestion, answer: str) -> Grade:
    """Grade an explanation by what it claims about each key point (bot.domain.open_answers)."""
    text = answer[:MAX_ANSWER_CHARS]
    if not text.strip():
        missed = tuple(p.point for p in question.key_points)
        return Grade(False, 0.0, question.model_answer, "No answer given.", missed=missed)
    verdict = judge(question, text)
    points = tuple(
        PointResult(kp.point, v.state, v.clause)
        for kp, v in zip(question.key_points, verdict.points, strict=True)
    )
    covered = tuple(p.point for p in points if p.state is PointState.COVERED)
    missed = tuple(p.point for p in points if p.state is not PointState.COVERED)
    return Grade(
        correct=verdict.passed,
        credit=verdict.credit,
        expected=question.model_answer,
        feedback=open_feedback(verdict, points),
        matched=covered,
        missed=missed,
        points=points,
        unsure=verdict.unsure,
        confidence=verdict.probability,
        mixup=verdict.mixup,
    )


def open_feedback(verdict: OpenJudgement, points: tuple[PointResult, ...]) -> str:
    """The summary line above the per-point list."""
    if verdict.salad:
        return (
            "That reads as a list of keywords. Explain it in sentences: say what causes what, "
            "and why."
        )
    lines = []
    if verdict.mixup:
        lines.append(f"This reads like the common mix-up that {verdict.mixup.rstrip('.')}.")
    against = sum(p.state is PointState.CONTRADICTED for p in points)
    covered = sum(p.state is PointState.COVERED for p in points)
    if against:
        lines.append(f"You stated the opposite of {against} key point{'s' if against > 1 else ''}.")
    if verdict.passed:
        lines.append("A sound explanation." if covered == len(points) else "The core is right.")
    elif not against and not verdict.mixup:
        lines.append(f"You covered {covered} of {len(points)} key points.")
    if verdict.unsure:
        lines.append(
            "I'm not sure I judged this one right. Compare it with the model answer and the key "
            "points below, then rate yourself: your rating decides when it comes back and the "
            "credit you get."
        )
    return " ".join(lines)


def parse_choice(response: str, options: int) -> int | None:
    """'b', 'B', 'B)', '2' → 1; None when it names no option."""
    text = response.strip().rstrip(").:").strip().upper()
    letters = [McqQuestion.letter(i) for i in range(options)]
    if text in letters:
        return letters.index(text)
    if text.isascii() and text.isdigit() and 1 <= int(text) <= options:
        return int(text) - 1
    return None
