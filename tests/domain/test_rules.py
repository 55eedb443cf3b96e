"""Scoring, streaks, mastery and periods: the formulas, one rule at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain import mastery, scoring, streaks
from bot.domain.daily import local_date
from bot.domain.periods import Period, period_start
from bot.domain.questions import Difficulty

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_points_scale_with_difficulty_and_credit() -> None:
    assert (
        scoring.score(Difficulty.EASY, 1.0, daily=False, last_answered_at=None, now=NOW).total == 10
    )
    assert (
        scoring.score(Difficulty.HARD, 0.5, daily=False, last_answered_at=None, now=NOW).total == 15
    )
    assert (
        scoring.score(Difficulty.MEDIUM, 0.0, daily=False, last_answered_at=None, now=NOW).total
        == 0
    )


def test_daily_bonus_and_cooldown() -> None:
    daily = scoring.score(Difficulty.MEDIUM, 1.0, daily=True, last_answered_at=None, now=NOW)
    assert (daily.base, daily.bonus, daily.total) == (20, 10, 30)
    recent = NOW - timedelta(days=2)
    repeat = scoring.score(Difficulty.MEDIUM, 1.0, daily=False, last_answered_at=recent, now=NOW)
    assert repeat.on_cooldown
    assert repeat.total == 0
    old = NOW - scoring.REPEAT_COOLDOWN - timedelta(seconds=1)
    assert (
        scoring.score(Difficulty.MEDIUM, 1.0, daily=False, last_answered_at=old, now=NOW).total
        == 20
    )


def test_daily_cap() -> None:
    assert scoring.capped(20, scoring.DAILY_CAP - 5) == 20
    assert scoring.capped(20, scoring.DAILY_CAP + 5) == 15
    assert scoring.capped(20, scoring.DAILY_CAP + 40) == 0


def test_streak_advances_on_consecutive_days_and_resets_on_gaps() -> None:
    state = streaks.StreakState()
    for day in (1, 2, 3):
        state = streaks.advance(state, date(2026, 3, day))
    assert (state.current, state.best) == (3, 3)
    assert streaks.advance(state, date(2026, 3, 3)) == state  # same day twice
    state = streaks.advance(state, date(2026, 3, 6))
    assert (state.current, state.best) == (1, 3)
    assert streaks.shown(state, date(2026, 3, 7)).current == 1
    assert streaks.shown(state, date(2026, 3, 8)).current == 0


@pytest.mark.parametrize(
    ("instant", "zone", "day"),
    [
        # US spring-forward night: 01:59 EST then 03:00 EDT; still the same local day.
        (datetime(2026, 3, 8, 7, 30, tzinfo=UTC), "America/New_York", date(2026, 3, 8)),
        (datetime(2026, 3, 9, 3, 59, tzinfo=UTC), "America/New_York", date(2026, 3, 8)),
        # EU fall-back: 02:00–03:00 happens twice on 25 Oct 2026 in Berlin.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Europe/Berlin", date(2026, 10, 25)),
        (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), "Europe/Berlin", date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 0, tzinfo=UTC), "Europe/Berlin", date(2026, 10, 26)),
        (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), "Pacific/Kiritimati", date(2026, 3, 11)),
    ],
)
def test_local_day_across_dst(instant: datetime, zone: str, day: date) -> None:
    assert local_date(instant, zone) == day


def test_streak_across_spring_forward_counts_consecutive_local_days() -> None:
    zone = "America/New_York"
    # 23:30 local on 7 March (EST), then 23:30 on 8 March (EDT): 23 hours apart, consecutive days.
    first = datetime(2026, 3, 8, 4, 30, tzinfo=UTC)
    second = datetime(2026, 3, 9, 3, 30, tzinfo=UTC)
    state = streaks.advance(streaks.StreakState(), local_date(first, zone))
    state = streaks.advance(state, local_date(second, zone))
    assert state.current == 2


def test_mastery_moves_toward_evidence_and_gets_surer() -> None:
    skill = mastery.Skill()
    for _ in range(5):
        skill = mastery.update(skill, Difficulty.MEDIUM, 1.0)
    assert skill.mean > 1.0
    assert skill.var < mastery.PRIOR_VAR / 2
    assert skill.enough_evidence
    low = mastery.Skill()
    for _ in range(5):
        low = mastery.update(low, Difficulty.EASY, 0.0)
    assert low.mean < -1.0
    # Missing a hard question says less than missing an easy one.
    assert (
        mastery.update(mastery.Skill(), Difficulty.HARD, 0.0).mean
        > mastery.update(mastery.Skill(), Difficulty.EASY, 0.0).mean
    )


def test_uncertainty_grows_back_with_time() -> None:
    skill = mastery.Skill(1.0, 0.2, 10)
    later = mastery.decay(skill, NOW - timedelta(days=30), NOW)
    assert later.var == pytest.approx(0.5)
    assert mastery.decay(skill, NOW - timedelta(days=3650), NOW).var == mastery.PRIOR_VAR


def test_weakest_needs_evidence_and_labels_confidence() -> None:
    skills = {
        "sql": mastery.Skill(-1.0, 0.2, 16),
        "rl": mastery.Skill(-2.0, 1.4, 1),  # lowest, but one answer proves nothing
        "nlp": mastery.Skill(0.5, 0.4, 6),
    }
    assert [t for t, _ in mastery.weakest(skills)] == ["sql", "nlp"]
    assert mastery.confidence_label(skills["rl"]) == "not enough answers yet"
    assert mastery.confidence_label(skills["sql"]) == "high confidence"


def test_preferred_difficulty_follows_skill() -> None:
    assert mastery.preferred_difficulty(mastery.Skill(-1.5)) == Difficulty.EASY
    assert mastery.preferred_difficulty(mastery.Skill(0.8)) == Difficulty.MEDIUM
    assert mastery.preferred_difficulty(mastery.Skill(2.0)) == Difficulty.HARD


def test_period_starts() -> None:
    sunday = datetime(2026, 3, 15, 23, 0, tzinfo=UTC)
    assert period_start(Period.WEEK, sunday) == date(2026, 3, 9)
    assert period_start(Period.MONTH, sunday) == date(2026, 3, 1)
    assert period_start(Period.DAY, sunday) == date(2026, 3, 15)
    assert period_start(Period.ALL, sunday) == date(1970, 1, 1)
