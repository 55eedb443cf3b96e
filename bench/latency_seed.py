"""Seeding for bench/interaction_latency.py: users, attempts and the rows derived from them.

Everything is set-based SQL (a recursive CTE on SQLite, generate_series on PostgreSQL) over two
small helper tables, so 1,000,000 attempts take seconds, not minutes. The derived tables are
aggregated from the attempts themselves (topic_stats and review_cards per user, scores per board
and period), so /stats, /quiz's selection and /leaderboard read rows that agree with history.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.bank.bank import Bank
from bot.db import migrate
from bot.db.engine import Database, make_engine
from bot.db.questions import sync_questions
from bot.domain.periods import Period, period_start

HISTORY_SECONDS = 60 * 86400  # seeded attempts spread over the last 60 days


async def reset_postgres(url: str) -> None:
    """An empty public schema, then the migrations."""
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    await asyncio.to_thread(migrate.upgrade, url)


def literal(dialect: str, moment: datetime) -> str:
    """A timestamp as an SQL literal, in the form each store's DateTime column keeps."""
    if dialect == "sqlite":
        # SQLAlchemy's SQLite DateTime stores 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC wall time).
        return f"'{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}.000000'"
    return f"CAST('{moment.astimezone(UTC).isoformat()}' AS timestamptz)"


def _stamp(dialect: str, base: str, seconds: str) -> str:
    """SQL for the timestamp `seconds` before the SQL timestamp `base`."""
    if dialect == "sqlite":
        return f"(datetime({base}, '-' || ({seconds}) || ' seconds') || '.000000')"
    return f"({base} - ({seconds}) * interval '1 second')"


def _plus_days(dialect: str, value: str, days: str) -> str:
    if dialect == "sqlite":
        return f"(datetime({value}, '+' || ({days}) || ' days') || '.000000')"
    return f"({value} + ({days}) * interval '1 day')"


def attempts_sql(
    dialect: str, attempts: int, users: int, questions: int, guild_id: int, now: datetime
) -> str:
    """INSERT … SELECT of `attempts` rows: every user gets the same share, spread over topics."""
    if dialect == "sqlite":
        head = (
            f"WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < "
            f"{attempts - 1}) "
        )
        source, truth = "s", "1"
    else:
        head, source, truth = "", f"generate_series(0::bigint, {attempts - 1}) AS s(i)", "true"
    correct = "((i * 7) % 10 < 6)"
    spread = f"(i * 2654435761) % {HISTORY_SECONDS}"
    # The k-th attempt of user u is question (37k + 101u) mod N: varied, and repeats are rare.
    return (
        f"{head}INSERT INTO attempts (user_id, guild_id, question_id, question_version, source, "
        "answer, correct, credit, points, grade_unsure, answered_at, response_ms) "
        f"SELECT m.user_id, {guild_id}, q.id, 1, 'quiz', 'A', {correct}, "
        f"CASE WHEN {correct} THEN 1.0 ELSE 0.0 END, "
        f"CASE WHEN {correct} THEN 10 + (i % 3) * 5 ELSE 0 END, "
        f"{'0' if truth == '1' else 'false'}, "
        f"{_stamp(dialect, literal(dialect, now), spread)}, 4000 + i % 30000 "
        f"FROM {source} JOIN bench_map m ON m.idx = i % {users} "
        f"JOIN bench_q q ON q.idx = ((i / {users}) * 37 + (i % {users}) * 101) % {questions}"
    )


def derived_sql(dialect: str, guild_id: int, now: datetime) -> list[tuple[str, dict[str, Any]]]:
    """topic_stats, review_cards and scores from the attempts, and a few streaks."""
    won = "CASE WHEN a.correct THEN 1 ELSE 0 END"
    statements: list[tuple[str, dict[str, Any]]] = [
        (
            "INSERT INTO topic_stats (user_id, topic, attempts, correct, credit_sum, skill, "
            "skill_var, last_answered_at) SELECT a.user_id, q.topic, count(*), "
            f"sum({won}), sum(a.credit), (avg(a.credit) - 0.5) * 3.0, 1.0 / (1 + count(*)), "
            "max(a.answered_at) FROM attempts a JOIN questions q ON q.id = a.question_id "
            "GROUP BY a.user_id, q.topic",
            {},
        ),
        (
            # FSRS "review" cards; due 1–30 days after the last review, so many are due now.
            "INSERT INTO review_cards (user_id, question_id, card_id, state, stability, "
            "difficulty, due, last_review, reps, lapses, last_attempt_id) "
            "SELECT a.user_id, a.question_id, max(a.id), 2, 10.0, 5.0, "
            f"{_plus_days(dialect, 'max(a.answered_at)', '1 + max(a.id) % 30')}, "
            f"max(a.answered_at), count(*), sum(1 - {won}), max(a.id) FROM attempts a "
            "GROUP BY a.user_id, a.question_id",
            {},
        ),
    ]
    boards = [(0, Period.DAY), (0, Period.WEEK), (0, Period.MONTH), (0, Period.ALL)]
    boards += [(guild_id, Period.WEEK), (guild_id, Period.MONTH), (guild_id, Period.ALL)]
    for scope, period in boards:
        start = period_start(period, now)
        since = datetime(start.year, start.month, start.day, tzinfo=UTC)
        statements.append(
            (
                "INSERT INTO scores (scope, period, period_start, user_id, points, answers, "
                f"correct) SELECT {scope}, '{period.value}', '{start.isoformat()}', a.user_id, "
                f"sum(a.points), count(*), sum({won}) FROM attempts a "
                f"WHERE a.answered_at >= {literal(dialect, since)} GROUP BY a.user_id",
                {},
            )
        )
    statements.append(
        (
            "INSERT INTO streaks (user_id, guild_id, current, best, last_day) "
            f"SELECT user_id, {guild_id}, idx % 7 + 1, idx % 7 + 3, "
            f"'{now.date() - timedelta(days=1)}' FROM bench_map WHERE idx % 5 = 0",
            {},
        )
    )
    return statements


