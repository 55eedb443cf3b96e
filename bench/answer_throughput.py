"""Answers recorded per second by the real answer path, against a naive baseline in the same run.

    python bench/answer_throughput.py                       # SQLite, 50 users
    python bench/answer_throughput.py --backend postgresql  # the local PostgreSQL (database test)

The real path is what a button click or form submit does, minus Discord: one unit of work per
answer around QuizService.answer (claim the served question, grade, score every board, update
mastery, the review card). It runs with `--users` learners answering at once on a database
seeded with `--seeded` earlier attempts. The baselines, measured in the same run on the same
schema: "naive" (one async session and commit per answer: INSERT the attempt, UPSERT a score)
and "raw" (the driver alone: sqlite3, or asyncpg, with the same two statements per commit).
The last line is the summary:
  backend=… service_per_s=… naive_per_s=… raw_per_s=… ratio_vs_naive=… statements_per_answer=…
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text

from bot.container import Container, build_container
from bot.db import migrate
from bot.db.engine import make_engine
from bot.domain.questions import McqQuestion
from bot.services.quiz import AnswerRequest, Asker, Filters
from bot.settings import Settings

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def reset_postgres(url: str) -> None:
    """An empty schema, then the migrations."""
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    await asyncio.to_thread(migrate.upgrade, url)


async def seed(container: Container, attempts: int) -> None:
    """Earlier users and attempts, so indexes are the size a busy server has."""
    mcqs = [q.id for q in container.bank.active() if isinstance(q, McqQuestion)]
    engine = container.database.engine
    rng = random.Random(3)
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO users (id, name, created_at, updated_at) VALUES (:id, :n, :t, :t)"),
            [{"id": 10_000 + i, "n": f"seed{i}", "t": NOW} for i in range(1000)],
        )
        rows = [
            {
                "u": 10_000 + rng.randrange(1000),
                "q": rng.choice(mcqs),
                "c": rng.random() < 0.6,
                "t": NOW,
            }
            for _ in range(attempts)
        ]
        for start in range(0, len(rows), 10_000):
            await conn.execute(
                text(
                    "INSERT INTO attempts (user_id, question_id, question_version, source, "
                    "answer, correct, credit, points, answered_at, grade_unsure) "
                    "VALUES (:u, :q, 1, 'quiz', 'A', :c, 1.0, 10, :t, false)"
                ),
                rows[start : start + 10_000],
            )


async def service_path(container: Container, users: int, each: int) -> tuple[float, float]:
    """Answers per second through QuizService.answer, and statements per answer."""
    askers = [Asker(user_id=i + 1, user_name=f"u{i}") for i in range(users)]
    tokens: dict[int, list[tuple[str, str]]] = {}
    for asker in askers:
        async with container.database.unit_of_work() as session:
            served = [
                await container.quiz.serve(session, asker, Filters(kind="mcq")) for _ in range(each)
            ]
        tokens[asker.user_id] = [
            (s.token, s.question.letter(s.question.correct_index))  # type: ignore[union-attr]
            for s in served
        ]
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(container.database.engine.sync_engine, "before_cursor_execute", count)

    async def learner(asker: Asker) -> None:
        for token, choice in tokens[asker.user_id]:
            # Exactly what a click does: the answer joins the next group commit.
            await container.answers.submit(AnswerRequest(token, asker.user_id, choice))

    started, batches = time.perf_counter(), container.answers.batches
    await asyncio.gather(*(learner(a) for a in askers))
    elapsed = time.perf_counter() - started
    print(f"service path: {container.answers.batches - batches} group commits")
    event.remove(container.database.engine.sync_engine, "before_cursor_execute", count)
    total = users * each
    return total / elapsed, statements / total


async def naive_path(container: Container, users: int, each: int) -> float:
    """One session and commit per answer: INSERT the attempt, UPSERT one score row."""
    upsert = text(
        "INSERT INTO scores (scope, period, period_start, user_id, points, answers, correct) "
        "VALUES (0, 'all', :d, :u, 10, 1, 1) ON CONFLICT (scope, period, period_start, user_id) "
        "DO UPDATE SET points = scores.points + 10, answers = scores.answers + 1"
    )
    insert = text(
        "INSERT INTO attempts (user_id, question_id, question_version, source, answer, correct, "
        "credit, points, answered_at, grade_unsure) "
        "VALUES (:u, :q, 1, 'quiz', 'A', true, 1.0, 10, :t, false)"
    )
    question = next(q.id for q in container.bank.active() if isinstance(q, McqQuestion))

    async def learner(user_id: int) -> None:
        for _ in range(each):
            async with container.database.unit_of_work() as session:
                await session.execute(insert, {"u": user_id, "q": question, "t": NOW})
                await session.execute(upsert, {"u": user_id, "d": NOW.date()})

    started = time.perf_counter()
    await asyncio.gather(*(learner(i + 1) for i in range(users)))
    return users * each / (time.perf_counter() - started)


def raw_sqlite(path: str, question: str, total: int) -> float:
    """The driver alone: sqlite3, WAL, synchronous=NORMAL, two statements per commit."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    started = time.perf_counter()
    for _ in range(total):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO attempts (user_id, question_id, question_version, source, answer, "
            "correct, credit, points, answered_at, grade_unsure) "
            "VALUES (1, ?, 1, 'quiz', 'A', 1, 1.0, 10, '2026-12-01 12:00:00', 0)",
            (question,),
        )
        conn.execute(
            "INSERT INTO scores (scope, period, period_start, user_id, points, answers, correct) "
            "VALUES (0, 'all', '2026-12-01', 1, 10, 1, 1) ON CONFLICT DO UPDATE SET "
            "points = points + 10, answers = answers + 1"
        )
        conn.execute("COMMIT")
    rate = total / (time.perf_counter() - started)
    conn.close()
    return rate


