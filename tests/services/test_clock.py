"""The one clock: real time by default, a source it reads, or a moment a test sets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.clock import Clock

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_real_time_by_default_is_aware_utc() -> None:
    before = datetime.now(UTC)
    now = Clock()()
    assert before <= now <= datetime.now(UTC)
    assert now.tzinfo is UTC


def test_set_and_advance_hold_the_moment() -> None:
    clock = Clock()
    clock.set(NOON.astimezone(timezone(timedelta(hours=2))))
    assert clock() == NOON
    assert clock().tzinfo is UTC
    clock.advance(days=1, minutes=5)
    assert clock() == NOON + timedelta(days=1, minutes=5)


def test_a_source_is_read_until_a_moment_is_set() -> None:
    moments = iter([NOON, NOON + timedelta(hours=1)])
    clock = Clock(lambda: next(moments))
    assert clock() == NOON
    clock.advance(minutes=1)  # from the source's next reading
    assert clock() == NOON + timedelta(hours=1, minutes=1)


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        Clock().set(datetime(2026, 3, 10, 12, 0))
    with pytest.raises(ValueError, match="naive"):
        Clock(lambda: datetime(2026, 3, 10, 12, 0))()
