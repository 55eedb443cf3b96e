"""Every grader is total: any Unicode, empty or 4,000-character input gives a valid grade."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.grading import grade_open, grade_short, parse_choice
from bot.domain.star import coach, grade_behavioral
from tests.domain.factories import behavioral, open_q, short

ANY_TEXT = st.text(max_size=4000)
SHORT = short(["gradient descent"], aliases=["GD"])
NUMERIC = short(["0.5"], numeric={"value": 0.5, "tolerance": 0.01, "unit": "%"})
OPEN = open_q()
BEHAVIORAL = behavioral()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ANY_TEXT)
def test_short_and_numeric_are_total(text: str) -> None:
    for q in (SHORT, NUMERIC):
        grade = grade_short(q, text)
        assert 0.0 <= grade.credit <= 1.0
        assert grade.correct == (grade.credit == 1.0)


@FAST
@given(ANY_TEXT)
def test_open_is_total(text: str) -> None:
    grade = grade_open(OPEN, text)
    assert 0.0 <= grade.credit <= 1.0
    assert len(grade.matched) + len(grade.missed) == len(OPEN.key_points)


@FAST
@given(ANY_TEXT)
def test_behavioral_is_total(text: str) -> None:
    grade, report = grade_behavioral(BEHAVIORAL, text)
    assert 0.0 <= grade.credit <= 1.0
    assert 0.0 <= sum(report.shares.values()) <= 1.0 + 1e-9
    assert len(report.improvements) <= 6


@FAST
@given(st.text(max_size=20))
def test_parse_choice_is_total(text: str) -> None:
    assert parse_choice(text, 5) in {None, 0, 1, 2, 3, 4}


def test_worst_case_length_inputs() -> None:
    long_words = "orthogonal " * 400
    salad = grade_open(OPEN, long_words[:4000])
    assert not salad.correct and salad.credit == 0, "one word repeated is not an explanation"
    assert coach(BEHAVIORAL, "I " * 2000).words == 2000
    assert grade_short(SHORT, "x" * 4000).credit == 0.0
