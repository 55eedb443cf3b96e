"""Leaderboard periods and where each one starts (UTC calendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

ALL_TIME_START = date(1970, 1, 1)


class Period(StrEnum):
    """Windows a leaderboard can cover; `day` backs the daily point cap."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    ALL = "all"
    SEASON = "season"  # per server, from its season start (see /gradient season start)


def period_start(period: Period, now: datetime, season_start: date | None = None) -> date:
    """The first UTC day of the period containing `now` (weeks start on Monday)."""
    if period is Period.SEASON:
        return season_start or ALL_TIME_START
    today = now.astimezone(UTC).date()
    if period is Period.DAY:
        return today
    if period is Period.WEEK:
        return today - timedelta(days=today.weekday())
    if period is Period.MONTH:
        return today.replace(day=1)
    return ALL_TIME_START
