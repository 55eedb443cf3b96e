"""Small question builders for domain tests."""

from __future__ import annotations

from typing import Any

from bot.domain.questions import BehavioralQuestion, McqQuestion, OpenQuestion, ShortQuestion

EXPLANATION = "It follows from the definition. Each step is forced by the one before it."


def _common(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "t-001",
        "topic": "math-foundations",
        "difficulty": "medium",
        "tags": ["t"],
        "prompt": "A prompt long enough to pass validation.",
        "explanation": EXPLANATION,
    }
    data.update(extra)
    return data


def short(answers: list[str], **extra: Any) -> ShortQuestion:
    """A short-answer question."""
    return ShortQuestion.model_validate(_common(kind="short", answers=answers, **extra))


def mcq(correct: int = 1, n: int = 4, **extra: Any) -> McqQuestion:
    """An MCQ whose correct option is at `correct`."""
    choices = [
        {"text": f"Option {i}", "correct": i == correct, "why": f"Because {i}"} for i in range(n)
    ]
    return McqQuestion.model_validate(_common(kind="mcq", choices=choices, **extra))


def open_q(**extra: Any) -> OpenQuestion:
    """An explain-it question about the dot product."""
    points = [
        {"point": "Lengths times cosine", "synonyms": ["cosine", "angle between"]},
        {"point": "Aligned vectors score high", "synonyms": ["same direction", "aligned"]},
        {
            "point": "Orthogonal vectors score zero",
            "synonyms": ["orthogonal", "perpendicular"],
            "weight": 2,
        },
    ]
    return OpenQuestion.model_validate(
        _common(
            kind="open",
            model_answer=(
                "The dot product of two vectors equals the product of their lengths times the "
                "cosine of the angle between them. When the vectors point the same way the cosine "
                "is one and the score is as large as it can be; when they are orthogonal the "
                "cosine, and so the dot product, is zero; opposite vectors give a negative score."
            ),
            key_points=points,
            **extra,
        )
    )


def behavioral(**extra: Any) -> BehavioralQuestion:
    """A behavioral prompt about a metric disagreement."""
    return BehavioralQuestion.model_validate(
        _common(
            kind="behavioral",
            topic="behavioral",
            competency="conflict",
            strong_answer_shows=[
                "Names the disagreement and why both positions were reasonable",
                "Uses data or an experiment to settle it",
            ],
            follow_ups=["What would you change?"],
            **extra,
        )
    )
