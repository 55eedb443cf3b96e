"""Adaptive choice of the next question: due reviews, weak topics at the right level, new ones."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.mastery import Skill, preferred_difficulty
from bot.domain.questions import AnyQuestion

RECENT_WINDOW = 20
COVERAGE = 0.5  # share of picks that go to topics measured fewer than FIRST_LOOK times
FIRST_LOOK = 3


class ServedReason(StrEnum):
    """Why a question was served; the front ends turn each into words for the learner."""

    REVIEW = "review"
    WEAK_TOPIC = "weak topic"
    NEW = "new"
    MOCK = "mock"
    DRILL = "drill"


@dataclass(frozen=True)
class Pick:
    """The chosen question and the reason, shown to the learner."""

    question: AnyQuestion
    reason: ServedReason


@dataclass(frozen=True)
class LearnerView:
    """What selection knows about the learner."""

    skills: Mapping[str, Skill]
    due: Sequence[str]  # question ids due for review, most overdue first
    recent: Sequence[str]  # question ids answered, most recent first
    seen: frozenset[str]


def _not_recent(pool: Sequence[AnyQuestion], recent: Sequence[str]) -> list[AnyQuestion]:
    window = set(recent[:RECENT_WINDOW])
    fresh = [q for q in pool if q.id not in window]
    if fresh:
        return fresh
    # The pool is smaller than the window: anything but the very last question will do.
    last = recent[0] if recent else None
    return [q for q in pool if q.id != last] or list(pool)


def _sample_weakest(topics: Sequence[str], skills: Mapping[str, Skill], rng: random.Random) -> str:
    # Thompson sampling: draw a plausible skill for each topic from its belief and practise the
    # lowest draw. Weak topics win most draws; uncertain ones still win some, so every topic
    # gathers evidence and a wrong early guess corrects itself.
    def draw(topic: str) -> float:
        skill = skills.get(topic, Skill())
        return rng.gauss(skill.mean, math.sqrt(skill.var))

    return min(topics, key=draw)


def _weakest_topic(topics: Sequence[str], skills: Mapping[str, Skill]) -> str:
    # Lower mean first; ties by name so the answer is deterministic.
    return min(topics, key=lambda t: (skills.get(t, Skill()).mean, t))


def _at_level(
    candidates: Sequence[AnyQuestion], skill: Skill, seen: frozenset[str]
) -> list[AnyQuestion]:
    wanted = preferred_difficulty(skill)
    unseen = [q for q in candidates if q.id not in seen] or list(candidates)
    level = [q for q in unseen if q.difficulty == wanted]
    return level or unseen


@dataclass(frozen=True)
class Practice:
    """The topic chosen for practice, its candidate questions, and what is known of it."""

    topic: str
    questions: Sequence[AnyQuestion]  # the topic's candidates, outside the recent window
    skill: Skill
    reason: ServedReason


def due_review(
    pool: Sequence[AnyQuestion], due: Sequence[str], recent: Sequence[str]
) -> Pick | None:
    """The most overdue of `due` in the pool, unless it is the question just answered."""
    # A due review is a scheduled repeat, so the recent window does not hold it back;
    # only the question just answered is never asked again straight away.
    last = recent[0] if recent else None
    wanted = {qid for qid in due if qid != last}
    if not wanted:
        return None
    # Index only the pool's due questions, not the whole pool (a due list is a few ids).
    found = {q.id: q for q in pool if q.id in wanted}
    for qid in due:
        if qid in found:
            return Pick(found[qid], ServedReason.REVIEW)
    return None


def practice_topic(
    pool: Sequence[AnyQuestion],
    skills: Mapping[str, Skill],
    recent: Sequence[str],
    rng: random.Random,
) -> Practice:
    """The topic to practise when nothing is due, drawn from a non-empty pool."""
    candidates = _not_recent(pool, recent)
    topics = sorted({q.topic for q in candidates})
    # Half the time, favour topics with only a few answers, so every topic gets a fair first
    # measurement (a lucky streak can hide a weak topic); otherwise practise where a plausible
    # skill is lowest.
    thin = [t for t in topics if skills.get(t, Skill()).attempts < FIRST_LOOK]
    topic = _sample_weakest(thin if thin and rng.random() < COVERAGE else topics, skills, rng)
    evidence = [t for t in topics if skills.get(t, Skill()).enough_evidence]
    weakest = evidence and topic == _weakest_topic(evidence, skills)
    in_topic = [q for q in candidates if q.topic == topic]
    reason = ServedReason.WEAK_TOPIC if weakest else ServedReason.NEW
    return Practice(topic, in_topic, skills.get(topic, Skill()), reason)


def practice_pick(practice: Practice, seen: frozenset[str], rng: random.Random) -> Pick:
    """A question of the practice topic at the learner's level, unseen ones first."""
    options = _at_level(practice.questions, practice.skill, seen)
    options.sort(key=lambda q: q.id)  # stable order so a seeded rng gives the same pick
    return Pick(rng.choice(options), practice.reason)


def choose(pool: Sequence[AnyQuestion], learner: LearnerView, rng: random.Random) -> Pick | None:
    """Pick the next question from `pool` (already filtered by topic, difficulty and kind)."""
    if not pool:
        return None
    # The same three steps the learning service takes, asking the store between them only
    # for what the next step needs.
    review = due_review(pool, learner.due, learner.recent)
    if review is not None:
        return review
    practice = practice_topic(pool, learner.skills, learner.recent, rng)
    return practice_pick(practice, learner.seen, rng)
