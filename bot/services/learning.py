"""The learning use cases: choose the next question, take an answer, take a self-rating."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bank.bank import Bank
from bot.db import progress
from bot.db.models import GLOBAL_SCOPE, Attempt, ReviewCard
from bot.db.types import utcnow
from bot.domain import mastery, review, scoring, selection, streaks
from bot.domain.errors import (
    AlreadyAnswered,
    GradientError,
    InvalidAnswer,
    NoQuestionAvailable,
    UnknownQuestion,
)
from bot.domain.grading import Grade, grade_mcq, grade_open, grade_short, parse_choice
from bot.domain.periods import Period, period_start
from bot.domain.questions import (
    AnyQuestion,
    BehavioralQuestion,
    Difficulty,
    Kind,
    McqQuestion,
    OpenQuestion,
    ShortQuestion,
)
from bot.domain.star import StarReport, grade_behavioral
from bot.services.results import AnswerOutcome, ServedQuestion

Clock = Callable[[], datetime]
SOURCES = frozenset({"quiz", "daily", "review", "practice", "mock", "behavioral"})


class CannotRate(GradientError):
    """The attempt is not the latest review of its card, or is not the caller's."""

    user_message = "That rating can't be applied any more: you've answered this question since."


@dataclass(frozen=True)
class Rated:
    """A self-rating taken: when the question comes back, and whether it set the credit."""

    due: datetime
    set_credit: bool
    points: int


@dataclass(frozen=True)
class Graded:
    """A grade, plus the STAR report for behavioral answers."""

    grade: Grade
    star: StarReport | None = None


def grade_response(question: AnyQuestion, response: str) -> Graded:
    """Grade a response of whatever kind the question is."""
    if isinstance(question, McqQuestion):
        choice = parse_choice(response, len(question.choices))
        if choice is None:
            letters = "".join(chr(65 + i) for i in range(len(question.choices)))
            raise InvalidAnswer(f"Pick one of {', '.join(letters)}.")
        return Graded(grade_mcq(question, choice))
    if isinstance(question, ShortQuestion):
        return Graded(grade_short(question, response))
    if isinstance(question, OpenQuestion):
        return Graded(grade_open(question, response))
    assert isinstance(question, BehavioralQuestion)
    grade, report = grade_behavioral(question, response)
    return Graded(grade, report)


def _matching(
    questions: Sequence[AnyQuestion],
    topic: str | None,
    difficulty: Difficulty | None,
    kind: Kind | None,
) -> list[AnyQuestion]:
    return [
        q
        for q in questions
        if not q.retired
        and (topic is None or q.topic == topic)
        and (difficulty is None or q.difficulty == difficulty)
        and (kind is None or q.kind == kind)
    ]


