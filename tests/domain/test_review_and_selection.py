"""FSRS scheduling and adaptive selection."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import review, selection
from bot.domain.mastery import Skill
from bot.domain.questions import AnyQuestion
from tests.domain.factories import mcq

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_cards_get_explicit_ids_and_never_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sleep(_: float) -> None:
        raise AssertionError("fsrs slept on the event loop")

    monkeypatch.setattr(time, "sleep", no_sleep)
    card = review.new_card(42, "tfm-001", NOW)
    assert card.card_id == review.card_id_for(42, "tfm-001") > 0
    assert review.review(card, review.Recall.GOOD, NOW).card_id == card.card_id


def test_wrong_answers_come_back_sooner_than_right_ones() -> None:
    card = review.new_card(1, "q", NOW)
    again = review.review(card, review.Recall.AGAIN, NOW)
    good = review.review(card, review.Recall.GOOD, NOW)
    easy = review.review(card, review.Recall.EASY, NOW)
    assert again.due < good.due < easy.due
    assert again.due - NOW <= timedelta(minutes=10)
    assert easy.due - NOW >= timedelta(days=1)


def test_graduated_card_intervals_grow_and_lapse() -> None:
    card = review.new_card(1, "q", NOW)
    when = NOW
    for _ in range(4):
        card = review.review(card, review.Recall.GOOD, when)
        when = card.due
    assert card.state == review.REVIEW_STATE
    assert card.due - when >= timedelta(0)
    interval = card.due - (card.last_review or NOW)
    assert interval > timedelta(days=3)
    lapsed = review.review(card, review.Recall.AGAIN, card.due)
    assert lapsed.due - card.due < timedelta(days=1)


def test_card_state_round_trips_through_json() -> None:
    card = review.review(review.new_card(1, "q", NOW), review.Recall.HARD, NOW)
    assert review.CardState.from_dict(card.as_dict()) == card


def test_recall_from_credit() -> None:
    assert review.recall_from_credit(0.0) is review.Recall.AGAIN
    assert review.recall_from_credit(0.5) is review.Recall.HARD
    assert review.recall_from_credit(1.0) is review.Recall.GOOD


def _pool() -> list[AnyQuestion]:
    pool: list[AnyQuestion] = []
    for topic in ("sql", "nlp", "rl"):
        for level in ("easy", "medium", "hard"):
            for i in range(3):
                pool.append(mcq(id=f"{topic}-{level}-{i}", topic=topic, difficulty=level))
    return pool


def view(**kw: object) -> selection.LearnerView:
    """A learner view with sensible empty defaults."""
    base: dict[str, object] = {"skills": {}, "due": [], "recent": [], "seen": frozenset()}
    base.update(kw)
    return selection.LearnerView(**base)  # type: ignore[arg-type]


def test_due_reviews_come_first_most_overdue_first() -> None:
    pick = selection.choose(_pool(), view(due=["nlp-hard-1", "sql-easy-0"]), random.Random(1))
    assert pick is not None
    assert (pick.question.id, pick.reason) == ("nlp-hard-1", "review")


def test_weak_topic_gets_most_picks_at_the_right_level() -> None:
    skills = {"sql": Skill(-1.5, 0.3, 10), "nlp": Skill(1.0, 0.3, 10), "rl": Skill(1.2, 0.3, 10)}
    rng = random.Random(7)
    picks = [selection.choose(_pool(), view(skills=skills), rng) for _ in range(400)]
    sql = [p for p in picks if p and p.question.topic == "sql"]
    assert len(sql) / len(picks) > 0.5
    assert all(p.question.difficulty == "easy" for p in sql if p.reason == "weak topic")


def test_never_the_same_question_twice_in_a_row_and_window_respected() -> None:
    pool = _pool()
    recent = [q.id for q in pool[:20]]
    for seed in range(50):
        pick = selection.choose(pool, view(recent=recent), random.Random(seed))
        assert pick is not None
        assert pick.question.id not in recent
    tiny = pool[:2]
    for seed in range(20):
        pick = selection.choose(tiny, view(recent=[tiny[0].id, tiny[1].id]), random.Random(seed))
        assert pick is not None
        assert pick.question.id == tiny[1].id


def test_unseen_questions_preferred_and_seeded_choice_is_deterministic() -> None:
    pool = _pool()
    unseen = {"sql-easy-2", "nlp-medium-1", "rl-hard-0"}
    seen = frozenset(q.id for q in pool if q.id not in unseen)
    for seed in range(30):
        pick = selection.choose(pool, view(seen=seen), random.Random(seed))
        assert pick is not None
        assert pick.question.id in unseen
    a = [selection.choose(pool, view(), random.Random(3)) for _ in range(5)]
    b = [selection.choose(pool, view(), random.Random(3)) for _ in range(5)]
    assert a == b
    assert selection.choose([], view(), random.Random(0)) is None


def test_thompson_sampling_still_explores_uncertain_topics() -> None:
    skills = {"sql": Skill(-1.0, 0.2, 20), "nlp": Skill(0.5, 0.2, 20)}  # rl: no evidence at all
    rng = random.Random(11)
    topics = [
        selection.choose(_pool(), view(skills=skills), rng).question.topic for _ in range(300)
    ]  # type: ignore[union-attr]
    assert topics.count("sql") > topics.count("nlp")
    assert topics.count("rl") > 0


def test_topics_without_enough_answers_get_a_fair_first_measurement() -> None:
    skills = {"sql": Skill(-1.0, 0.3, 12), "nlp": Skill(0.8, 0.3, 12), "rl": Skill(0.0, 1.2, 1)}
    rng = random.Random(5)
    picks = [selection.choose(_pool(), view(skills=skills), rng) for _ in range(400)]
    share_rl = sum(p.question.topic == "rl" for p in picks if p) / len(picks)
    assert share_rl > 0.45  # about half from coverage, plus its Thompson wins


def test_a_few_unlucky_answers_do_not_make_a_topic_the_weakest() -> None:
    from bot.domain.mastery import weakest

    skills = {
        "unlucky": Skill(-1.2, 0.9, 3),  # three misses: low mean, very unsure
        "weak": Skill(-1.0, 0.15, 25),  # consistently weak
    }
    assert [t for t, _ in weakest(skills)] == ["weak", "unlucky"]
