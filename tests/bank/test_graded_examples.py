"""Every graded example in the bank grades as labelled, and the gates that keep them honest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bank.bank import DEFAULT_BANK_DIR, load_bank, validate
from bot.bank.mcq_cues import absolute_asymmetry
from bot.bank.open_gates import synonym_problem
from bot.domain.open_answers import WEIGHTS_FILE, judge
from bot.domain.questions import McqQuestion, OpenQuestion, Verdict
from tests.bank.test_loader import bank_copy, write

ROOT = Path(__file__).resolve().parents[2]


def open_questions() -> list[OpenQuestion]:
    return [q for q in load_bank(DEFAULT_BANK_DIR).active() if isinstance(q, OpenQuestion)]


def test_every_graded_example_grades_as_labelled_when_left_out() -> None:
    """Each example is graded as a new answer would be: without itself among the references."""
    wrong = []
    for q in open_questions():
        for example in q.examples:
            verdict = judge(q, example.answer, leave_out=example.answer)
            if verdict.passed != (example.verdict is Verdict.PASS):
                wrong.append(f"{q.id} {example.kind}: p={verdict.probability:.2f}")
    assert wrong == []


def test_model_answers_pass_and_echoed_prompts_fail() -> None:
    wrong = [
        f"{q.id}: {what}"
        for q in open_questions()
        for what, text, passes in (("model", q.model_answer, True), ("prompt", q.prompt, False))
        if judge(q, text, leave_out=text).passed != passes
    ]
    assert wrong == []


def test_a_keyword_list_fails_every_question() -> None:
    salads = [
        q.id
        for q in open_questions()
        if judge(q, " ".join(p.synonyms[0] for p in q.key_points)).passed
    ]
    assert salads == []


def test_the_committed_calibration_is_what_the_bank_fits() -> None:
    run = subprocess.run(
        [sys.executable, "bench/fit_open_grader.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(WEIGHTS_FILE.read_text())["training_accuracy"] > 0.8


@pytest.mark.parametrize(
    ("point", "synonym", "why"),
    [
        ("Latency grows with batch size", "latency", "single generic word"),
        ("The transform preserves the label", "change the label", "the opposite"),
        ("The transform preserves the label", "not preserve the label", "denies the point"),
    ],
)
def test_synonyms_that_say_nothing_or_the_opposite_are_refused(
    point: str, synonym: str, why: str
) -> None:
    found = synonym_problem(point, synonym)
    assert found is not None and why in found


@pytest.mark.parametrize(
    ("point", "synonym"),
    [
        ("Dropout regularises the network", "dropout"),
        ("Entropy is −log p on average", "−log p"),
        ("We never observe both outcomes", "cannot observe both outcomes"),
        ("Cross-validation rotates the folds", "cross-validation"),
    ],
)
def test_terms_of_art_formulas_and_negative_points_are_fine(point: str, synonym: str) -> None:
    assert synonym_problem(point, synonym) is None


def test_an_open_question_without_graded_examples_is_refused(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    path = bank / "math-foundations.yaml"
    text = path.read_text()
    start = text.index("    examples:")
    end = text.index("    explanation: >-\n      Expanding")
    write(bank, "math-foundations.yaml", text[:start] + text[end:])
    _, problems = validate([bank], bank)
    assert any("needs graded examples" in str(p) for p in problems)


def test_no_shipped_mcq_gives_its_answer_away_by_absolute_words() -> None:
    bank = load_bank(DEFAULT_BANK_DIR)
    flagged = [q.id for q in bank.active() if isinstance(q, McqQuestion) and absolute_asymmetry(q)]
    assert flagged == []
