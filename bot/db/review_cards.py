"""The review_cards table: the FSRS card of each question a user has answered."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, any_, bindparam, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.db.bulk import rows_by_keys, upsert_rows
from bot.db.models import ReviewCard
from bot.domain.review import CardState


def card_state(row: ReviewCard) -> CardState:
    """The domain card held by a review_cards row."""
    return CardState(
        row.card_id, row.state, row.step, row.stability, row.difficulty, row.due, row.last_review
    )


def apply_card(row: ReviewCard, card: CardState) -> None:
    """Copy a domain card onto its row (the unit of work writes it)."""
    row.card_id, row.state, row.step = card.card_id, card.state, card.step
    row.stability, row.difficulty = card.stability, card.difficulty
    row.due, row.last_review = card.due, card.last_review


async def get_card(session: AsyncSession, *, user_id: int, question_id: str) -> ReviewCard | None:
    """The user's review card for a question, if any."""
    return await session.get(ReviewCard, (user_id, question_id))


async def due_cards(
    session: AsyncSession,
    *,
    user_id: int,
    now: datetime,
    question_ids: Iterable[str] | None = None,
    limit: int = 50,
) -> list[ReviewCard]:
    """Cards due at `now`, most overdue first."""
    query = select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.due <= now)
    if question_ids is not None:
        query = query.where(col(ReviewCard.question_id).in_(list(question_ids)))
    rows = await session.scalars(query.order_by(col(ReviewCard.due)).limit(limit))
    return list(rows)


async def due_count(session: AsyncSession, *, user_id: int, now: datetime) -> int:
    """How many cards are due."""
    query = (
        select(func.count())
        .select_from(ReviewCard)
        .where(ReviewCard.user_id == user_id, ReviewCard.due <= now)
    )
    return int((await session.execute(query)).scalar_one())


async def next_due(session: AsyncSession, *, user_id: int) -> datetime | None:
    """When the next card falls due."""
    query = select(func.min(ReviewCard.due)).where(ReviewCard.user_id == user_id)
    value: datetime | None = (await session.execute(query)).scalar_one()
    return value


@functools.lru_cache(maxsize=64)
def _as_json(question_ids: tuple[str, ...]) -> str:
    # A pool is usually one of the bank's cached id tuples: encode each of them once.
    return json.dumps(question_ids)


def _among(session: AsyncSession, question_ids: tuple[str, ...]) -> ColumnElement[bool]:
    """review_cards.question_id is one of these ids, sent as one parameter."""
    # One parameter holding the whole list, not one per id: the statement stays small and
    # cached however large the pool (SQLite reads it with json_each, PostgreSQL as an array).
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        listed = text("SELECT value FROM json_each(:ids)").bindparams(ids=_as_json(question_ids))
        return col(ReviewCard.question_id).in_(listed.columns(value=String).subquery().select())
    ids = list(question_ids)
    return col(ReviewCard.question_id) == any_(bindparam("ids", ids, type_=ARRAY(String)))


async def seen_among(
    session: AsyncSession, *, user_id: int, question_ids: Iterable[str]
) -> frozenset[str]:
    """Which of these questions the user has answered (has a card for), by primary key."""
    wanted = tuple(question_ids)
    if not wanted:
        return frozenset()
    rows = await session.scalars(
        select(ReviewCard.question_id).where(ReviewCard.user_id == user_id, _among(session, wanted))
    )
    return frozenset(rows)


async def due_among(
    session: AsyncSession, *, user_id: int, now: datetime, question_ids: Iterable[str], limit: int
) -> list[str]:
    """Which of these questions are due at `now`, most overdue first, at most `limit`."""
    wanted = tuple(question_ids)
    if not wanted:
        return []
    rows = await session.scalars(
        select(ReviewCard.question_id)
        .where(ReviewCard.user_id == user_id, ReviewCard.due <= now, _among(session, wanted))
        # The id breaks ties between cards due at the same moment, whatever plan is chosen.
        .order_by(col(ReviewCard.due), col(ReviewCard.question_id))
        .limit(limit)
    )
    return list(rows)


async def card_states(
    session: AsyncSession, *, keys: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], CardState]:
    """The cards of several (user, question) pairs that have one, by pair."""
    table = ReviewCard.__table__  # type: ignore[attr-defined]
    rows = await rows_by_keys(session, table, ("user_id", "question_id"), sorted(set(keys)))
    # Plain rows, not models: building a model costs more than the lookup (measured).
    return {
        (r["user_id"], r["question_id"]): CardState(
            r["card_id"],
            r["state"],
            r["step"],
            r["stability"],
            r["difficulty"],
            r["due"],
            r["last_review"],
        )
        for r in rows
    }


@dataclass(frozen=True)
class Reviewed:
    """A card after a batch's reviews of it: the card, counts to add, and the last review."""

    user_id: int
    question_id: str
    card: CardState
    reps: int
    lapses: int
    last_attempt_id: int
    before: CardState


async def save_reviews(session: AsyncSession, *, reviews: Sequence[Reviewed]) -> None:
    """Store several cards in one statement; counters are added atomically."""
    if not reviews:
        return
    table = ReviewCard.__table__  # type: ignore[attr-defined]
    rows = [
        {
            "user_id": r.user_id,
            "question_id": r.question_id,
            "card_id": r.card.card_id,
            "state": r.card.state,
            "step": r.card.step,
            "stability": r.card.stability,
            "difficulty": r.card.difficulty,
            "due": r.card.due,
            "last_review": r.card.last_review,
            "reps": r.reps,
            "lapses": r.lapses,
            "last_attempt_id": r.last_attempt_id,
            "prev_state": r.before.as_dict(),
        }
        for r in reviews
    ]
    kept = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")
    await upsert_rows(
        session,
        table,
        rows,
        conflict=("user_id", "question_id"),
        updates={
            **{name: f"excluded.{name}" for name in kept},
            "reps": "review_cards.reps + excluded.reps",
            "lapses": "review_cards.lapses + excluded.lapses",
            "last_attempt_id": "excluded.last_attempt_id",
            "prev_state": "excluded.prev_state",
        },
    )
