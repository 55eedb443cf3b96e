"""Short answers as people type them: working, number words, filler, hedges and denials."""

from __future__ import annotations

import pytest

from bot.domain.grading import grade_short
from tests.domain.factories import short

DERIVATIVE = short(["6"], numeric={"value": 6, "tolerance": 0.01})
SHARE = short(["0.925"], numeric={"value": 0.925, "tolerance": 0.005})
THIRD = short(["1/3"], numeric={"value": 0.3333, "tolerance": 0.01})
SIXTY = short(["60"], numeric={"value": 60, "tolerance": 0})
PLATT = short(["Platt scaling"], aliases=["Platt"])
PANOPTIC = short(["panoptic segmentation"])
NF4 = short(["NF4"], aliases=["NormalFloat4"])
SOFTMAX = short(["softmax"])


@pytest.mark.parametrize(
    ("q", "answer", "ok"),
    [
        (DERIVATIVE, "f'(3) = 2 × 3 = 6", True),
        (DERIVATIVE, "f'(3) = 3² = 9", False),
        (DERIVATIVE, "6 or 9", False),
        (DERIVATIVE, "about 6", True),
        (SHARE, "0.9 + 0.1/4 = 0.925", True),
        (SHARE, "92.5%", True),
        (SHARE, "0.9 + 0.1 = 1.0", False),
        (THIRD, "one third", True),
        (THIRD, "1/3", True),
        (THIRD, "one half", False),
        (SIXTY, "sixty", True),
        (SIXTY, "sixty-four", False),
        (PLATT, "Platt calibration", True),
        (PLATT, "Platt scaling (fit a sigmoid on held-out scores)", True),
        (PLATT, "isotonic or Platt", False),
        (PLATT, "not Platt", False),
        (PANOPTIC, "panoptic seg", True),
        (PANOPTIC, "semantic segmentation", False),
        (NF4, "NF4 (NormalFloat)", True),
        (NF4, "the NF4 dtype from QLoRA", True),
        (SOFTMAX, "the softmax function", True),
        (SOFTMAX, "softmax and sigmoid", False),
        (SOFTMAX, "softmax, sigmoid", False),
        (SOFTMAX, "it's called softmax", True),
    ],
)
def test_typed_answers(q: object, answer: str, ok: bool) -> None:
    assert grade_short(q, answer).correct is ok, answer  # type: ignore[arg-type]


def test_a_hedge_is_told_to_pick_one() -> None:
    grade = grade_short(DERIVATIVE, "6 or 9")
    assert "give one answer" in grade.feedback
