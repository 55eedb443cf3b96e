"""Points: difficulty × credit, a daily-challenge bonus, a cooldown on repeats and a daily cap.

base    = BASE_POINTS[difficulty] × credit          (rounded)
bonus   = DAILY_BONUS_RATE × base, for daily-challenge answers
points  = 0 when the user answered the same question less than REPEAT_COOLDOWN ago
points  = min(base + bonus, DAILY_CAP − points already earned today (UTC))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.questions import Difficulty

BASE_POINTS = {Difficulty.EASY: 10, Difficulty.MEDIUM: 20, Difficulty.HARD: 30}
DAILY_BONUS_RATE = 0.5
REPEAT_COOLDOWN = timedelta(days=7)
DAILY_CAP = 400


@dataclass(frozen=True)
class Points:
    """How an answer's points were made up, so the UI can explain them."""

    base: int
    bonus: int
    on_cooldown: bool

    @property
    def total(self) -> int:
        """Points before the daily cap."""
        return 0 if self.on_cooldown else self.base + self.bonus


def score(
    difficulty: Difficulty,
    credit: float,
    *,
    daily: bool,
    last_answered_at: datetime | None,
    now: datetime,
) -> Points:
    """Points for one answer, before the daily cap."""
    credit = min(max(credit, 0.0), 1.0)
    base = round(BASE_POINTS[difficulty] * credit)
    bonus = round(base * DAILY_BONUS_RATE) if daily else 0
    on_cooldown = last_answered_at is not None and now - last_answered_at < REPEAT_COOLDOWN
    return Points(base, bonus, on_cooldown)


def capped(wanted: int, earned_today_after: int) -> int:
    """What may be granted when adding `wanted` brought today's total to `earned_today_after`."""
    overshoot = max(0, earned_today_after - DAILY_CAP)
    return max(0, wanted - overshoot)
