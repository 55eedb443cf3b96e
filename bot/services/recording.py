"""Recording graded answers: every answer in a batch costs the batch a few set-based statements.

A batch is the answers that arrived while the previous one was committing (see
bot/db/group_commit.py). Its rows are read once, the answers are applied in order in memory (a
user's second answer in a batch builds on the first), and each table is written once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.db import attempts, guilds, review_cards, scores, streaks, topic_stats
from bot.db.engine import Session
from bot.db.models import GLOBAL_SCOPE
from bot.db.scores import Board, Tally
from bot.domain import mastery, review, scoring
from bot.domain.daily import local_date
from bot.domain.grades import Grade
from bot.domain.periods import Period, period_start
from bot.domain.questions import AnyQuestion, Difficulty
from bot.domain.sources import QuestionSource
from bot.domain.star import StarReport
from bot.domain.streaks import advance
from bot.domain.text import storable
from bot.services.results import AnswerOutcome


@dataclass(frozen=True)
class GradedAnswer:
    """An answer already graded, with who gave it and where, ready to record."""

    user_id: int
    question: AnyQuestion
    response: str
    grade: Grade
    star: StarReport | None = None
    source: QuestionSource = QuestionSource.QUIZ
    guild_id: int | None = None
    served_at: datetime | None = None
    daily_challenge_id: int | None = None


def boards_for(guild_id: int | None, season: date | None, now: datetime) -> list[Board]:
    """The (scope, period, start) of every board an answer at `now` counts on, but the day."""
    scopes = [GLOBAL_SCOPE] + ([guild_id] if guild_id is not None else [])
    boards: list[Board] = [
        (scope, period, period_start(period, now))
        for scope in scopes
        for period in (Period.WEEK, Period.MONTH, Period.ALL)
    ]
    if guild_id is not None and season is not None:
        boards.append((guild_id, Period.SEASON, season))
    return boards


@dataclass
class _Card:
    state: review.CardState
    before: review.CardState | None = None
    reps: int = 0
    lapses: int = 0
    attempt_id: int = 0


@dataclass
class _Topic:
    skill: mastery.Skill
    last: datetime | None
    attempts: int = 0
    correct: int = 0
    credit: float = 0.0


@dataclass
class _Batch:
    """The rows a batch reads, then changes in memory."""

    cards: dict[tuple[int, str], _Card] = field(default_factory=dict)
    last_review: dict[tuple[int, str], datetime | None] = field(default_factory=dict)
    topics: dict[tuple[int, str], _Topic] = field(default_factory=dict)
    seasons: dict[int, date] = field(default_factory=dict)


async def _read(session: Session, answers: Sequence[GradedAnswer]) -> _Batch:
    batch = _Batch()
    keys = [(a.user_id, a.question.id) for a in answers]
    for key, state in (await review_cards.card_states(session, keys=keys)).items():
        batch.cards[key] = _Card(state)
        batch.last_review[key] = state.last_review
    topics = [(a.user_id, a.question.topic) for a in answers]
    for key, (skill, last) in (await topic_stats.skills_among(session, keys=topics)).items():
        batch.topics[key] = _Topic(skill, last)
    guild_ids = sorted({a.guild_id for a in answers if a.guild_id is not None})
    batch.seasons = await guilds.season_starts(session, guild_ids=guild_ids)
    return batch


def _learn(batch: _Batch, answer: GradedAnswer, now: datetime) -> None:
    key = (answer.user_id, answer.question.topic)
    topic = batch.topics.get(key) or _Topic(mastery.Skill(), None)
    before = mastery.decay(topic.skill, topic.last, now)
    topic.skill = mastery.update(
        before, Difficulty(answer.question.difficulty), answer.grade.credit
    )
    topic.last = now
    topic.attempts += 1
    topic.correct += int(answer.grade.correct)
    topic.credit += answer.grade.credit
    batch.topics[key] = topic


def _review(batch: _Batch, answer: GradedAnswer, attempt_id: int, now: datetime) -> None:
    key = (answer.user_id, answer.question.id)
    card = batch.cards.get(key) or _Card(review.new_card(answer.user_id, answer.question.id, now))
    before = card.state
    card.state = review.review(before, review.recall_from_credit(answer.grade.credit), now)
    card.before, card.attempt_id = before, attempt_id
    card.reps += 1
    # A lapse is forgetting a card that had graduated to review.
    card.lapses += int(not answer.grade.correct and before.state == review.REVIEW_STATE)
    batch.cards[key] = card


async def _store_attempts(
    session: Session, answers: Sequence[GradedAnswer], granted: Sequence[int], now: datetime
) -> list[int]:
    rows = [
        attempts.NewAttempt(
            user_id=a.user_id,
            guild_id=a.guild_id,
            question_id=a.question.id,
            source=a.source,
            answer=storable(a.response),
            grade=a.grade,
            served_at=a.served_at,
            now=now,
            daily_challenge_id=a.daily_challenge_id,
            points=g,
        )
        for a, g in zip(answers, granted, strict=True)
    ]
    return await attempts.add_attempts(session, rows=rows)


async def _grant(
    session: Session, answers: Sequence[GradedAnswer], wanted: Sequence[int], now: datetime
) -> list[int]:
    """Points granted under the daily cap, settled on the day row with one atomic upsert."""
    day: Board = (GLOBAL_SCOPE, Period.DAY, period_start(Period.DAY, now))
    asked: dict[int, Tally] = {}
    for a, w in zip(answers, wanted, strict=True):
        t = asked.get(a.user_id, Tally(0, 0, 0))
        asked[a.user_id] = Tally(t.points + w, t.answers + 1, t.correct + int(a.grade.correct))
    totals = await scores.add_tallies_returning(session, board=day, tallies=asked)
    # Each user's points before this batch, then the cap applied answer by answer in order.
    earned = {user: totals[user] - tally.points for user, tally in asked.items()}
    granted: list[int] = []
    for a, w in zip(answers, wanted, strict=True):
        g = scoring.capped(w, earned[a.user_id] + w)
        earned[a.user_id] += g
        granted.append(g)
    for user, tally in asked.items():
        over = tally.points - sum(
            g for a, g in zip(answers, granted, strict=True) if a.user_id == user
        )
        if over:
            await scores.take_back_points(session, board=day, user_id=user, points=over)
    return granted


async def record_answers(
    session: Session, answers: Sequence[GradedAnswer], now: datetime
) -> list[AnswerOutcome]:
    """Record graded answers: attempts, points on every board, mastery, review cards, streaks."""
    if not answers:
        return []
    batch = await _read(session, answers)
    breakdowns = []
    for a in answers:
        breakdowns.append(
            scoring.score(
                Difficulty(a.question.difficulty),
                a.grade.credit,
                daily=a.source is QuestionSource.DAILY,
                last_answered_at=batch.last_review.get((a.user_id, a.question.id)),
                now=now,
            )
        )
        # A second answer to the same question in this batch is on its repeat cooldown.
        batch.last_review[(a.user_id, a.question.id)] = now
    granted = await _grant(session, answers, [p.total for p in breakdowns], now)
    # Points are settled before the attempts are stored, so each row is written once.
    attempt_ids = await _store_attempts(session, answers, granted, now)
    tallies: dict[tuple[Board, int], Tally] = defaultdict(lambda: Tally(0, 0, 0))
    for a, g, attempt_id in zip(answers, granted, attempt_ids, strict=True):
        season = batch.seasons.get(a.guild_id) if a.guild_id is not None else None
        for board in boards_for(a.guild_id, season, now):
            t = tallies[(board, a.user_id)]
            tallies[(board, a.user_id)] = Tally(
                t.points + g, t.answers + 1, t.correct + int(a.grade.correct)
            )
        _learn(batch, a, now)
        _review(batch, a, attempt_id, now)
    await scores.add_tallies(session, tallies=dict(tallies))
    await topic_stats.save_skills(
        session,
        tallies=[
            topic_stats.TopicTally(u, t, s.attempts, s.correct, s.credit, s.skill, now)
            for (u, t), s in batch.topics.items()
            if s.attempts
        ],
    )
    await review_cards.save_reviews(
        session,
        reviews=[
            review_cards.Reviewed(u, q, c.state, c.reps, c.lapses, c.attempt_id, c.before)
            for (u, q), c in batch.cards.items()
            if c.before is not None
        ],
    )
    await _advance_streaks(session, answers, now)
    return [
        AnswerOutcome(i, a.question, a.grade, g, p, a.star)
        for a, i, g, p in zip(answers, attempt_ids, granted, breakdowns, strict=True)
    ]


async def _advance_streaks(
    session: Session, answers: Sequence[GradedAnswer], now: datetime
) -> None:
    """A daily answer extends the member's streak in that server (local days count)."""
    keys = [
        (a.user_id, a.guild_id)
        for a in answers
        if a.source is QuestionSource.DAILY and a.guild_id is not None
    ]
    if not keys:
        return
    zones = await guilds.timezones_of(session, guild_ids=[g for _, g in keys])
    states = await streaks.get_streaks(session, keys=keys)
    for user_id, guild_id in keys:
        states[(user_id, guild_id)] = advance(
            states[(user_id, guild_id)], local_date(now, zones[guild_id])
        )
    await streaks.save_streaks(session, states=states)
