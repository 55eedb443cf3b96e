"""Mock interviews: a fixed mix of concept questions then a behavioral one, timed, with a report."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from bot.bank.bank import Bank
from bot.clock import Clock
from bot.db import mock_sessions
from bot.db.engine import Session
from bot.domain.errors import GradientError, NoQuestionAvailable
from bot.domain.questions import Kind
from bot.domain.selection import ServedReason
from bot.domain.sources import QuestionSource
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

    def __init__(self, bank: Bank, quiz: QuizService, *, clock: Clock) -> None:
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
        plan: list[str] = []
        for topic in chosen_topics:
            options = sorted(q.id for q in concept if q.topic == topic and q.id not in plan)
            if not options:
                # A topic drawn again has no unused question left: take one from any topic, or
                # end the concept part early when the whole bank is used up (a small bank).
                options = sorted(q.id for q in concept if q.id not in plan)
            if not options:
                break
            plan.append(rng.choice(options))
        plan.append(rng.choice(sorted(q.id for q in stories)))
        return plan

    async def start(
        self, session: Session, asker: Asker, length: int, rng: random.Random | None = None
    ) -> MockStep:
        """Plan a mock of `length` questions and serve the first."""
        length = min(max(length, MIN_LENGTH), MAX_LENGTH)
        plan = self._plan(length, rng or random.Random())
        token = new_token()
        await self.quiz.register(session, asker)  # the user row must exist first
        await mock_sessions.add_mock(
            session,
            token=token,
            user_id=asker.user_id,
            guild_id=asker.guild_id,
            question_ids=plan,
            now=self.clock(),
        )
        return MockStep(await self._serve(session, asker, token, plan[0]), 1, len(plan))

    async def _serve(self, session: Session, asker: Asker, token: str, question_id: str) -> Served:
        return await self.quiz.serve_question(
            session,
            asker,
            question_id,
            source=QuestionSource.MOCK,
            reason=ServedReason.MOCK,
            mock_token=token,
        )

    async def advance(
        self, session: Session, asker: Asker, mock_token: str, answered_question: str
    ) -> MockStep | None:
        """Serve the step after `answered_question`, once; None when the mock is over."""
        mock = await mock_sessions.get_mock(session, token=mock_token)
        if (
            mock is None
            or mock.user_id != asker.user_id
            or answered_question not in mock.question_ids
        ):
            raise MockFinished()
        here = mock.question_ids.index(answered_question)
        if not await mock_sessions.move_on(session, token=mock_token, position=here):
            raise MockAlreadyMoved()
        if here + 1 >= len(mock.question_ids):
            await mock_sessions.finish(session, token=mock_token, now=self.clock())
            return None
        served = await self._serve(session, asker, mock_token, mock.question_ids[here + 1])
        return MockStep(served, here + 2, len(mock.question_ids))

    async def report(self, session: Session, user_id: int, mock_token: str) -> MockReport:
        """How the mock went: from the attempts its served questions produced."""
        mock = await mock_sessions.get_mock(session, token=mock_token)
        if mock is None or mock.user_id != user_id:
            raise MockFinished()
        answers = []
        by_topic: dict[str, list[float]] = defaultdict(list)
        for qid, credit, ms in await mock_sessions.answers(session, token=mock_token):
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
