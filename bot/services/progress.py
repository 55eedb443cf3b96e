"""Read-side use cases: a learner's profile, weak topics and due reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.bank.bank import Bank
from bot.clock import Clock
from bot.db import attempts, guilds, review_cards, scores, streaks, topic_stats
from bot.db.engine import Session
from bot.db.models import GLOBAL_SCOPE, TopicStat
from bot.domain import mastery
from bot.domain.daily import local_date
from bot.domain.periods import Period, period_start
from bot.domain.streaks import StreakState, shown
from bot.services.custom import CustomQuestionService


@dataclass(frozen=True)
class TopicMastery:
    """One topic's estimate, ready to show."""

    topic: str
    name: str
    attempts: int
    accuracy: float
    level: float
    confidence: float
    confidence_label: str


@dataclass(frozen=True)
class Profile:
    """Totals, streaks and per-topic mastery."""

    user_id: int
    answers: int
    correct: int
    points: int
    current_streak: int
    best_streak: int
    due_reviews: int
    topics: tuple[TopicMastery, ...]

    @property
    def accuracy(self) -> float:
        """Share of answers graded correct."""
        return self.correct / self.answers if self.answers else 0.0


@dataclass(frozen=True)
class WeakTopics:
    """The weakest topics, and how many topics still lack evidence."""

    weakest: tuple[TopicMastery, ...]
    thin: tuple[str, ...]  # topics answered, but not enough to judge


@dataclass(frozen=True)
class DayActivity:
    """Answers on one UTC day."""

    day: date
    answers: int
    correct: int


@dataclass(frozen=True)
class DueReviews:
    """Reviews due now, and when the next one falls due otherwise."""

    question_ids: tuple[str, ...]
    total_due: int
    next_due: datetime | None


class ProgressService:
    """Reads progress; never writes."""

    def __init__(self, bank: Bank, *, custom: CustomQuestionService, clock: Clock) -> None:
        self.bank = bank
        self.clock = clock
        self.custom = custom

    def _mastery(self, topic: str, row: TopicStat, now: datetime) -> TopicMastery:
        skill = mastery.decay(topic_stats.skill_of(row), row.last_answered_at, now)
        info = self.bank.topics.get(topic)
        return TopicMastery(
            topic=topic,
            name=info.name if info else topic,
            attempts=row.attempts,
            accuracy=row.correct / row.attempts if row.attempts else 0.0,
            level=skill.level,
            confidence=skill.confidence,
            confidence_label=mastery.confidence_label(skill),
        )

    async def profile(self, session: Session, user_id: int, guild_id: int | None = None) -> Profile:
        """Totals, accuracy, streaks (this guild's, or the best anywhere) and per-topic mastery."""
        now = self.clock()
        rows = await topic_stats.topic_rows(session, user_id=user_id)
        order = {slug: i for i, slug in enumerate(self.bank.topics)}
        topics = sorted(rows, key=lambda t: (order.get(t, len(order)), t))
        all_time = (GLOBAL_SCOPE, Period.ALL, period_start(Period.ALL, now))
        points = await scores.points_of(session, board=all_time, user_id=user_id)
        current = best = 0
        for row in await streaks.all_streaks(session, user_id=user_id):
            if guild_id is not None and row.guild_id != guild_id:
                continue
            zone = await guilds.timezone_of(session, guild_id=row.guild_id)
            state = shown(StreakState(row.current, row.best, row.last_day), local_date(now, zone))
            current, best = max(current, state.current), max(best, state.best)
        return Profile(
            user_id=user_id,
            answers=sum(r.attempts for r in rows.values()),
            correct=sum(r.correct for r in rows.values()),
            points=points,
            current_streak=current,
            best_streak=best,
            due_reviews=await review_cards.due_count(session, user_id=user_id, now=now),
            topics=tuple(self._mastery(t, rows[t], now) for t in topics),
        )

    async def weak_topics(self, session: Session, user_id: int, limit: int = 3) -> WeakTopics:
        """The lowest estimates among topics with enough answers."""
        now = self.clock()
        rows = await topic_stats.topic_rows(session, user_id=user_id)
        skills = {
            t: mastery.decay(topic_stats.skill_of(r), r.last_answered_at, now)
            for t, r in rows.items()
        }
        weakest = mastery.weakest(skills, limit)
        thin = tuple(sorted(t for t, s in skills.items() if not s.enough_evidence))
        return WeakTopics(tuple(self._mastery(t, rows[t], now) for t, _ in weakest), thin)

    async def due_reviews(
        self, session: Session, user_id: int, limit: int = 10, guild_id: int | None = None
    ) -> DueReviews:
        """Due question ids still servable here (bank, or this server's own), most overdue first."""
        now = self.clock()
        cards = await review_cards.due_cards(session, user_id=user_id, now=now, limit=limit * 3)
        ids = []
        for card in cards:
            question = await self.custom.get(session, card.question_id, guild_id)
            if question is not None and not question.retired:
                ids.append(card.question_id)
        return DueReviews(
            tuple(ids[:limit]),
            await review_cards.due_count(session, user_id=user_id, now=now),
            await review_cards.next_due(session, user_id=user_id),
        )

    async def activity(self, session: Session, user_id: int, days: int = 14) -> list[DayActivity]:
        """Answers per UTC day over the last `days` days, oldest first, empty days included."""
        today = self.clock().astimezone(UTC).date()
        first = today - timedelta(days=days - 1)
        since = datetime.combine(first, time.min, tzinfo=UTC)
        rows = await attempts.answered_since(session, user_id=user_id, since=since)
        counts: dict[date, list[int]] = {first + timedelta(days=i): [0, 0] for i in range(days)}
        for answered_at, correct in rows:
            bucket = counts.get(answered_at.astimezone(UTC).date())
            if bucket is not None:
                bucket[0] += 1
                bucket[1] += int(correct)
        return [DayActivity(day, n, c) for day, (n, c) in counts.items()]