async def _fill_helpers(
    conn: AsyncConnection, user_ids: list[tuple[int, str]], question_ids: list[tuple[str, str]]
) -> None:
    await conn.execute(text("DROP TABLE IF EXISTS bench_map"))
    await conn.execute(text("DROP TABLE IF EXISTS bench_q"))
    await conn.execute(
        text("CREATE TABLE bench_map (idx INTEGER PRIMARY KEY, user_id BIGINT, name TEXT)")
    )
    await conn.execute(text("CREATE TABLE bench_q (idx INTEGER PRIMARY KEY, id TEXT, topic TEXT)"))
    await conn.execute(
        text("INSERT INTO bench_map (idx, user_id, name) VALUES (:i, :u, :n)"),
        [{"i": i, "u": u, "n": n} for i, (u, n) in enumerate(user_ids)],
    )
    await conn.execute(
        text("INSERT INTO bench_q (idx, id, topic) VALUES (:i, :q, :t)"),
        [{"i": i, "q": q, "t": t} for i, (q, t) in enumerate(question_ids)],
    )


async def seed(
    url: str,
    bank: Bank,
    *,
    guild: tuple[int, str],
    active: list[tuple[int, str]],
    users: int,
    attempts: int,
    now: datetime,
) -> str:
    """Seed `users` users (the `active` ones first-class) and `attempts` attempts; a summary."""
    started = time.perf_counter()
    database = Database.from_url(url)
    dialect = database.dialect
    async with database.unit_of_work() as session:
        # The bot would sync the bank at start; attempts need the question rows before that.
        await sync_questions(session, questions=bank.questions.values(), now=now)
    everyone = [(10_000 + i, f"seed{i}") for i in range(max(0, users - len(active)))] + active
    concept = sorted((q.id, q.topic) for q in bank.active() if q.kind != "behavioral")
    engine = database.engine
    stamp = literal(dialect, now)
    steps: list[str] = []
    async with engine.begin() as conn:
        if dialect == "sqlite":
            # Index builds for a million rows spill out of the default 2 MB page cache.
            await conn.execute(text("PRAGMA cache_size=-262144"))
            await conn.execute(text("PRAGMA temp_store=MEMORY"))
        await _fill_helpers(conn, everyone, concept)
        await conn.execute(
            text(
                "INSERT INTO guilds (id, name, timezone, daily_enabled, daily_topics, "
                "daily_custom, created_at, updated_at) VALUES (:id, :n, 'UTC', :f, '[]', :f, "
                f"{stamp}, {stamp})"
            ),
            {"id": guild[0], "n": guild[1], "f": False},
        )
        await conn.execute(
            text(
                "INSERT INTO users (id, name, created_at, updated_at) "
                f"SELECT user_id, name, {stamp}, {stamp} FROM bench_map"
            )
        )
        await conn.execute(
            text(attempts_sql(dialect, attempts, len(everyone), len(concept), guild[0], now))
        )
        steps.append(f"attempts {time.perf_counter() - started:.0f} s")
        for statement, params in derived_sql(dialect, guild[0], now):
            await conn.execute(text(statement), params)
            steps.append(f"{statement.split()[2]} {time.perf_counter() - started:.0f} s")
        await conn.execute(text("DROP TABLE bench_map"))
        await conn.execute(text("DROP TABLE bench_q"))
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        # What autovacuum or a periodic ANALYZE leave behind in production.
        await conn.execute(text("VACUUM ANALYZE" if dialect == "postgresql" else "ANALYZE"))
        counts = []
        for table in ("users", "attempts", "topic_stats", "review_cards", "scores"):
            n = (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            counts.append(f"{table} {n}")
    await database.dispose()
    took = time.perf_counter() - started
    return f"seeded in {took:.1f} s: " + ", ".join(counts) + f" (done at: {', '.join(steps)})"


def today() -> date:
    """Today's UTC date (the bot runs on the real clock)."""
    return datetime.now(UTC).date()
