"""Quiz sessions on Discord: serve a question to one user, and accept that user's answer once."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.bank.bank import BEHAVIORAL_TOPIC, Bank
from bot.clock import Clock
from bot.db import guilds, served, users
from bot.db.engine import Session
from bot.db.models import ServedQuestion
from bot.domain.errors import AlreadyAnswered, GradientError, UnknownQuestion
from bot.domain.questions import AnyQuestion, Difficulty, Kind
from bot.domain.review import Recall
from bot.domain.selection import ServedReason
from bot.domain.sources import QuestionSource
from bot.services.custom import CustomQuestionService
from bot.services.learning import LearningService
from bot.services.results import AnswerOutcome

TOKEN_BYTES = 9  # 12 URL-safe characters: unguessable, and short enough for a custom_id


class NotYourQuestion(GradientError):
    """Someone clicked a question that was served to another user."""

    user_message = "This question was served to someone else. Run /quiz to get your own."


class AlreadyMovedOn(GradientError):
    """Next was pressed twice for the same question."""

    user_message = "You've already moved on from that question."


class UnknownButton(GradientError):
    """A custom_id that names no served question (forged, or from a deleted account)."""

    user_message = "I don't recognise that button. Run /quiz for a fresh question."


@dataclass(frozen=True)
class Filters:
    """What the user asked for; kept so "Next question" continues in the same vein."""

    topic: str | None = None
    difficulty: str | None = None
    kind: str | None = None
    competency: str | None = None


@dataclass(frozen=True)
class Asker:
    """Who is asking, and where: plain ids and names from the Discord layer."""

    user_id: int
    user_name: str
    guild_id: int | None = None
    guild_name: str = ""


@dataclass(frozen=True)
class Served:
    """A question served to a user, and the token its buttons carry."""

    token: str
    question: AnyQuestion
    reason: ServedReason
    source: QuestionSource
    filters: Filters
    mock_token: str | None = None
    topic_name: str = ""


NEXT_LABEL, MOCK_LABEL = "Next question", "Continue mock"


@dataclass(frozen=True)
class Answered:
    """An answer's outcome, and what the button under its feedback says."""

    outcome: AnswerOutcome
    next_label: str


@dataclass(frozen=True)
class RatedServed:
    """A self-rating taken on a served question, and the label of the button that moves on."""

    due: datetime
    set_credit: bool
    points: int
    next_label: str


def new_token() -> str:
    """A random token for a served question or mock session."""
    return secrets.token_urlsafe(TOKEN_BYTES)


