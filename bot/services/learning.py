"""The learning use cases: serve a question, take an answer."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.bank.bank import Bank
from bot.db.models import Attempt, TopicStat
from bot.db.types import utcnow
from bot.db.upsert import insert
from bot.domain.errors import InvalidAnswer, NoQuestionAvailable, UnknownQuestion
from bot.domain.grading import Grade, grade_mcq, grade_open, grade_short, parse_choice
from bot.domain.questions import (
    AnyQuestion,
    Difficulty,
    Kind,
    McqQuestion,
    OpenQuestion,
    ShortQuestion,
)
from bot.services.results import AnswerOutcome, ServedQuestion

Clock = Callable[[], datetime]
RECENT_WINDOW = 20


def grade_response(question: AnyQuestion, response: str) -> Grade:
    """Grade a response of whatever kind the question is."""
    if isinstance(question, McqQuestion):
        choice = parse_choice(response, len(question.choices))
        if choice is None:
            letters = "".join(chr(65 + i) for i in range(len(question.choices)))
            raise InvalidAnswer(f"Pick one of {', '.join(letters)}.")
        return grade_mcq(question, choice)
    if isinstance(question, ShortQuestion):
        return grade_short(question, response)
    if isinstance(question, OpenQuestion):
        return grade_open(question, response)
    raise InvalidAnswer("Behavioral answers are graded by the STAR coach.")


class LearningService:
    """Serves questions and records answers; never commits."""

    def __init__(self, bank: Bank, clock: Clock = utcnow) -> None:
        self.bank = bank
        self.clock = clock

    async def _recent_ids(self, session: AsyncSession, user_id: int) -> list[str]:
        rows = await session.scalars(
            select(Attempt.question_id)
            .where(Attempt.user_id == user_id)
            .order_by(col(Attempt.answered_at).desc())
            .limit(RECENT_WINDOW)
        )
        return list(rows)

    async def next_question(
        self,
        session: AsyncSession,
        user_id: int,
        topic: str | None = None,
        difficulty: Difficulty | None = None,
        kind: Kind | None = None,
        *,
        kinds: frozenset[Kind] | None = None,
        rng: random.Random | None = None,
    ) -> ServedQuestion:
        """A question the user has not seen recently, within the filters."""
        pool = [
            q
            for q in self.bank.active(topic, difficulty, kind)
            if kinds is None or Kind(q.kind) in kinds
        ]
        if not pool:
            raise NoQuestionAvailable()
        recent = await self._recent_ids(session, user_id)
        last = recent[0] if recent else None
        fresh = [q for q in pool if q.id not in recent] or [q for q in pool if q.id != last]
        chosen = (rng or random.Random()).choice(fresh or pool)
        return ServedQuestion(chosen, "unseen", self.clock())

    async def submit_answer(
        self,
        session: AsyncSession,
        user_id: int,
        question_id: str,
        response: str,
        *,
        source: str = "quiz",
        guild_id: int | None = None,
        served_at: datetime | None = None,
    ) -> AnswerOutcome:
        """Grade and record one answer, updating the user's per-topic counts."""
        question = self.bank.get(question_id)
        if question is None:
            raise UnknownQuestion()
        grade = grade_response(question, response)
        now = self.clock()
        elapsed = int((now - served_at).total_seconds() * 1000) if served_at else None
        attempt = Attempt(
            user_id=user_id,
            guild_id=guild_id,
            question_id=question.id,
            source=source,
            answer=response[:4000],
            correct=grade.correct,
            credit=grade.credit,
            points=0,
            served_at=served_at,
            answered_at=now,
            response_ms=elapsed,
        )
        session.add(attempt)
        await self._count(session, user_id, question.topic, grade, now)
        await session.flush()
        assert attempt.id is not None
        return AnswerOutcome(attempt.id, question, grade, 0)

    async def _count(
        self, session: AsyncSession, user_id: int, topic: str, grade: Grade, now: datetime
    ) -> None:
        values = {
            "user_id": user_id,
            "topic": topic,
            "attempts": 1,
            "correct": int(grade.correct),
            "credit_sum": grade.credit,
            "last_answered_at": now,
        }
        stmt = insert(session, TopicStat).values(**values)
        table = TopicStat.__table__.c  # type: ignore[attr-defined]
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "topic"],
            set_={
                "attempts": table.attempts + 1,
                "correct": table.correct + int(grade.correct),
                "credit_sum": table.credit_sum + grade.credit,
                "last_answered_at": now,
            },
        )
        await session.execute(stmt)
