"""Graders for mcq, short and open answers."""

from __future__ import annotations

import pytest

from bot.domain.grading import grade_mcq, grade_open, grade_short, parse_choice, parse_number
from tests.domain.factories import mcq, open_q, short


@pytest.mark.parametrize(
    "answer",
    [
        "Gradient Descent",
        "gradient descent",
        "  gradient   descent ",
        "the gradient descent",
        "gradient-descent",
        "Gradient descent!",
        "gradient descents",
        "ＧＲＡＤＩＥＮＴ descent",
    ],
)
def test_short_normalises_case_unicode_punctuation_articles_plurals(answer: str) -> None:
    grade = grade_short(short(["gradient descent"]), answer)
    assert grade.correct, answer
    assert grade.credit == 1.0


def test_short_ampersand_and_aliases() -> None:
    q = short(["research and development"], aliases=["R&D"])
    assert grade_short(q, "research & development").correct
    assert grade_short(q, "r&d").correct


def test_short_typo_tolerance_shows_accepted_answer() -> None:
    q = short(["regularization", "regularisation"])
    grade = grade_short(q, "regularizaton")
    assert grade.correct
    assert "close enough" in grade.feedback
    assert grade.expected == "regularization"


def test_short_threshold_is_per_question_and_short_words_need_exact_match() -> None:
    assert not grade_short(short(["AdamW"], fuzzy_threshold=95), "Adam").correct
    assert not grade_short(short(["GRU"]), "GPU").correct
    assert not grade_short(short(["regularization"], fuzzy_threshold=100), "regularizaton").correct


def test_short_wrong_and_empty() -> None:
    q = short(["softmax"])
    wrong = grade_short(q, "sigmoid")
    assert (wrong.correct, wrong.credit, wrong.expected) == (False, 0.0, "softmax")
    assert grade_short(q, "   ").feedback == "No answer given."


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ("0.5", True),
        ("0.52", True),
        ("0.6", False),
        ("50%", True),
        ("about 0.49", True),
        ("half", True),
    ],
)
def test_short_numeric_with_tolerance(answer: str, ok: bool) -> None:
    q = short(["0.5"], numeric={"value": 0.5, "tolerance": 0.02})
    assert grade_short(q, answer).correct is ok


def test_short_numeric_units_and_percent() -> None:
    q = short(["15%"], numeric={"value": 15, "tolerance": 1, "unit": "%"})
    assert grade_short(q, "15").correct
    assert grade_short(q, "14.5 %").correct
    assert grade_short(q, "0.15").correct
    gb = short(["140 GB"], numeric={"value": 140, "tolerance": 5, "unit": "GB"})
    assert grade_short(gb, "about 142GB").correct
    assert grade_short(gb, "1,000").correct is False


def test_parse_number_forms() -> None:
    assert parse_number("1,000") == 1000
    assert parse_number("1e-3") == 0.001
    assert parse_number("−2") == -2
    assert parse_number("no digits") is None


def test_mcq_right_wrong_and_why() -> None:
    q = mcq(correct=2)
    assert grade_mcq(q, 2).correct
    wrong = grade_mcq(q, 0)
    assert not wrong.correct
    assert "Because 0" in wrong.feedback
    assert wrong.expected == "C. Option 2"


@pytest.mark.parametrize(
    ("text", "index"), [("a", 0), ("B", 1), ("c)", 2), (" 4 ", 3), ("e", None), ("", None)]
)
def test_parse_choice(text: str, index: int | None) -> None:
    assert parse_choice(text, 4) == index


def test_open_partial_credit_is_weighted_coverage() -> None:
    q = open_q()
    full = grade_open(
        q, "It is the lengths times the cosine; aligned vectors are high, orthogonal ones zero."
    )
    assert full.credit == 1.0
    assert full.correct
    partial = grade_open(q, "Vectors pointing in the same direction get a big score.")
    assert partial.credit == pytest.approx(0.25)  # weight 1 of 4
    assert partial.matched == ("Aligned vectors score high",)
    assert "Orthogonal vectors score zero" in partial.missed
    assert not partial.correct
    heavy = grade_open(q, "perpendicular vectors give nothing")
    assert heavy.credit == pytest.approx(0.5)


def test_open_tolerates_typos_and_word_forms() -> None:
    q = open_q()
    grade = grade_open(q, "The cosign of the angel between them; orthogonl vectors")
    assert "Orthogonal vectors score zero" in grade.matched
    assert grade_open(q, "").feedback == "No answer given."


def test_signs_fractions_and_infinity_are_not_lost() -> None:
    assert not grade_short(short(["8"]), "-8").correct
    assert grade_short(short(["-8"]), "-8").correct
    assert not grade_short(short(["-inf", "negative infinity"]), "infinity").correct
    assert (
        grade_short(short(["-inf", "negative infinity"]), "−∞").correct is False
    )  # '−∞' is '-infinity'
    assert grade_short(short(["-infinity"]), "−∞").correct
    q = short(["0.01"], numeric={"value": 0.01, "tolerance": 0.0001})
    assert grade_short(q, "1/100").correct
    assert not grade_short(q, "1/10").correct
    assert parse_number("3/0") == 3


def test_word_forms_meet_in_explanations() -> None:
    from bot.domain.text import stem

    groups = [
        ["point", "points", "pointed", "pointing"],
        ["agree", "agrees", "agreed"],
        ["run", "running"],
        ["stop", "stopped"],
        ["normalise", "normalised", "normalises"],
        ["embedding", "embeddings"],
        ["match", "matches"],
    ]
    for group in groups:
        assert len({stem(w) for w in group}) == 1, group
    assert stem("need") != stem("ne")
