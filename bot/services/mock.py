"""Mock interviews: a fixed mix of concept questions then a behavioral one, timed, with a report."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.bank.bank import Bank
from bot.db.models import Attempt, MockSession, ServedQuestion
from bot.db.types import utcnow
from bot.domain.errors import GradientError, NoQuestionAvailable
from bot.domain.questions import Kind
from bot.services.quiz import Asker, QuizService, Served, new_token

MIN_LENGTH, MAX_LENGTH = 3, 10


class MockAlreadyMoved(GradientError):
    """Continue was pressed twice."""

    user_message = "You've already moved on from that question."


class MockFinished(GradientError):
    """The mock has no questions left."""

    user_message = "That mock interview is over. Start another with /mock."


@dataclass(frozen=True)
class MockStep:
    """The question to show now, and where we are in the mock."""

    served: Served
    number: int
    length: int


@dataclass(frozen=True)
class MockAnswerTime:
    """One answered question in the report."""

    topic: str
    credit: float
    seconds: float | None


@dataclass(frozen=True)
class MockReport:
    """Score per topic, time per answer, strongest and weakest area."""

    answered: int
    length: int
    average_credit: float
    by_topic: dict[str, float]
    answers: tuple[MockAnswerTime, ...]
    strongest: str | None
    weakest: str | None
    total_seconds: float


class MockService:
    """Builds mock interviews and reports on them."""

    def __init__(
        self, bank: Bank, quiz: QuizService, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.bank = bank
        self.quiz = quiz
        self.clock = clock

    def _plan(self, length: int, rng: random.Random) -> list[str]:
        concept = [q for q in self.bank.active() if q.kind != Kind.BEHAVIORAL.value]
        stories = self.bank.active(kind=Kind.BEHAVIORAL)
        if not concept or not stories:
            raise NoQuestionAvailable()
        topics = sorted({q.topic for q in concept})
        chosen_topics = rng.sample(topics, min(length - 1, len(topics)))
        while len(chosen_topics) < length - 1:
            chosen_topics.append(rng.choice(topics))
        plan = []
        for topic in chosen_topics:
            options = sorted(q.id for q in concept if q.topic == topic and q.id not in plan)
            plan.append(rng.choice(options))
        plan.append(rng.choice(sorted(q.id for q in stories)))
        return plan

    async def start(
        self, session: AsyncSession, asker: Asker, length: int, rng: random.Random | None = None
    ) -> MockStep:
        """Plan a mock of `length` questions and serve the first."""
        length = min(max(length, MIN_LENGTH), MAX_LENGTH)
        plan = self._plan(length, rng or random.Random())
        mock = MockSession(
            token=new_token(),
            user_id=asker.user_id,
            guild_id=asker.guild_id,
            question_ids=plan,
            position=0,
            started_at=self.clock(),
        )
        await self.quiz.register(session, asker)  # the user row must exist first
        session.add(mock)
        await session.flush()
        served = await self.quiz.serve_question(
            session, asker, plan[0], source="mock", reason="mock", mock_token=mock.token
        )
        return MockStep(served, 1, len(plan))

    async def advance(
        self, session: AsyncSession, asker: Asker, mock_token: str, answered_question: str
    ) -> MockStep | None:
        """Serve the step after `answered_question`, once; None when the mock is over."""
        mock = await session.get(MockSession, mock_token)
        if (
            mock is None
            or mock.user_id != asker.user_id
            or answered_question not in mock.question_ids
        ):
            raise MockFinished()
        here = mock.question_ids.index(answered_question)
        # Conditional update: a double click on "Continue" moves the mock on only once.
        moved = await session.execute(
            update(MockSession)
            .where(col(MockSession.token) == mock_token, col(MockSession.position) == here)
            .values(position=here + 1)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise MockAlreadyMoved()
        if here + 1 >= len(mock.question_ids):
            await session.execute(
                update(MockSession)
                .where(col(MockSession.token) == mock_token)
                .values(finished_at=self.clock())
            )
            return None
        next_id = mock.question_ids[here + 1]
        served = await self.quiz.serve_question(
            session, asker, next_id, source="mock", reason="mock", mock_token=mock_token
        )
        return MockStep(served, here + 2, len(mock.question_ids))

    async def report(self, session: AsyncSession, user_id: int, mock_token: str) -> MockReport:
        """How the mock went: from the attempts its served questions produced."""
        mock = await session.get(MockSession, mock_token)
        if mock is None or mock.user_id != user_id:
            raise MockFinished()
        rows = (
            await session.execute(
                select(Attempt.question_id, Attempt.credit, Attempt.response_ms)
                .join(ServedQuestion, col(ServedQuestion.attempt_id) == col(Attempt.id))
                .where(col(ServedQuestion.mock_token) == mock_token)
                .order_by(col(Attempt.id))
            )
        ).all()
        answers = []
        by_topic: dict[str, list[float]] = defaultdict(list)
        for qid, credit, ms in rows:
            question = self.bank.get(qid)
            topic = question.topic if question else "unknown"
            by_topic[topic].append(credit)
            answers.append(MockAnswerTime(topic, credit, ms / 1000 if ms is not None else None))
        averages = {t: sum(v) / len(v) for t, v in by_topic.items()}
        ranked = sorted(averages, key=lambda t: (averages[t], t))
        end = mock.finished_at or self.clock()
        return MockReport(
            answered=len(answers),
            length=len(mock.question_ids),
            average_credit=sum(a.credit for a in answers) / len(answers) if answers else 0.0,
            by_topic=averages,
            answers=tuple(answers),
            strongest=ranked[-1] if ranked else None,
            weakest=ranked[0] if len(ranked) > 1 else None,
            total_seconds=(end - mock.started_at).total_seconds(),
        )
