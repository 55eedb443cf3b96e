"""Key points judged clause by clause: covered, contradicted or missing."""

from __future__ import annotations

import pytest

from bot.domain.claims import PointSpec, PointState, clauses, judge_point, with_typos_fixed
from bot.domain.questions import KeyPoint

KL = KeyPoint(
    point="Forward KL is mode-covering",
    synonyms=("forward KL covers every mode", "forward KL is mode-covering"),
    contradicts=("forward KL locks onto one mode",),
)
LABEL = KeyPoint(
    point="The transform preserves the label",
    synonyms=("the transform preserves the label", "label stays the same"),
)
BIAS = KeyPoint(point="More flexibility lowers bias", synonyms=("flexibility lowers bias",))
OBSERVE = KeyPoint(
    point="We never observe both potential outcomes",
    synonyms=("never observe both outcomes", "cannot observe both outcomes"),
)


def state(point: KeyPoint, answer: str) -> PointState:
    spec = PointSpec.of(point)
    return judge_point(spec, with_typos_fixed(clauses(answer), spec.vocabulary())).state


@pytest.mark.parametrize(
    ("point", "answer", "expected"),
    [
        (KL, "Forward KL is mode-covering, while reverse KL is mode-seeking.", "covered"),
        (KL, "Forward KL is mode-seeking, so q sits on one peak.", "contradicted"),
        (KL, "Forward KL is not mode-covering.", "contradicted"),
        (KL, "Minimising it, forward KL locks onto one mode.", "contradicted"),
        (KL, "It is not true that forward KL locks onto one mode.", "missing"),
        (KL, "forward kl covers evry mode of p", "covered"),
        (KL, "Reverse KL is what people use for variational inference.", "missing"),
        (LABEL, "A flip is a transform that preserves the label.", "covered"),
        (LABEL, "The transform changes the label.", "contradicted"),
        (LABEL, "The label does not stay the same after cropping.", "contradicted"),
        (BIAS, "More flexibility lowers bias and raises variance.", "covered"),
        (BIAS, "More flexibility raises bias and lowers variance.", "contradicted"),
        (OBSERVE, "For one unit we never observe both outcomes.", "covered"),
        (OBSERVE, "We can observe both outcomes if we wait.", "contradicted"),
        (LABEL, "Take notes: the transform preserves the label.", "covered"),
    ],
)
def test_point_states(point: KeyPoint, answer: str, expected: str) -> None:
    assert state(point, answer) == PointState(expected), answer


def test_words_must_meet_in_one_clause_not_anywhere() -> None:
    scattered = "Forward passes are cheap. KL terms appear in the loss. Every mode matters."
    assert state(KL, scattered) is PointState.MISSING


def test_rather_than_rejects_what_follows() -> None:
    assert state(
        LABEL, "Mixup blends the labels rather than the transform preserves the label."
    ) in {
        PointState.CONTRADICTED,
        PointState.MISSING,
    }
    assert (
        state(LABEL, "The label stays the same, rather than being blended.") is PointState.COVERED
    )
