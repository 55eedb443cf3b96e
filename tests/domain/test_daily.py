"""Daily rules: parsing, DST-proof post times, catch-up windows and fair question choice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import daily

NY, BERLIN, SYDNEY = (
    ZoneInfo("America/New_York"),
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("Australia/Sydney"),
)


@pytest.mark.parametrize(
    ("text", "expected"), [("9:00", time(9)), ("18.30", time(18, 30)), (" 07:05 ", time(7, 5))]
)
def test_parse_time(text: str, expected: time) -> None:
    assert daily.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9am", "", "12:60", "noon"])
def test_parse_time_rejects_nonsense_kindly(text: str) -> None:
    with pytest.raises(daily.BadSchedule, match=r"HH:MM|00:00"):
        daily.parse_time(text)


def test_parse_zone() -> None:
    assert daily.parse_zone("europe/berlin") == BERLIN
    assert daily.parse_zone("America/New York") == NY
    with pytest.raises(daily.BadSchedule, match="timezone"):
        daily.parse_zone("Mars/Olympus")
    assert "Europe/Berlin" in daily.zone_names()


def _posts(zone: ZoneInfo, at: time, start: date, days: int) -> list[datetime]:
    return [daily.post_instant(start + timedelta(days=i), at, zone) for i in range(days)]


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        (NY, date(2026, 3, 6)),
        (NY, date(2026, 10, 30)),
        (BERLIN, date(2026, 3, 27)),
        (BERLIN, date(2026, 10, 23)),
        (SYDNEY, date(2026, 4, 2)),
        (SYDNEY, date(2026, 10, 2)),
    ],
)
@pytest.mark.parametrize("at", [time(0, 0), time(2, 30), time(9, 0), time(23, 59)])
def test_one_post_per_local_day_across_dst(zone: ZoneInfo, start: date, at: time) -> None:
    posts = _posts(zone, at, start, 6)
    days = [p.astimezone(zone).date() for p in posts]
    assert days == [start + timedelta(days=i) for i in range(6)], "no day skipped or doubled"
    assert posts == sorted(posts)
    for post in posts:
        local = post.astimezone(zone)
        if local.time() != at:
            # Only a wall time skipped by spring-forward moves, and only forward, within the hour.
            assert local.time() > at
            assert (
                datetime.combine(local.date(), local.time()) - datetime.combine(local.date(), at)
            ) <= timedelta(hours=1)


def test_spring_forward_gap_posts_at_first_real_instant() -> None:
    post = daily.post_instant(date(2026, 3, 8), time(2, 30), NY)  # 02:30 does not exist that night
    assert post.astimezone(NY).hour == 3
    fall = daily.post_instant(date(2026, 11, 1), time(1, 30), NY)  # 01:30 happens twice
    assert fall == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first one (EDT)


def test_next_post_and_due_today() -> None:
    now = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert daily.next_post(now, time(9, 0), BERLIN) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert daily.next_post(now, time(7, 0), BERLIN) == datetime(2026, 7, 2, 5, 0, tzinfo=UTC)
    assert daily.due_today(now, time(7, 0), BERLIN) == date(2026, 7, 1)
    assert daily.due_today(now, time(9, 0), BERLIN) is None


def test_question_choice_is_stable_and_exhausts_the_pool_before_repeating() -> None:
    pool = [f"q{i}" for i in range(7)]
    used: list[str] = []
    for day in range(7):
        choice = daily.choose_question(pool, 42, date(2026, 1, 1) + timedelta(days=day), used)
        assert choice is not None
        assert choice not in used
        used.append(choice)
    assert sorted(used) == sorted(pool)
    again = daily.choose_question(pool, 42, date(2026, 1, 8), used)
    assert again in pool
    assert daily.choose_question(pool, 42, date(2026, 1, 1), []) == daily.choose_question(
        pool, 42, date(2026, 1, 1), []
    )
    assert daily.choose_question([], 42, date(2026, 1, 1), []) is None