async def raw_postgres(url: str, question: str, total: int, users: int) -> float:
    """The driver alone: asyncpg, `users` connections, two statements per transaction."""
    import asyncpg

    dsn = url.replace("postgresql+asyncpg", "postgresql")
    conns = [await asyncpg.connect(dsn) for _ in range(users)]

    async def learner(conn: Any, n: int) -> None:
        for _ in range(n):
            async with conn.transaction():
                await conn.execute(
                    "INSERT INTO attempts (user_id, question_id, question_version, source, "
                    "answer, correct, credit, points, answered_at, grade_unsure) "
                    "VALUES (1, $1, 1, 'quiz', 'A', true, 1.0, 10, now(), false)",
                    question,
                )
                await conn.execute(
                    "INSERT INTO scores (scope, period, period_start, user_id, points, answers, "
                    "correct) VALUES (0, 'all', '2026-12-01', 1, 10, 1, 1) ON CONFLICT "
                    "(scope, period, period_start, user_id) DO UPDATE SET "
                    "points = scores.points + 10, answers = scores.answers + 1"
                )

    started = time.perf_counter()
    await asyncio.gather(*(learner(c, total // users) for c in conns))
    rate = total / (time.perf_counter() - started)
    for conn in conns:
        await conn.close()
    return rate


async def main() -> int:
    """Seed, then measure the three paths and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--answers", type=int, default=20, help="answers per user")
    parser.add_argument("--seeded", type=int, default=100_000, help="attempts already stored")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.backend == "sqlite":
            path = str(Path(tmp) / "bench.db")
            url = f"sqlite+aiosqlite:///{path}"
            await asyncio.to_thread(migrate.upgrade, url)
        else:
            url = PG_URL
            await reset_postgres(url)
        settings = Settings(DATABASE_URL=url)  # type: ignore[call-arg]
        container = await build_container(settings, clock=lambda: NOW)
        try:
            await seed(container, args.seeded)
            for i in range(args.users):
                async with container.database.unit_of_work() as session:
                    await container.quiz.register(session, Asker(user_id=i + 1, user_name="u"))
            service, statements = await service_path(container, args.users, args.answers)
            naive = await naive_path(container, args.users, args.answers)
            question = next(q.id for q in container.bank.active() if isinstance(q, McqQuestion))
            total = args.users * args.answers
            if args.backend == "sqlite":
                raw = await asyncio.to_thread(raw_sqlite, path, question, total)
            else:
                raw = await raw_postgres(url, question, total, args.users)
        finally:
            await container.close()
    print(f"{args.users} users × {args.answers} answers on {args.seeded} seeded attempts")
    print(f"{'path':<10}{'answers/s':>12}")
    for name, rate in (("service", service), ("naive", naive), ("raw", raw)):
        print(f"{name:<10}{rate:>12.0f}")
    print(
        f"backend={args.backend} service_per_s={service:.0f} naive_per_s={naive:.0f} "
        f"raw_per_s={raw:.0f} ratio_vs_naive={service / naive:.2f} "
        f"statements_per_answer={statements:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
