"""Spaced repetition with FSRS-6 (the `fsrs` package, default parameters)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from fsrs import Card, Rating, Scheduler, State

REVIEW_STATE = int(State.Review)
# Fuzzing spreads due dates at random; off, schedules are reproducible and testable.
_SCHEDULER = Scheduler(enable_fuzzing=False)


class Recall(IntEnum):
    """How well the learner recalled the answer (FSRS's four ratings)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class CardState:
    """What the store keeps of an FSRS card."""

    card_id: int
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy, for undoing a review when the learner rates themselves."""
        return {
            "card_id": self.card_id,
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardState:
        """Inverse of as_dict."""
        last = data.get("last_review")
        return cls(
            card_id=int(data["card_id"]),
            state=int(data["state"]),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            due=datetime.fromisoformat(data["due"]),
            last_review=datetime.fromisoformat(last) if last else None,
        )


def card_id_for(user_id: int, question_id: str) -> int:
    """A stable positive id: fsrs would otherwise sleep to make a unique one."""
    digest = hashlib.sha256(f"{user_id}:{question_id}".encode()).digest()
    return int.from_bytes(digest[:7], "big") + 1


def new_card(user_id: int, question_id: str, now: datetime) -> CardState:
    """A card never reviewed, due now."""
    return CardState(
        card_id_for(user_id, question_id), int(State.Learning), 0, None, None, now, None
    )


def recall_from_credit(credit: float) -> Recall:
    """The rating implied by a graded answer when the learner does not rate themselves."""
    if credit < 0.34:
        return Recall.AGAIN
    if credit < 0.67:
        return Recall.HARD
    return Recall.GOOD


# What a self-rating says the answer was worth, when the grader was unsure and defers to it.
RECALL_CREDIT = {Recall.AGAIN: 0.0, Recall.HARD: 0.4, Recall.GOOD: 0.8, Recall.EASY: 1.0}
PASSING_CREDIT = 0.6


def credit_from_recall(recall: Recall) -> float:
    """The credit a self-rating gives an answer the grader was unsure of."""
    return RECALL_CREDIT[recall]


def review(card: CardState, recall: Recall, now: datetime) -> CardState:
    """The card after one review at `now`."""
    fsrs_card = Card(
        card_id=card.card_id,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
    updated, _log = _SCHEDULER.review_card(fsrs_card, Rating(int(recall)), review_datetime=now)
    return CardState(
        card_id=card.card_id,
        state=int(updated.state),
        step=updated.step,
        stability=updated.stability,
        difficulty=updated.difficulty,
        due=updated.due,
        last_review=updated.last_review,
    )
