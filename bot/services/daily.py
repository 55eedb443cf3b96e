"""Daily challenges: per-guild configuration, exactly-once claims, answers and reveals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.bank.bank import Bank
from bot.clock import Clock
from bot.db import attempts, daily_challenges, guilds, streaks
from bot.db.engine import Session
from bot.db.models import DailyChallenge, Guild
from bot.domain import daily
from bot.domain.daily import DailyStatus
from bot.domain.errors import ForgedButton, GradientError, NoQuestionAvailable
from bot.domain.questions import AnyQuestion, Kind
from bot.domain.streaks import StreakState
from bot.services.custom import CustomQuestionService
from bot.services.learning import LearningService
from bot.services.results import AnswerOutcome

# A claim not confirmed as sent within this time was lost (crash between claim and send): retake it.
CLAIM_LEASE = timedelta(minutes=2)
FIRST_CORRECT_SHOWN = 5


class DailyNotConfigured(GradientError):
    """The server has no daily challenge set up."""

    user_message = (
        "This server has no daily challenge yet. An admin can set one up with /gradient daily set."
    )


class NoChallengeToday(GradientError):
    """Nothing has been posted yet."""

    user_message = "Today's challenge hasn't been posted yet."


class ChallengeClosed(GradientError):
    """The challenge was revealed already."""

    user_message = "That challenge has closed: the answer is in the reveal. Try /daily for today's."


class NotThisServer(GradientError):
    """A daily challenge answered from another server, or from a DM."""

    user_message = (
        "That challenge belongs to another server, so nothing was recorded. "
        "Try /daily here for this server's challenge."
    )


@dataclass(frozen=True)
class DailyConfig:
    """A guild's daily settings."""

    guild_id: int
    enabled: bool
    channel_id: int | None
    at: time | None
    timezone: str
    topics: tuple[str, ...]
    difficulty: str | None
    problem: str | None


@dataclass(frozen=True)
class Claim:
    """A claimed post: the challenge row to send, and the previous one to reveal with it.

    `retaken` says the claim was taken over from a run that never confirmed its post: that run
    may have sent the message before it died, so the poster looks before sending again.
    """

    challenge: DailyChallenge
    question: AnyQuestion
    previous: DailyChallenge | None
    previous_question: AnyQuestion | None = None
    retaken: bool = False


@dataclass(frozen=True)
class ClaimAttempt:
    """What trying to claim today's post found: a claim, or when to look again (if ever)."""

    claim: Claim | None = None
    # Another run holds a live lease: if its post is not confirmed within this, retake it.
    retry_in: timedelta | None = None


@dataclass(frozen=True)
class RevealStats:
    """How a closed challenge went."""

    answered: int
    correct: int
    first_correct: tuple[str, ...]

    @property
    def percent_correct(self) -> float:
        """Share of answers that were correct."""
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class DailyAnswered:
    """A member's answer to a daily challenge, and their streak in that server after it."""

    outcome: AnswerOutcome
    streak: StreakState


@dataclass(frozen=True)
class Today:
    """Today's challenge as a member sees it."""

    challenge_id: int
    question: AnyQuestion
    closes_at: datetime
    streak: StreakState


def config_of(guild: Guild) -> DailyConfig:
    """A guild row's daily settings."""
    at = daily.parse_time(guild.daily_time) if guild.daily_time else None
    return DailyConfig(
        guild.id,
        guild.daily_enabled,
        guild.daily_channel_id,
        at,
        guild.timezone,
        tuple(guild.daily_topics or ()),
        guild.daily_difficulty,
        guild.daily_problem,
    )


