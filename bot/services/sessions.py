"""Moving on in a study session: the next question, the mock's next step, or its report."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.engine import Session
from bot.domain.sources import QuestionSource
from bot.services.mock import MockReport, MockService
from bot.services.quiz import Asker, QuizService, Served


@dataclass(frozen=True)
class Step:
    """What "Next question" leads to: a question (with a title prefix), or a mock's report."""

    served: Served | None = None
    prefix: str = ""
    report: MockReport | None = None


class SessionService:
    """Continues whatever a served question belonged to: a quiz, a behavioral run or a mock."""

    def __init__(self, quiz: QuizService, mock: MockService) -> None:
        self.quiz = quiz
        self.mock = mock

    async def continue_(self, session: Session, token: str, asker: Asker) -> Step:
        """Move on from a served question, once (a double click moves on once)."""
        row = await self.quiz.continue_from(session, token, asker.user_id)
        if row.mock_token is None:
            source = (
                QuestionSource(row.source)
                if row.source in {QuestionSource.QUIZ, QuestionSource.BEHAVIORAL}
                else QuestionSource.QUIZ
            )
            served = await self.quiz.serve(session, asker, self.quiz.filters_of(row), source=source)
            return Step(served)
        step = await self.mock.advance(session, asker, row.mock_token, row.question_id)
        if step is None:
            return Step(report=await self.mock.report(session, asker.user_id, row.mock_token))
        return Step(step.served, f"Mock {step.number}/{step.length} · ")