class QuizService:
    """Serves questions as tokens and takes each token's answer exactly once."""

    def __init__(
        self,
        bank: Bank,
        learning: LearningService,
        *,
        custom: CustomQuestionService,
        clock: Clock,
    ) -> None:
        self.bank = bank
        self.learning = learning
        self.clock = clock
        self.custom = custom

    async def register(self, session: Session, asker: Asker) -> None:
        """Create or refresh the user (and guild) rows before anything points at them."""
        now = self.clock()
        await users.ensure_user(session, user_id=asker.user_id, name=asker.user_name, now=now)
        if asker.guild_id is not None:
            await guilds.ensure_guild(
                session, guild_id=asker.guild_id, name=asker.guild_name, now=now
            )

    async def _store(
        self,
        session: Session,
        asker: Asker,
        question: AnyQuestion,
        *,
        reason: ServedReason,
        source: QuestionSource,
        filters: Filters,
        mock_token: str | None = None,
    ) -> Served:
        token = new_token()
        await served.add_served(
            session,
            token=token,
            user_id=asker.user_id,
            guild_id=asker.guild_id,
            question_id=question.id,
            source=source,
            topic=filters.topic,
            difficulty=filters.difficulty,
            kind=filters.kind,
            competency=filters.competency,
            mock_token=mock_token,
            now=self.clock(),
        )
        topic = self.bank.topics.get(question.topic)
        name = topic.name if topic else question.topic
        return Served(token, question, reason, source, filters, mock_token, name)

    async def serve(
        self,
        session: Session,
        asker: Asker,
        filters: Filters,
        *,
        source: QuestionSource | str = QuestionSource.QUIZ,
        rng: random.Random | None = None,
    ) -> Served:
        """Choose the next question adaptively within the filters and serve it."""
        source = QuestionSource(source)
        await self.register(session, asker)
        kinds = None
        if filters.kind is None:
            # Behavioral prompts need a story, so they come only when asked for.
            wants_stories = source is QuestionSource.BEHAVIORAL or filters.topic == BEHAVIORAL_TOPIC
            kinds = (
                frozenset({Kind.BEHAVIORAL})
                if wants_stories
                else frozenset(set(Kind) - {Kind.BEHAVIORAL})
            )
        chosen = await self.learning.next_question(
            session,
            asker.user_id,
            filters.topic,
            Difficulty(filters.difficulty) if filters.difficulty else None,
            Kind(filters.kind) if filters.kind else None,
            kinds=kinds,
            competency=filters.competency,
            extra=await self.custom.active(session, asker.guild_id),
            rng=rng,
        )
        return await self._store(
            session, asker, chosen.question, reason=chosen.reason, source=source, filters=filters
        )

    async def serve_question(
        self,
        session: Session,
        asker: Asker,
        question_id: str,
        *,
        source: QuestionSource | str,
        reason: ServedReason | str,
        mock_token: str | None = None,
    ) -> Served:
        """Serve one particular question (a due review, a mock's next step)."""
        question = await self.custom.get(session, question_id, asker.guild_id)
        if question is None or question.retired:
            raise UnknownQuestion()
        await self.register(session, asker)
        return await self._store(
            session,
            asker,
            question,
            reason=ServedReason(reason),
            source=QuestionSource(source),
            filters=Filters(),
            mock_token=mock_token,
        )

    async def load(self, session: Session, token: str, user_id: int) -> ServedQuestion:
        """The served row behind a token, if it belongs to this user and is still open."""
        row = await self.served_row(session, token, user_id)
        if row.answered_at is not None:
            raise AlreadyAnswered()
        return row

    async def question_of(self, session: Session, row: ServedQuestion) -> AnyQuestion:
        """The question a served row points at (the bank's, or the server's own)."""
        question = await self.custom.get(session, row.question_id, row.guild_id)
        if question is None:
            raise UnknownQuestion()
        return question

    async def answer(self, session: Session, token: str, user_id: int, response: str) -> Answered:
        """Record the answer to a served question once; a double click shows the first one."""
        row = await served.claim_answer(session, token=token, user_id=user_id, now=self.clock())
        if row is None:
            # A double click, or a retry after a timeout: show what was recorded the first time.
            earlier = await self.served_row(session, token, user_id)
            if earlier.answered_at is None:
                raise AlreadyAnswered()
            recorded = await self.learning.recorded(
                session, earlier.attempt_id, await self.question_of(session, earlier)
            )
            return Answered(recorded, _label(earlier))
        outcome = await self.learning.submit_answer(
            session,
            user_id,
            row.question_id,
            response,
            source=row.source,
            guild_id=row.guild_id,
            served_at=row.served_at,
            question=await self.question_of(session, row),
        )
        await served.set_attempt(session, token=token, attempt_id=outcome.attempt_id)
        return Answered(outcome, _label(row))

    async def rate(
        self, session: Session, token: str, user_id: int, attempt_id: int, recall: Recall
    ) -> RatedServed:
        """The learner's own rating of an answer to a question served to them."""
        row = await self.served_row(session, token, user_id)
        rated = await self.learning.rate_recall(session, user_id, attempt_id, recall)
        return RatedServed(rated.due, rated.set_credit, rated.points, _label(row))

    async def continue_from(self, session: Session, token: str, user_id: int) -> ServedQuestion:
        """Mark a served question as continued from, once: a double click on Next moves on once."""
        row = await self.served_row(session, token, user_id)
        if not await served.mark_continued(session, token=token, now=self.clock()):
            raise AlreadyMovedOn()
        return row

    def filters_of(self, row: ServedQuestion) -> Filters:
        """The filters a served question was chosen under."""
        return Filters(row.topic, row.difficulty, row.kind, row.competency)

    async def served_row(self, session: Session, token: str, user_id: int) -> ServedQuestion:
        """A served row the user owns, answered or not (for "Next question")."""
        row = await served.get_served(session, token=token)
        if row is None:
            raise UnknownButton()
        if row.user_id != user_id:
            raise NotYourQuestion()
        return row


def _label(row: ServedQuestion) -> str:
    return MOCK_LABEL if row.mock_token else NEXT_LABEL
