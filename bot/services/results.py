"""Result objects the services hand back to the Discord layer and the terminal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.grading import Grade
from bot.domain.questions import AnyQuestion
from bot.domain.scoring import Points
from bot.domain.selection import ServedReason
from bot.domain.star import StarReport


@dataclass(frozen=True)
class ServedQuestion:
    """A question chosen for a user, and why it was chosen."""

    question: AnyQuestion
    reason: ServedReason
    served_at: datetime


@dataclass(frozen=True)
class AnswerOutcome:
    """What happened when a user answered."""

    attempt_id: int
    question: AnyQuestion
    grade: Grade
    points: int  # granted, after the cooldown and the daily cap
    breakdown: Points
    star: StarReport | None = None
    # The answer had been recorded before (a retry after a timeout, a double click): this is
    # what was recorded then, not a new answer.
    replayed: bool = False

    @property
    def capped(self) -> bool:
        """Whether the daily cap took some of the points."""
        return self.points < self.breakdown.total
