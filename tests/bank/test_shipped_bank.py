"""The bank we ship loads cleanly and has the shape the product promises."""

from __future__ import annotations

from collections import Counter

from bot.bank.bank import DEFAULT_BANK_DIR, load_bank, validate
from bot.domain.questions import BehavioralQuestion, Kind


def test_shipped_bank_has_no_problems() -> None:
    _, problems = validate([DEFAULT_BANK_DIR], DEFAULT_BANK_DIR)
    assert [str(p) for p in problems] == []


def test_shipped_bank_shape() -> None:
    bank = load_bank(DEFAULT_BANK_DIR)
    active = bank.active()
    kinds = Counter(q.kind for q in active)
    assert len(active) >= 120
    assert set(kinds) == {k.value for k in Kind}
    assert kinds[Kind.BEHAVIORAL] >= 20
    concept_topics = {q.topic for q in active if q.kind != Kind.BEHAVIORAL}
    assert len(concept_topics) >= 12
    assert all(slug in bank.topics for slug in concept_topics)


def test_every_behavioral_prompt_has_a_competency_and_follow_ups() -> None:
    bank = load_bank(DEFAULT_BANK_DIR)
    behavioral = [q for q in bank.active() if isinstance(q, BehavioralQuestion)]
    assert behavioral
    assert all(q.follow_ups and len(q.strong_answer_shows) >= 2 for q in behavioral)
