"""Streaks: consecutive local days with at least one answered daily challenge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class StreakState:
    """Current and best streak, and the last local day that counted."""

    current: int = 0
    best: int = 0
    last_day: date | None = None


def advance(state: StreakState, day: date) -> StreakState:
    """Count an answered daily challenge on `day`."""
    if state.last_day is not None and day <= state.last_day:
        return state  # same day again, or a late answer for an earlier day
    consecutive = state.last_day is not None and day - state.last_day == timedelta(days=1)
    current = state.current + 1 if consecutive else 1
    return StreakState(current, max(state.best, current), day)


def shown(state: StreakState, today: date) -> StreakState:
    """The streak as of today: a streak whose last day is before yesterday is broken."""
    if state.last_day is None or today - state.last_day > timedelta(days=1):
        return StreakState(0, state.best, state.last_day)
    return state
