"""The STAR coach rewards structure, ownership and numbers, and says what to improve."""

from __future__ import annotations

from bot.domain.star import coach, grade_behavioral
from tests.domain.factories import behavioral

STRONG = """At my previous company our team was building a churn model. A teammate wanted to
optimise AUC, while I believed recall at a fixed precision mattered because the retention team
could only call 500 customers a week; both positions were reasonable. My task was to settle the
metric before the planning deadline.
I proposed we settle it with data instead of arguing. I built a simulation on last quarter's data
showing how many churners each model would reach. I met my teammate, walked through both views and
we agreed AUC was fine for early comparison. Then I suggested we pick the threshold by recall at the
team's capacity, and I wrote a one-page doc so the product manager could weigh in.
As a result we shipped the recall-based model, the retention team reached 30% more at-risk
customers in the first month, and churn fell by 4 points. I learned to turn metric debates into a
shared experiment early."""

WEAK = "We had a disagreement about metrics. We basically talked about it and it was fine, I guess."


def test_strong_answer_scores_high_with_all_parts() -> None:
    grade, report = grade_behavioral(behavioral(), STRONG)
    assert grade.correct
    assert grade.credit >= 0.8
    assert set(grade.matched) == {"Situation", "Task", "Action", "Result"}
    assert report.shares["Action"] == max(report.shares.values())
    assert report.quantified
    assert report.first_person_share > 0.6
    assert len(report.shows_covered) == 2


def test_weak_answer_gets_specific_improvements() -> None:
    grade, report = grade_behavioral(behavioral(), WEAK)
    assert not grade.correct
    assert grade.credit < 0.4
    tips = " ".join(report.improvements)
    assert "Add the Result" in tips, "no outcome at all: the result is missing, not unmeasured"
    assert "“I”" in tips
    assert "basically" in tips
    assert "Go deeper" in tips


def test_length_is_judged_against_spoken_time() -> None:
    long_answer = (STRONG + " ") * 4
    report = coach(behavioral(), long_answer)
    assert report.spoken_minutes > 3
    assert any("Tighten it" in tip for tip in report.improvements)


def test_empty_answer() -> None:
    grade, report = grade_behavioral(behavioral(), "")
    assert grade.credit == 0.0
    assert report.improvements[0].startswith("Write your story")
