"""The steps of selection, as the learning service takes them, and the bank's cached pools."""

from __future__ import annotations

import random

from bot.bank.bank import Bank
from bot.domain import selection
from bot.domain.mastery import Skill
from bot.domain.questions import AnyQuestion
from tests.domain.factories import mcq


def _pool() -> list[AnyQuestion]:
    return [
        mcq(id=f"{topic}-{level}-{i}", topic=topic, difficulty=level)
        for topic in ("sql", "nlp", "rl")
        for level in ("easy", "medium", "hard")
        for i in range(3)
    ]


def test_due_review_passes_over_the_question_just_answered() -> None:
    pool = _pool()
    due = ["nlp-hard-1", "sql-easy-0"]
    first = selection.due_review(pool, due, recent=["rl-easy-0"])
    second = selection.due_review(pool, due, recent=["nlp-hard-1"])
    assert first is not None and first.question.id == "nlp-hard-1"
    assert second is not None and second.question.id == "sql-easy-0"
    assert selection.due_review(pool, ["nlp-hard-1"], recent=["nlp-hard-1"]) is None
    assert selection.due_review(pool, ["not-in-pool"], recent=[]) is None
    assert selection.due_review(pool, [], recent=[]) is None


def test_seen_outside_the_practice_topic_changes_nothing() -> None:
    # The service asks the store only about the chosen topic's questions: that must be enough.
    pool = _pool()
    skills = {"sql": Skill(-1.0, 0.3, 10), "nlp": Skill(0.5, 0.3, 10)}
    everything = frozenset(q.id for q in pool[::2])
    for seed in range(60):
        recent = [q.id for q in random.Random(seed).sample(pool, 5)]
        whole = selection.choose(
            pool,
            selection.LearnerView(skills=skills, due=[], recent=recent, seen=everything),
            random.Random(seed),
        )
        rng = random.Random(seed)
        practice = selection.practice_topic(pool, skills, recent, rng)
        topic_ids = {q.id for q in practice.questions}
        assert all(q.topic == practice.topic and q.id not in recent for q in practice.questions)
        step = selection.practice_pick(practice, everything & topic_ids, rng)
        assert whole == step


def test_bank_pools_are_built_once_and_handed_out_as_copies() -> None:
    questions = [*_pool(), mcq(id="sql-old", topic="sql", difficulty="easy", retired=True)]
    bank = Bank.build({}, questions)
    first = bank.active("sql", kind=None)
    first.clear()  # the caller's list is its own
    again = bank.active("sql")
    assert [q.id for q in again] == [q.id for q in _pool() if q.topic == "sql"]
    assert bank.active_ids("sql") == tuple(q.id for q in again)
    assert bank.active_ids("sql") is bank.active_ids("sql")
    assert bank.active_ids(difficulty="hard") == tuple(
        q.id for q in _pool() if q.difficulty == "hard"
    )
    assert bank.active("") == bank.active()
