"""The STAR coach reads stories as an interviewer would."""

from __future__ import annotations

from bot.domain.star import grade_behavioral
from tests.domain.factories import behavioral

STRONG = (
    "Last spring our churn model's recall had dropped and I owned the retraining. "
    "The product manager wanted to ship a new gradient-boosted model, while I thought the drop "
    "came from a broken feature. I pulled two weeks of logs, found that a join had started "
    "dropping a third of the rows, and wrote a test that failed on the bad data. I then ran both "
    "options against the fixed pipeline and shared the comparison with the PM before we decided. "
    "Fixing the join restored recall from 0.61 to 0.78 and saved about 1.8% of monthly revenue "
    "at risk. I learned to agree on the evidence before arguing about the fix, and I now add a "
    "data test for every join I touch."
)
BLAMING = (
    "The data team broke the pipeline again, as usual. Their fault entirely: they never test "
    "anything and they just push changes. I told my manager it was their problem. The model was "
    "bad for a month until they finally fixed it. Management didn't care either."
)
RAMBLING = (
    "So this was a while ago and honestly I'm not sure of every detail. We had a model for "
    "support tickets and it kind of drifted, I guess. I looked at it for a few days and I "
    "noticed the categories had changed after a product launch. I talked to the support leads "
    "and I relabelled about two hundred tickets with them. I retrained the classifier and it got "
    "better, maybe from 70% to 80% accuracy. I learned that I should check with the people who "
    "use the labels earlier, and I started doing that."
)
HYPOTHETICAL = (
    "If that happened I would first talk to the stakeholder and understand their needs. I would "
    "then look at the data and propose a plan. I'd make sure everyone agreed and I would keep "
    "them updated. I think communication is key in these situations."
)


def test_a_strong_story_scores_high_and_is_never_told_to_add_the_action() -> None:
    grade, report = grade_behavioral(behavioral(), STRONG)
    assert grade.correct and grade.credit >= 0.7
    assert {"Situation", "Task", "Action", "Result"} <= set(grade.matched)
    assert report.quantified and report.lesson
    assert not any(
        "Add the Action" in tip or "Add the Result" in tip for tip in report.improvements
    )


def test_blaming_others_scores_below_an_honest_rambling_story() -> None:
    blame, blame_report = grade_behavioral(behavioral(), BLAMING)
    honest, _ = grade_behavioral(behavioral(), RAMBLING)
    assert blame_report.blame
    assert blame.credit < honest.credit
    assert any("instead of blaming" in tip for tip in blame_report.improvements)


def test_a_hypothetical_is_asked_for_a_real_story() -> None:
    grade, report = grade_behavioral(behavioral(), HYPOTHETICAL)
    assert report.hypothetical and not grade.correct
    assert any("real time" in tip for tip in report.improvements)
