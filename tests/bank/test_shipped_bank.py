"""The bank we ship loads cleanly and has the shape the product promises."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from bot.bank.bank import DEFAULT_BANK_DIR, Bank, load_bank, validate
from bot.domain.questions import BehavioralQuestion, Kind


@cache
def shipped() -> Bank:
    """The shipped bank, loaded once for this module."""
    return load_bank(DEFAULT_BANK_DIR)


def test_shipped_bank_has_no_problems() -> None:
    _, problems = validate([DEFAULT_BANK_DIR], DEFAULT_BANK_DIR)
    assert [str(p) for p in problems] == []


def test_shipped_bank_shape() -> None:
    bank = shipped()
    active = bank.active()
    kinds = Counter(q.kind for q in active)
    assert len(active) >= 120
    assert set(kinds) == {k.value for k in Kind}
    assert kinds[Kind.BEHAVIORAL] >= 20
    concept_topics = {q.topic for q in active if q.kind != Kind.BEHAVIORAL}
    assert len(concept_topics) >= 12
    assert all(slug in bank.topics for slug in concept_topics)


def test_every_behavioral_prompt_has_a_competency_and_follow_ups() -> None:
    bank = shipped()
    behavioral = [q for q in bank.active() if isinstance(q, BehavioralQuestion)]
    assert behavioral
    assert all(q.follow_ups and len(q.strong_answer_shows) >= 2 for q in behavioral)


def test_every_accepted_answer_and_model_answer_passes_its_own_grader() -> None:
    from bot.domain.grading import grade_mcq, grade_open, grade_short
    from bot.domain.questions import McqQuestion, OpenQuestion, ShortQuestion

    bank = shipped()
    failures = []
    for q in bank.active():
        if isinstance(q, ShortQuestion):
            failures += [
                f"{q.id}: {a!r}" for a in (*q.answers, *q.aliases) if not grade_short(q, a).correct
            ]
        elif isinstance(q, OpenQuestion) and not grade_open(q, q.model_answer).correct:
            failures.append(f"{q.id}: model answer")
        elif isinstance(q, McqQuestion):
            assert grade_mcq(q, q.correct_index).correct
    assert failures == []


def test_echoing_the_prompt_never_passes_an_open_question() -> None:
    from bot.domain.grading import grade_open
    from bot.domain.questions import OpenQuestion

    bank = shipped()
    passing = [
        q.id
        for q in bank.active()
        if isinstance(q, OpenQuestion) and grade_open(q, q.prompt).correct
    ]
    assert passing == []


def test_committed_editor_schema_is_up_to_date(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "bank"
    shutil.copytree(DEFAULT_BANK_DIR, copy)
    subprocess.run(
        [sys.executable, "-m", "bot", "questions", "schema"],
        check=True,
        capture_output=True,
        env={"QUESTIONS_DIR": str(copy), "PATH": "/usr/bin:/bin"},
    )
    fresh = (copy / "schema.json").read_text()
    assert fresh == (DEFAULT_BANK_DIR / "schema.json").read_text(), (
        "run: python -m bot questions schema"
    )