class LearningService:
    """Serves questions and records answers; the caller's unit of work commits."""

    def __init__(self, bank: Bank, clock: Clock = utcnow) -> None:
        self.bank = bank
        self.clock = clock

    async def next_question(
        self,
        session: AsyncSession,
        user_id: int,
        topic: str | None = None,
        difficulty: Difficulty | None = None,
        kind: Kind | None = None,
        *,
        kinds: frozenset[Kind] | None = None,
        competency: str | None = None,
        extra: Sequence[AnyQuestion] = (),
        rng: random.Random | None = None,
    ) -> ServedQuestion:
        """Due reviews first, then the weakest topic at the learner's level, then new questions."""
        pool = [
            q
            for q in [
                *self.bank.active(topic, difficulty, kind),
                *_matching(extra, topic, difficulty, kind),
            ]
            if (kinds is None or Kind(q.kind) in kinds)
            and (competency is None or getattr(q, "competency", None) == competency)
        ]
        if not pool:
            raise NoQuestionAvailable()
        now = self.clock()
        pool_ids = {q.id for q in pool}
        due = await progress.due_cards(session, user_id, now, limit=200)
        rows = await progress.topic_rows(session, user_id)
        learner = selection.LearnerView(
            skills={
                t: mastery.decay(progress.skill_of(r), r.last_answered_at, now)
                for t, r in rows.items()
            },
            due=[c.question_id for c in due if c.question_id in pool_ids],
            recent=await progress.recent_question_ids(session, user_id, selection.RECENT_WINDOW),
            seen=await progress.seen_question_ids(session, user_id),
        )
        pick = selection.choose(pool, learner, rng or random.Random())
        assert pick is not None
        return ServedQuestion(pick.question, pick.reason, now)

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
        daily_challenge_id: int | None = None,
        question: AnyQuestion | None = None,
    ) -> AnswerOutcome:
        """Grade and record one answer; update points, mastery, review card and streak together."""
        # A server's own question is resolved by the caller, which knows the server.
        question = (
            question
            if question is not None and question.id == question_id
            else self.bank.get(question_id)
        )
        if question is None:
            raise UnknownQuestion()
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        graded = grade_response(question, response)
        grade, now = graded.grade, self.clock()
        card_row = await progress.get_card(session, user_id, question.id)
        points = scoring.score(
            Difficulty(question.difficulty),
            grade.credit,
            daily=source == "daily",
            last_answered_at=card_row.last_review if card_row else None,
            now=now,
        )
        attempt = Attempt(
            user_id=user_id,
            guild_id=guild_id,
            question_id=question.id,
            source=source,
            daily_challenge_id=daily_challenge_id,
            answer=response[:4000],
            correct=grade.correct,
            credit=grade.credit,
            grade_unsure=grade.unsure,
            points=0,
            served_at=served_at,
            answered_at=now,
            response_ms=int((now - served_at).total_seconds() * 1000) if served_at else None,
        )
        if daily_challenge_id is None:
            session.add(attempt)
            await session.flush()  # the attempt id
        else:
            # The unique (challenge, user) answer is settled here; a savepoint keeps the unit of
            # work usable, so the caller can show what was recorded the first time.
            try:
                async with session.begin_nested():
                    session.add(attempt)
            except IntegrityError as exc:
                raise AlreadyAnswered() from exc
        assert attempt.id is not None
        attempt.points = await self._award(
            session, user_id, guild_id, points.total, grade.correct, now
        )
        await self._learn(session, user_id, question, grade, now)
        await self._review(session, user_id, question.id, card_row, grade, attempt.id, now)
        if source == "daily" and guild_id is not None:
            zone = await progress.guild_timezone(session, guild_id)
            state = await progress.get_streak(session, user_id, guild_id)
            await progress.save_streak(
                session, user_id, guild_id, streaks.advance(state, streaks.local_day(now, zone))
            )
        return AnswerOutcome(attempt.id, question, grade, attempt.points, points, graded.star)

    async def _award(
        self,
        session: AsyncSession,
        user_id: int,
        guild_id: int | None,
        wanted: int,
        correct: bool,
        now: datetime,
    ) -> int:
        # The day row is updated first and read back atomically, so the cap holds under races.
        day = period_start(Period.DAY, now)
        today = await progress.add_score(
            session, GLOBAL_SCOPE, Period.DAY, day, user_id, wanted, correct
        )
        granted = scoring.capped(wanted, today)
        if granted < wanted:
            await progress.take_back_points(
                session, GLOBAL_SCOPE, Period.DAY, day, user_id, wanted - granted
            )
        # One statement for every board: round trips, not rows, are what an answer costs.
        rows = await self._boards(session, guild_id, now)
        await progress.add_scores(session, rows, user_id, granted, correct)
        return granted

    async def _boards(
        self, session: AsyncSession, guild_id: int | None, now: datetime
    ) -> list[tuple[int, str, date]]:
        """The (scope, period, start) of every leaderboard an answer at `now` counts on."""
        scopes = [GLOBAL_SCOPE] + ([guild_id] if guild_id is not None else [])
        rows: list[tuple[int, str, date]] = [
            (scope, period, period_start(period, now))
            for scope in scopes
            for period in (Period.WEEK, Period.MONTH, Period.ALL)
        ]
        season = await progress.season_start(session, guild_id)
        if guild_id is not None and season is not None:
            rows.append((guild_id, Period.SEASON, season))
        return rows

    async def _learn(
        self,
        session: AsyncSession,
        user_id: int,
        question: AnyQuestion,
        grade: Grade,
        now: datetime,
    ) -> None:
        row = await progress.topic_row(session, user_id, question.topic)
        before = (
            mastery.decay(progress.skill_of(row), row.last_answered_at, now)
            if row
            else mastery.Skill()
        )
        after = mastery.update(before, Difficulty(question.difficulty), grade.credit)
        await progress.save_skill(
            session, user_id, question.topic, after, grade.correct, grade.credit, now
        )

    async def _review(
        self,
        session: AsyncSession,
        user_id: int,
        question_id: str,
        row: ReviewCard | None,
        grade: Grade,
        attempt_id: int,
        now: datetime,
    ) -> None:
        before = progress.card_state(row) if row else review.new_card(user_id, question_id, now)
        after = review.review(before, review.recall_from_credit(grade.credit), now)
        if row is None:
            row = ReviewCard(
                user_id=user_id,
                question_id=question_id,
                card_id=after.card_id,
                state=after.state,
                due=after.due,
            )
            session.add(row)
        progress.apply_card(row, after)
        row.reps += 1
        # A lapse is forgetting a card that had graduated to review.
        row.lapses += int(not grade.correct and before.state == review.REVIEW_STATE)
        row.last_attempt_id = attempt_id
        row.prev_state = before.as_dict()

    async def recorded(
        self, session: AsyncSession, attempt_id: int | None, question: AnyQuestion
    ) -> AnswerOutcome:
        """The outcome of an answer recorded earlier: its verdict and points as they were stored."""
        attempt = await session.get(Attempt, attempt_id) if attempt_id is not None else None
        if attempt is None:
            raise AlreadyAnswered()
        # Grading is deterministic, so the stored answer gives back the feedback; the verdict
        # and the points are the ones recorded, even if the grader has changed since.
        try:
            graded = grade_response(question, attempt.answer)
        except InvalidAnswer:
            graded = Graded(Grade(attempt.correct, attempt.credit, "", ""))
        grade = dataclasses.replace(graded.grade, correct=attempt.correct, credit=attempt.credit)
        breakdown = scoring.Points(base=attempt.points, bonus=0, on_cooldown=False)
        return AnswerOutcome(
            attempt.id or 0, question, grade, attempt.points, breakdown, graded.star, replayed=True
        )

    async def rate_recall(
        self, session: AsyncSession, user_id: int, attempt_id: int, recall: review.Recall
    ) -> Rated:
        """Replace the automatic rating of the latest review with the user's own.

        When the grader was unsure of the answer, the rating also decides its credit and points.
        """
        attempt = await session.get(Attempt, attempt_id)
        if attempt is None or attempt.user_id != user_id:
            raise CannotRate("That answer isn't yours to rate.")
        row = await progress.get_card(session, user_id, attempt.question_id)
        if row is None or row.last_attempt_id != attempt_id or row.prev_state is None:
            raise CannotRate()
        before = review.CardState.from_dict(row.prev_state)
        after = review.review(before, recall, attempt.answered_at)
        progress.apply_card(row, after)
        attempt.self_rating = int(recall)
        if attempt.grade_unsure:
            await self._rerate(session, attempt, recall)
        return Rated(after.due, attempt.grade_unsure, attempt.points)

    async def _rerate(self, session: AsyncSession, attempt: Attempt, recall: review.Recall) -> None:
        """Credit, verdict and points from the learner's own rating of an unsure grade."""
        question = self.bank.get(attempt.question_id)
        credit = review.credit_from_recall(recall)
        correct = credit >= review.PASSING_CREDIT
        # Points follow the credit, except where the repeat cooldown (or the cap) gave none.
        delta = 0
        if attempt.points > 0 or attempt.credit == 0:
            wanted = scoring.score(
                Difficulty(question.difficulty if question else "medium"),
                credit,
                daily=attempt.source == "daily",
                last_answered_at=None,
                now=attempt.answered_at,
            ).total
            delta = wanted - attempt.points
        if delta > 0:
            day = period_start(Period.DAY, attempt.answered_at)
            earned = await progress.points_on(session, attempt.user_id, day)
            delta = min(delta, max(0, scoring.DAILY_CAP - earned))
        if delta or correct != attempt.correct:
            day_row = (GLOBAL_SCOPE, Period.DAY, period_start(Period.DAY, attempt.answered_at))
            rows = [day_row, *await self._boards(session, attempt.guild_id, attempt.answered_at)]
            await progress.adjust_scores(
                session, rows, attempt.user_id, delta, int(correct) - int(attempt.correct)
            )
        if question is not None:
            await progress.adjust_topic(
                session,
                attempt.user_id,
                question.topic,
                int(correct) - int(attempt.correct),
                credit - attempt.credit,
            )
        attempt.points += delta
        attempt.credit, attempt.correct = credit, correct
