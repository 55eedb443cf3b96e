"""Quiz sessions on Discord: serve a question to one user, and accept that user's answer once."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
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
from bot.services.recording import GradedAnswer
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
class AnswerRequest:
    """One answer as it arrived: the served question's token, who answered, what they said."""

    token: str
    user_id: int
    response: str


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

    async def question_of(
        self, session: Session, row: ServedQuestion | served.ServedRef
    ) -> AnyQuestion:
        """The question a served row points at (the bank's, or the server's own)."""
        question = await self.custom.get(session, row.question_id, row.guild_id)
        if question is None:
            raise UnknownQuestion()
        return question

    async def answer(self, session: Session, token: str, user_id: int, response: str) -> Answered:
        """Record the answer to a served question once; a double click shows the first one."""
        (result,) = await self.answer_many(session, [AnswerRequest(token, user_id, response)])
        if isinstance(result, GradientError):
            raise result
        return result

    async def answer_many(
        self, session: Session, requests: Sequence[AnswerRequest]
    ) -> list[Answered | GradientError]:
        """Record several answers in one unit of work; each gets its outcome or its refusal.

        A refusal (not yours, unreadable) spoils nothing for the others. A token answered
        before, or twice in this batch, shows what was recorded the first time.
        """
        now = self.clock()
        rows = await served.get_many(session, tokens=[r.token for r in requests])
        results: list[Answered | GradientError | None] = [None] * len(requests)
        fresh: dict[str, tuple[int, served.ServedRef, GradedAnswer]] = {}
        replays: list[int] = []
        for i, request in enumerate(requests):
            row = rows.get(request.token)
            if row is None:
                results[i] = UnknownButton()
            elif row.user_id != request.user_id:
                results[i] = NotYourQuestion()
            elif row.answered_at is not None or request.token in fresh:
                replays.append(i)
            else:
                try:
                    graded = self.learning.graded(
                        row.user_id,
                        row.question_id,
                        request.response,
                        source=row.source,
                        guild_id=row.guild_id,
                        served_at=row.served_at,
                        question=await self.question_of(session, row),
                    )
                except GradientError as refusal:
                    results[i] = refusal
                    continue
                fresh[request.token] = (i, row, graded)
        # The claim settles races with other processes: what another took is a replay here.
        claimed = await served.claim_many(session, tokens=list(fresh), now=now)
        replays += [i for token, (i, _, _) in fresh.items() if token not in claimed]
        taken = [entry for token, entry in fresh.items() if token in claimed]
        outcomes = await self.learning.record(session, [graded for _, _, graded in taken])
        await served.set_attempts(
            session,
            attempt_ids={
                row.token: outcome.attempt_id
                for (_, row, _), outcome in zip(taken, outcomes, strict=True)
            },
        )
        for (i, row, _), outcome in zip(taken, outcomes, strict=True):
            results[i] = Answered(outcome, _label(row))
        for i in replays:
            results[i] = await self._replay(session, requests[i])
        return [r for r in results if r is not None]

    async def _replay(self, session: Session, request: AnswerRequest) -> Answered | GradientError:
        """What was recorded for a token answered before (a double click, a retry)."""
        earlier = await served.get_served(session, token=request.token, fresh=True)
        if earlier is None or earlier.answered_at is None:
            return AlreadyAnswered()
        try:
            recorded = await self.learning.recorded(
                session, earlier.attempt_id, await self.question_of(session, earlier)
            )
        except GradientError as refusal:
            return refusal
        return Answered(recorded, _label(earlier))

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


def _label(row: ServedQuestion | served.ServedRef) -> str:
    return MOCK_LABEL if row.mock_token else NEXT_LABEL
