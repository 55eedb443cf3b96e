"""Result objects the services hand back to the Discord layer and the terminal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.grading import Grade
from bot.domain.questions import AnyQuestion


@dataclass(frozen=True)
class ServedQuestion:
    """A question chosen for a user, and why it was chosen."""

    question: AnyQuestion
    reason: str
    served_at: datetime


@dataclass(frozen=True)
class AnswerOutcome:
    """What happened when a user answered."""

    attempt_id: int
    question: AnyQuestion
    grade: Grade
    points: int
