"""The learning use cases: choose the next question, take an answer, take a self-rating."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.bank.bank import Bank
from bot.clock import Clock
from bot.db import attempts, guilds, review_cards, scores, topic_stats
from bot.db import questions as question_rows
from bot.db.engine import Session
from bot.db.models import GLOBAL_SCOPE, Attempt
from bot.db.scores import Board
from bot.domain import mastery, review, scoring, selection
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
from bot.domain.sources import QuestionSource
from bot.domain.star import StarReport, grade_behavioral
from bot.services.recording import GradedAnswer, boards_for, record_answers
from bot.services.results import AnswerOutcome, ServedQuestion


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
            raise InvalidAnswer(f"Pick one of {', '.join(question.letters)}.")
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

    def __init__(self, bank: Bank, *, clock: Clock) -> None:
        self.bank = bank
        self.clock = clock

    async def next_question(
        self,
        session: Session,
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
        pool = self.bank.active(topic, difficulty, kind)
        pool_ids = self.bank.active_ids(topic, difficulty, kind)  # built once per filter
        if extra or kinds is not None or competency is not None:
            pool = [
                q
                for q in [*pool, *_matching(extra, topic, difficulty, kind)]
                if (kinds is None or Kind(q.kind) in kinds)
                and (competency is None or getattr(q, "competency", None) == competency)
            ]
            pool_ids = tuple(q.id for q in pool)
        if not pool:
            raise NoQuestionAvailable()
        now = self.clock()
        rng = rng or random.Random()
        # Ask the store only for what each step needs: a due review (a returning learner's
        # usual pick) needs neither the topic beliefs nor what was seen.
        recent = await attempts.recent_question_ids(
            session, user_id=user_id, limit=selection.RECENT_WINDOW
        )
        # Two, so the review just answered can be passed over for the next one.
        due = await review_cards.due_among(
            session, user_id=user_id, now=now, question_ids=pool_ids, limit=2
        )
        pick = selection.due_review(pool, due, recent)
        if pick is None:
            beliefs = await topic_stats.skills_of(session, user_id=user_id)
            skills = {t: mastery.decay(skill, last, now) for t, (skill, last) in beliefs.items()}
            practice = selection.practice_topic(pool, skills, recent, rng)
            # Only the chosen topic's candidates matter: a heavy user's other cards are never read.
            seen = await review_cards.seen_among(
                session, user_id=user_id, question_ids=(q.id for q in practice.questions)
            )
            pick = selection.practice_pick(practice, seen, rng)
        return ServedQuestion(pick.question, pick.reason, now)

    async def submit_answer(
        self,
        session: Session,
        user_id: int,
        question_id: str,
        response: str,
        *,
        source: QuestionSource | str = QuestionSource.QUIZ,
        guild_id: int | None = None,
        served_at: datetime | None = None,
        daily_challenge_id: int | None = None,
        question: AnyQuestion | None = None,
    ) -> AnswerOutcome:
        """Grade and record one answer; update points, mastery, review card and streak together."""
        answer = self.graded(
            user_id,
            question_id,
            response,
            source=source,
            guild_id=guild_id,
            served_at=served_at,
            daily_challenge_id=daily_challenge_id,
            question=question,
        )
        (outcome,) = await record_answers(session, [answer], self.clock())
        return outcome

    def graded(
        self,
        user_id: int,
        question_id: str,
        response: str,
        *,
        source: QuestionSource | str = QuestionSource.QUIZ,
        guild_id: int | None = None,
        served_at: datetime | None = None,
        daily_challenge_id: int | None = None,
        question: AnyQuestion | None = None,
    ) -> GradedAnswer:
        """Grade one answer (no store needed); InvalidAnswer when it cannot be read."""
        # A server's own question is resolved by the caller, which knows the server.
        question = (
            question
            if question is not None and question.id == question_id
            else self.bank.get(question_id)
        )
        if question is None:
            raise UnknownQuestion()
        graded = grade_response(question, response)
        return GradedAnswer(
            user_id=user_id,
            question=question,
            response=response,
            grade=graded.grade,
            star=graded.star,
            source=QuestionSource(source),  # a ValueError names an unknown source
            guild_id=guild_id,
            served_at=served_at,
            daily_challenge_id=daily_challenge_id,
        )

    async def record(
        self, session: Session, answers: Sequence[GradedAnswer]
    ) -> list[AnswerOutcome]:
        """Record graded answers together, in order (the caller's unit of work commits)."""
        return await record_answers(session, answers, self.clock())

    async def recorded(
        self, session: Session, attempt_id: int | None, question: AnyQuestion
    ) -> AnswerOutcome:
        """The outcome of an answer recorded earlier: its verdict and points as they were stored."""
        attempt = (
            await attempts.get_attempt(session, attempt_id=attempt_id)
            if attempt_id is not None
            else None
        )
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
        self, session: Session, user_id: int, attempt_id: int, recall: review.Recall
    ) -> Rated:
        """Replace the automatic rating of the latest review with the user's own.

        When the grader was unsure of the answer, the rating also decides its credit and points.
        """
        attempt = await attempts.get_attempt(session, attempt_id=attempt_id)
        if attempt is None or attempt.user_id != user_id:
            raise CannotRate("That answer isn't yours to rate.")
        row = await review_cards.get_card(session, user_id=user_id, question_id=attempt.question_id)
        if row is None or row.last_attempt_id != attempt_id or row.prev_state is None:
            raise CannotRate()
        before = review.CardState.from_dict(row.prev_state)
        after = review.review(before, recall, attempt.answered_at)
        review_cards.apply_card(row, after)
        await attempts.set_self_rating(session, attempt_id=attempt_id, rating=int(recall))
        points = attempt.points
        if attempt.grade_unsure:
            points = await self._rerate(session, attempt, recall)
        return Rated(after.due, attempt.grade_unsure, points)

    async def _rerate(self, session: Session, attempt: Attempt, recall: review.Recall) -> int:
        """Credit, verdict and points from the learner's own rating of an unsure grade.

        Returns the attempt's points after the change.
        """
        assert attempt.id is not None
        # The stored row knows difficulty and topic for the bank's and servers' own questions.
        question = await question_rows.get_row(session, question_id=attempt.question_id)
        credit = review.credit_from_recall(recall)
        correct = credit >= review.PASSING_CREDIT
        # Points follow the credit, except where the repeat cooldown (or the cap) gave none.
        delta = 0
        if attempt.points > 0 or attempt.credit == 0:
            wanted = scoring.score(
                Difficulty(question.difficulty if question else Difficulty.MEDIUM),
                credit,
                daily=attempt.source == QuestionSource.DAILY,
                last_answered_at=None,
                now=attempt.answered_at,
            ).total
            delta = wanted - attempt.points
        day: Board = (GLOBAL_SCOPE, Period.DAY, period_start(Period.DAY, attempt.answered_at))
        if delta > 0:
            earned = await scores.points_of(session, board=day, user_id=attempt.user_id)
            delta = min(delta, max(0, scoring.DAILY_CAP - earned))
        if delta or correct != attempt.correct:
            season = await guilds.season_start(session, guild_id=attempt.guild_id)
            boards = [day, *boards_for(attempt.guild_id, season, attempt.answered_at)]
            await scores.adjust_scores(
                session,
                boards=boards,
                user_id=attempt.user_id,
                points=delta,
                correct=int(correct) - int(attempt.correct),
            )
        if question is not None:
            await topic_stats.adjust_topic(
                session,
                user_id=attempt.user_id,
                topic=question.topic,
                correct=int(correct) - int(attempt.correct),
                credit=credit - attempt.credit,
            )
        return await attempts.regrade(
            session, attempt_id=attempt.id, extra_points=delta, credit=credit, correct=correct
        )