class DailyService:
    """The daily challenge's rules over the store; never commits."""

    def __init__(
        self,
        bank: Bank,
        learning: LearningService,
        *,
        custom: CustomQuestionService,
        clock: Clock,
        lease: timedelta = CLAIM_LEASE,
    ) -> None:
        self.bank = bank
        self.learning = learning
        self.clock = clock
        self.custom = custom
        self.lease = lease

    def pool(
        self, topics: Sequence[str], difficulty: str | None, extra: Sequence[AnyQuestion] = ()
    ) -> list[str]:
        """Question ids a server's challenge may use: concept questions in its topics."""
        candidates = [*self.bank.active(), *extra]
        return [
            q.id
            for q in candidates
            if q.kind != Kind.BEHAVIORAL.value
            and not q.retired
            and (not topics or q.topic in topics)
            and (difficulty is None or q.difficulty == difficulty)
        ]

    async def configure(
        self,
        session: Session,
        guild_id: int,
        guild_name: str,
        *,
        channel_id: int,
        at: time,
        timezone: str,
        topics: Sequence[str],
        difficulty: str | None,
        include_custom: bool = False,
    ) -> datetime:
        """Enable or change the daily challenge; returns the next post time."""
        zone = daily.parse_zone(timezone)
        extra = await self.custom.active(session, guild_id) if include_custom else []
        if not self.pool(topics, difficulty, extra):
            raise NoQuestionAvailable("No questions match those topics and difficulty.")
        now = self.clock()
        await guilds.ensure_guild(session, guild_id=guild_id, name=guild_name, now=now)
        await guilds.enable_daily(
            session,
            guild_id=guild_id,
            channel_id=channel_id,
            at=at,
            timezone=zone.key,
            topics=topics,
            difficulty=difficulty,
            include_custom=include_custom,
            now=now,
        )
        return daily.next_post(now, at, zone)

    async def disable(self, session: Session, guild_id: int, problem: str | None = None) -> None:
        """Turn the daily challenge off, optionally recording why."""
        await guilds.disable_daily(session, guild_id=guild_id, problem=problem, now=self.clock())

    async def config(self, session: Session, guild_id: int) -> DailyConfig | None:
        """A guild's daily settings, if the guild is known."""
        guild = await guilds.get_guild(session, guild_id=guild_id)
        return config_of(guild) if guild else None

    async def enabled_configs(self, session: Session) -> list[DailyConfig]:
        """Every guild with the daily challenge on (the scheduler rebuilds its jobs from these)."""
        return [config_of(g) for g in await guilds.daily_enabled(session)]

    async def latest(self, session: Session, guild_id: int) -> DailyChallenge | None:
        """The guild's most recent challenge row."""
        return await daily_challenges.latest(session, guild_id=guild_id)

    async def claim(self, session: Session, guild_id: int, *, force: bool = False) -> ClaimAttempt:
        """Claim today's post (unique per guild and local date), or say when to look again.

        A claim that was never confirmed as sent expires after the lease and can be retaken, so
        a crash between claiming and sending loses nothing; the retaker checks the channel for a
        post the crashed run may have sent, so nothing is posted twice either.
        """
        now = self.clock()
        guild = await guilds.get_guild(session, guild_id=guild_id)
        if (
            guild is None
            or not guild.daily_enabled
            or guild.daily_channel_id is None
            or not guild.daily_time
        ):
            return ClaimAttempt()
        cfg = config_of(guild)
        assert cfg.at is not None
        assert cfg.channel_id is not None
        zone = daily.parse_zone(cfg.timezone)
        today = daily.local_date(now, zone)
        if not force and daily.due_today(now, cfg.at, zone) != today:
            return ClaimAttempt()
        used = await daily_challenges.used_question_ids(session, guild_id=guild_id)
        extra = await self.custom.active(session, guild_id) if guild.daily_custom else []
        question_id = daily.choose_question(
            self.pool(cfg.topics, cfg.difficulty, extra), guild_id, today, used
        )
        if question_id is None:
            raise NoQuestionAvailable()
        challenge = await daily_challenges.claim(
            session,
            guild_id=guild_id,
            day=today,
            question_id=question_id,
            channel_id=cfg.channel_id,
            now=now,
            closes_at=daily.next_post(now, cfg.at, zone),
        )
        retaken = False
        if challenge is None:
            challenge = await daily_challenges.retake(
                session, guild_id=guild_id, day=today, claimed_before=now - self.lease, now=now
            )
            if challenge is None:
                return await self._held(session, guild_id, today, now)
            retaken = True
        previous = await daily_challenges.last_posted_before(session, guild_id=guild_id, day=today)
        question = await self.custom.get(session, challenge.question_id, guild_id)
        if question is None:
            raise NoQuestionAvailable()
        before = (
            await self.custom.get(session, previous.question_id, guild_id) if previous else None
        )
        return ClaimAttempt(Claim(challenge, question, previous, before, retaken))

    async def _held(
        self, session: Session, guild_id: int, today: date, now: datetime
    ) -> ClaimAttempt:
        """Today's post is another run's: done, or in flight until its lease runs out."""
        row = await daily_challenges.on_day(session, guild_id=guild_id, day=today)
        if row is None or row.status != DailyStatus.CLAIMED:
            return ClaimAttempt()
        return ClaimAttempt(retry_in=max(row.claimed_at + self.lease - now, timedelta(0)))

    async def mark_posted(
        self, session: Session, challenge_id: int, message_id: int, revealed_id: int | None
    ) -> None:
        """Record the sent message (and the reveal that went with it)."""
        now = self.clock()
        await daily_challenges.mark_posted(
            session, challenge_id=challenge_id, message_id=message_id, now=now
        )
        if revealed_id is not None:
            await daily_challenges.mark_revealed(session, challenge_id=revealed_id, now=now)

    async def reveal_stats(self, session: Session, challenge_id: int) -> RevealStats:
        """Answer count, correct count and the first correct answerers, in SQL."""
        answered, correct = await attempts.daily_tally(session, daily_challenge_id=challenge_id)
        names = await attempts.first_correct_names(
            session, daily_challenge_id=challenge_id, limit=FIRST_CORRECT_SHOWN
        )
        return RevealStats(answered, correct, names)

    async def current(self, session: Session, guild_id: int) -> DailyChallenge:
        """The challenge members can answer now."""
        latest = await self.latest(session, guild_id)
        if latest is None:
            cfg = await self.config(session, guild_id)
            raise NoChallengeToday() if cfg and cfg.enabled else DailyNotConfigured()
        if latest.status != DailyStatus.POSTED:
            raise NoChallengeToday()
        return latest

    async def answerable(
        self, session: Session, challenge_id: int, guild_id: int | None
    ) -> tuple[DailyChallenge, AnyQuestion]:
        """A challenge members of this server may still answer, and its question."""
        if challenge_id <= 0:
            raise ForgedButton()
        if guild_id is None:
            raise NotThisServer("Daily challenges are answered in the server that posted them.")
        challenge = await self.challenge(session, challenge_id)
        if challenge is None:
            raise ChallengeClosed("I can't find that challenge any more.")
        if challenge.guild_id != guild_id:
            raise NotThisServer()
        if challenge.status == DailyStatus.REVEALED or self.clock() >= challenge.closes_at:
            raise ChallengeClosed()
        question = await self.custom.get(session, challenge.question_id, challenge.guild_id)
        if question is None:
            raise ChallengeClosed("Today's question is no longer in the bank.")
        return challenge, question

    async def today(self, session: Session, guild_id: int, user_id: int) -> Today:
        """The challenge members can answer now, its question, and the member's streak here."""
        challenge = await self.current(session, guild_id)
        assert challenge.id is not None
        question = await self.custom.get(session, challenge.question_id, guild_id)
        if question is None:
            raise ChallengeClosed("Today's question is no longer in the bank.")
        streak = await self.streak(session, user_id, guild_id)
        return Today(challenge.id, question, challenge.closes_at, streak)

    async def streak(self, session: Session, user_id: int, guild_id: int) -> StreakState:
        """A member's streak in a server, as stored (just updated by an answer)."""
        return await streaks.get_streak(session, user_id=user_id, guild_id=guild_id)

    async def challenge(self, session: Session, challenge_id: int) -> DailyChallenge | None:
        """A challenge row by id."""
        return await daily_challenges.get_challenge(session, challenge_id=challenge_id)
