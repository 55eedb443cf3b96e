"""Quiz sessions on Discord: serve a question to one user, and accept that user's answer once."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.bank.bank import Bank
from bot.db.models import ServedQuestion
from bot.db.types import utcnow
from bot.db.users import ensure_guild, ensure_user
from bot.domain.errors import AlreadyAnswered, GradientError, UnknownQuestion
from bot.domain.questions import AnyQuestion, Difficulty, Kind
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
    reason: str
    source: str
    filters: Filters
    mock_token: str | None = None


def new_token() -> str:
    """A random token for a served question or mock session."""
    return secrets.token_urlsafe(TOKEN_BYTES)


class QuizService:
    """Serves questions as tokens and takes each token's answer exactly once."""

    def __init__(
        self,
        bank: Bank,
        learning: LearningService,
        clock: Callable[[], datetime] = utcnow,
        *,
        custom: CustomQuestionService | None = None,
    ) -> None:
        self.bank = bank
        self.learning = learning
        self.clock = clock
        self.custom = custom or CustomQuestionService(bank)

    async def register(self, session: AsyncSession, asker: Asker) -> None:
        """Create or refresh the user (and guild) rows before anything points at them."""
        now = self.clock()
        await ensure_user(session, asker.user_id, asker.user_name, now)
        if asker.guild_id is not None:
            await ensure_guild(session, asker.guild_id, asker.guild_name, now)

    async def _store(
        self,
        session: AsyncSession,
        asker: Asker,
        question: AnyQuestion,
        *,
        reason: str,
        source: str,
        filters: Filters,
        mock_token: str | None = None,
    ) -> Served:
        token = new_token()
        session.add(
            ServedQuestion(
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
                served_at=self.clock(),
            )
        )
        await session.flush()
        return Served(token, question, reason, source, filters, mock_token)

    async def serve(
        self,
        session: AsyncSession,
        asker: Asker,
        filters: Filters,
        *,
        source: str = "quiz",
        rng: random.Random | None = None,
    ) -> Served:
        """Choose the next question adaptively within the filters and serve it."""
        await self.register(session, asker)
        kinds = None
        if filters.kind is None:
            # Behavioral prompts need a story, so they come only when asked for.
            wants_stories = source == "behavioral" or filters.topic == "behavioral"
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
        session: AsyncSession,
        asker: Asker,
        question_id: str,
        *,
        source: str,
        reason: str,
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
            reason=reason,
            source=source,
            filters=Filters(),
            mock_token=mock_token,
        )

    async def load(self, session: AsyncSession, token: str, user_id: int) -> ServedQuestion:
        """The served row behind a token, if it belongs to this user and is still open."""
        row = await session.get(ServedQuestion, token)
        if row is None:
            raise UnknownButton()
        if row.user_id != user_id:
            raise NotYourQuestion()
        if row.answered_at is not None:
            raise AlreadyAnswered()
        return row

    async def question_of(self, session: AsyncSession, row: ServedQuestion) -> AnyQuestion:
        """The question a served row points at (the bank's, or the server's own)."""
        question = await self.custom.get(session, row.question_id, row.guild_id)
        if question is None:
            raise UnknownQuestion()
        return question

    async def answer(
        self, session: AsyncSession, token: str, user_id: int, response: str
    ) -> AnswerOutcome:
        """Record the answer to a served question once; a double click or replay is refused."""
        now = self.clock()
        claimed = await session.execute(
            update(ServedQuestion)
            .where(
                col(ServedQuestion.token) == token,
                col(ServedQuestion.user_id) == user_id,
                col(ServedQuestion.answered_at).is_(None),
            )
            .values(answered_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            # A double click, or a retry after a timeout: show what was recorded the first time.
            earlier = await self.served_row(session, token, user_id)
            if earlier.answered_at is None:
                raise AlreadyAnswered()
            return await self.learning.recorded(
                session, earlier.attempt_id, await self.question_of(session, earlier)
            )
        row = await session.get(ServedQuestion, token)
        assert row is not None
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
        row.attempt_id = outcome.attempt_id
        return outcome

    async def continue_from(
        self, session: AsyncSession, token: str, user_id: int
    ) -> ServedQuestion:
        """Mark a served question as continued from, once: a double click on Next moves on once."""
        row = await self.served_row(session, token, user_id)
        moved = await session.execute(
            update(ServedQuestion)
            .where(col(ServedQuestion.token) == token, col(ServedQuestion.continued_at).is_(None))
            .values(continued_at=self.clock())
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise AlreadyMovedOn()
        return row

    def filters_of(self, row: ServedQuestion) -> Filters:
        """The filters a served question was chosen under."""
        return Filters(row.topic, row.difficulty, row.kind, row.competency)

    async def served_row(self, session: AsyncSession, token: str, user_id: int) -> ServedQuestion:
        """A served row the user owns, answered or not (for "Next question")."""
        row = await session.get(ServedQuestion, token)
        if row is None:
            raise UnknownButton()
        if row.user_id != user_id:
            raise NotYourQuestion()
        return row
