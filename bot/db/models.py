"""SQLModel tables. Alembic migrations are the schema authority; these mirror them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    Text,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel

from bot.db.types import UTCDateTime, utcnow
from bot.domain.daily import DailyStatus

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY, so big ids use it there.
BigId = BigInteger().with_variant(Integer(), "sqlite")
GLOBAL_SCOPE = 0


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class User(SQLModel, table=True):
    """A learner: a Discord user, or a terminal user with a negative id."""

    __tablename__ = "users"
    id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str = Field(max_length=100)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Guild(SQLModel, table=True):
    """A Discord server and its Gradient settings."""

    __tablename__ = "guilds"
    id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str = Field(default="", max_length=100)
    timezone: str = Field(default="UTC", max_length=64)
    daily_enabled: bool = Field(default=False)
    daily_channel_id: int | None = Field(default=None, sa_type=BigInteger)
    daily_time: str | None = Field(default=None, max_length=5)
    daily_topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    daily_difficulty: str | None = Field(default=None, max_length=8)
    daily_problem: str | None = Field(default=None, max_length=300)
    daily_custom: bool = Field(default=False)
    season_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class QuestionRow(SQLModel, table=True):
    """A bank question as the store knows it: kept when retired, since attempts point at it."""

    __tablename__ = "questions"
    __table_args__ = (Index(None, "topic", "retired"),)
    id: str = Field(primary_key=True, max_length=32)
    topic: str = Field(max_length=40)
    kind: str = Field(max_length=16)
    difficulty: str = Field(max_length=8)
    content_hash: str = Field(max_length=16)
    version: int = Field(default=1)
    retired: bool = Field(default=False)
    # A server's own question: served only there, its content kept here (bank questions: NULL).
    guild_id: int | None = Field(
        default=None, sa_type=BigInteger, foreign_key="guilds.id", ondelete="CASCADE", index=True
    )
    payload: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    first_seen_at: datetime = _created()
    updated_at: datetime = _created()


class DailyChallenge(SQLModel, table=True):
    """One guild's challenge for one local date: claimed before it is posted."""

    __tablename__ = "daily_challenges"
    __table_args__ = (UniqueConstraint("guild_id", "local_date"),)
    id: int | None = Field(default=None, sa_type=BigId, primary_key=True)
    guild_id: int = Field(sa_type=BigInteger, foreign_key="guilds.id", ondelete="CASCADE")
    local_date: date
    question_id: str = Field(foreign_key="questions.id", max_length=32)
    channel_id: int = Field(sa_type=BigInteger)
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    status: str = Field(default=DailyStatus.CLAIMED, max_length=16)
    claimed_at: datetime = _created()
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    revealed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Attempt(SQLModel, table=True):
    """One answer to one question: what was said, how it was graded, what it earned."""

    __tablename__ = "attempts"
    __table_args__ = (
        Index(None, "user_id", "answered_at"),
        Index(None, "guild_id", "answered_at"),
        Index(None, "question_id"),
        Index(None, "user_id", "question_id", "answered_at"),
        # One answer per member per daily challenge; NULLs (non-daily) never clash.
        UniqueConstraint("daily_challenge_id", "user_id"),
    )
    id: int | None = Field(default=None, sa_type=BigId, primary_key=True)
    user_id: int = Field(sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE")
    guild_id: int | None = Field(
        default=None, sa_type=BigInteger, foreign_key="guilds.id", ondelete="SET NULL"
    )
    question_id: str = Field(foreign_key="questions.id", max_length=32)
    question_version: int = Field(default=1)
    daily_challenge_id: int | None = Field(
        default=None, sa_type=BigInteger, foreign_key="daily_challenges.id", ondelete="CASCADE"
    )
    source: str = Field(max_length=16)
    answer: str = Field(default="", sa_type=Text)
    correct: bool
    credit: float
    points: int = Field(default=0)
    self_rating: int | None = Field(default=None, sa_type=SmallInteger)
    # The grader was unsure of an explanation: the learner's self-rating decides its credit.
    grade_unsure: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    served_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime = _created()
    response_ms: int | None = Field(default=None)


class TopicStat(SQLModel, table=True):
    """Per user and topic: counts plus the mastery estimate and its uncertainty."""

    __tablename__ = "topic_stats"
    user_id: int = Field(
        sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE", primary_key=True
    )
    topic: str = Field(max_length=40, primary_key=True)
    attempts: int = Field(default=0)
    correct: int = Field(default=0)
    credit_sum: float = Field(default=0.0)
    skill: float = Field(default=0.0)
    skill_var: float = Field(default=1.0)
    last_answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReviewCard(SQLModel, table=True):
    """FSRS state of one question for one user."""

    __tablename__ = "review_cards"
    __table_args__ = (Index(None, "user_id", "due"),)
    user_id: int = Field(
        sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE", primary_key=True
    )
    question_id: str = Field(foreign_key="questions.id", max_length=32, primary_key=True)
    card_id: int = Field(sa_type=BigInteger)
    state: int = Field(sa_type=SmallInteger)
    step: int | None = Field(default=None)
    stability: float | None = Field(default=None)
    difficulty: float | None = Field(default=None)
    due: datetime = Field(sa_type=UTCDateTime)
    last_review: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reps: int = Field(default=0)
    lapses: int = Field(default=0)
    # The attempt that last reviewed this card, and the card as it was before: a self-rating
    # replaces the automatic rating by replaying that review.
    last_attempt_id: int | None = Field(default=None, sa_type=BigInteger)
    prev_state: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Score(SQLModel, table=True):
    """Points per scope (a guild, or 0 for global), period and user: leaderboards read these."""

    __tablename__ = "scores"
    __table_args__ = (Index(None, "scope", "period", "period_start", "points"),)
    scope: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    period: str = Field(max_length=8, primary_key=True)
    period_start: date = Field(primary_key=True)
    user_id: int = Field(
        sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE", primary_key=True
    )
    points: int = Field(default=0)
    answers: int = Field(default=0)
    correct: int = Field(default=0)


class ScoreBucket(SQLModel, table=True):
    """How many players hold exactly `points` on one ranked board: ranks and sizes sum these."""

    __tablename__ = "score_buckets"
    # A rank's range sum reads the key's b-tree alone: SQLite clusters the table on it, and
    # PostgreSQL's key index carries the counts (an index-only scan, not a heap page a bucket).
    __table_args__ = (
        PrimaryKeyConstraint(
            "scope", "period", "period_start", "points", postgresql_include=["players"]
        ),
        {"sqlite_with_rowid": False},
    )
    scope: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    period: str = Field(max_length=8, primary_key=True)
    period_start: date = Field(primary_key=True)
    points: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    players: int = Field(default=0)


class Streak(SQLModel, table=True):
    """Consecutive local days with an answered daily challenge, per user and guild."""

    __tablename__ = "streaks"
    user_id: int = Field(
        sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE", primary_key=True
    )
    guild_id: int = Field(
        sa_type=BigInteger, foreign_key="guilds.id", ondelete="CASCADE", primary_key=True
    )
    current: int = Field(default=0)
    best: int = Field(default=0)
    last_day: date | None = Field(default=None)


class ServedQuestion(SQLModel, table=True):
    """A question shown to one user; its random token in a button's custom_id ties answers to it."""

    __tablename__ = "served_questions"
    __table_args__ = (Index(None, "user_id", "served_at"),)
    token: str = Field(primary_key=True, max_length=16)
    user_id: int = Field(sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE")
    guild_id: int | None = Field(default=None, sa_type=BigInteger)
    question_id: str = Field(foreign_key="questions.id", max_length=32)
    source: str = Field(max_length=16)
    # The filters the user asked for, so "Next question" continues the same session.
    topic: str | None = Field(default=None, max_length=40)
    difficulty: str | None = Field(default=None, max_length=8)
    kind: str | None = Field(default=None, max_length=16)
    competency: str | None = Field(default=None, max_length=20)
    mock_token: str | None = Field(
        default=None, max_length=16, foreign_key="mock_sessions.token", ondelete="CASCADE"
    )
    served_at: datetime = _created()
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempt_id: int | None = Field(default=None, sa_type=BigInteger)
    # Set when "Next question" was used, so a double click serves one next question, not two.
    continued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MockSession(SQLModel, table=True):
    """A timed mock interview: a fixed list of questions answered in order."""

    __tablename__ = "mock_sessions"
    token: str = Field(primary_key=True, max_length=16)
    user_id: int = Field(sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE")
    guild_id: int | None = Field(default=None, sa_type=BigInteger)
    question_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    position: int = Field(default=0)
    started_at: datetime = _created()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AppState(SQLModel, table=True):
    """Small facts the bot keeps across restarts, such as the hash of the last command sync."""

    __tablename__ = "app_state"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_type=Text)
    updated_at: datetime = _created()


class QuestionReport(SQLModel, table=True):
    """A learner's report that a question is wrong or unclear, tied to the version they saw."""

    __tablename__ = "question_reports"
    __table_args__ = (Index(None, "guild_id", "created_at"),)
    id: int | None = Field(default=None, sa_type=BigId, primary_key=True)
    question_id: str = Field(foreign_key="questions.id", max_length=32, ondelete="CASCADE")
    question_version: int
    guild_id: int | None = Field(default=None, sa_type=BigInteger)
    user_id: int = Field(sa_type=BigInteger, foreign_key="users.id", ondelete="CASCADE")
    text: str = Field(sa_type=Text)
    created_at: datetime = _created()
