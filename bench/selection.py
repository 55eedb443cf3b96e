"""Choosing the next question for a heavy user: 10,000 review cards and 20,000 attempts.

    python bench/selection.py [--cards 10000] [--attempts 20000] [--runs 300]
    python bench/selection.py --backend postgresql
    python bench/selection.py --nothing-due  # no card due: the practice path (beliefs, seen)
    python bench/selection.py --profile      # where the time goes: cProfile and each statement

Times LearningService.next_question (due reviews, topic beliefs, the recent window, what the
user has seen, then the choice) in its own unit of work, as /quiz does. The last line is the
summary: cards=… p50_ms=… p99_ms=…
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text

from bench.answer_throughput import PG_URL, reset_postgres
from bot.container import Container, build_container
from bot.db import migrate
from bot.settings import Settings

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
USER = 42


async def seed(
    container: Container, cards: int, attempts: int, rng: random.Random, *, due: bool = True
) -> None:
    """The heavy user: its cards (most on retired questions), attempts and topic beliefs."""
    bank_ids = [q.id for q in container.bank.active() if q.kind != "behavioral"]
    # Cards beyond the bank's questions point at retired rows, as years of use leave.
    extra = [f"old-{i:05d}" for i in range(max(0, cards - len(bank_ids)))]
    async with container.database.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (id, name, created_at, updated_at) VALUES (:u, 'heavy', :t, :t)"
            ),
            {"u": USER, "t": NOW},
        )
        await conn.execute(
            text(
                "INSERT INTO questions (id, topic, kind, difficulty, content_hash, version, "
                "retired, first_seen_at, updated_at) "
                "VALUES (:id, 'sql', 'mcq', 'easy', 'x', 1, true, :t, :t)"
            ),
            [{"id": q, "t": NOW} for q in extra],
        )
        ids = (bank_ids + extra)[:cards]
        await conn.execute(
            text(
                "INSERT INTO review_cards (user_id, question_id, card_id, state, due, reps, "
                "lapses) VALUES (:u, :q, :c, 2, :d, 1, 0)"
            ),
            [
                {
                    "u": USER,
                    "q": q,
                    "c": i,
                    "d": NOW + timedelta(hours=rng.randint(-48 if due else 1, 900)),
                }
                for i, q in enumerate(ids)
            ],
        )
        await conn.execute(
            text(
                "INSERT INTO attempts (user_id, question_id, question_version, source, answer, "
                "correct, credit, points, answered_at, grade_unsure) VALUES (:u, :q, 1, "
                "'quiz', 'A', true, 1.0, 10, :t, false)"
            ),
            [
                {"u": USER, "q": rng.choice(ids), "t": NOW - timedelta(minutes=i)}
                for i in range(attempts)
            ],
        )
        # Years of answers leave a belief for every topic.
        await conn.execute(
            text(
                "INSERT INTO topic_stats (user_id, topic, attempts, correct, credit_sum, skill, "
                "skill_var, last_answered_at) VALUES (:u, :t, :n, :c, :s, :m, :v, :at)"
            ),
            [
                {
                    "u": USER,
                    "t": topic,
                    "n": 800,
                    "c": 500,
                    "s": 500.0,
                    "m": rng.gauss(0, 1),
                    "v": rng.uniform(0.05, 0.3),
                    "at": NOW - timedelta(days=rng.randint(0, 30)),
                }
                for topic in container.bank.topics
            ],
        )
        if container.database.dialect == "postgresql":
            # Fresh statistics, as autovacuum would have after years of use.
            await conn.execute(text("ANALYZE"))


async def choose_once(container: Container, i: int) -> None:
    """One next_question in its own unit of work, as /quiz does."""
    async with container.database.unit_of_work() as session:
        await container.learning.next_question(session, USER, rng=random.Random(i))


async def profile(container: Container, runs: int) -> None:
    """cProfile of the calls, then each statement's share of the time."""
    spent: dict[str, list[float]] = defaultdict(list)
    engine = container.database.engine.sync_engine

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info.setdefault("started", []).append(time.perf_counter())

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        started = conn.info["started"].pop()
        spent[" ".join(statement.split())[:110]].append((time.perf_counter() - started) * 1000)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(runs):
        await choose_once(container, i)
    profiler.disable()
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    for statement, times in sorted(spent.items(), key=lambda kv: -sum(kv[1])):
        print(f"{statistics.median(times):7.3f} ms median x{len(times):4d}  {statement}")


async def main() -> int:
    """Seed the heavy user, then time next_question."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--nothing-due", action="store_true", help="no card due yet")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        if args.backend == "sqlite":
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            await asyncio.to_thread(migrate.upgrade, url)
        else:
            url = PG_URL
            await reset_postgres(url)
        container = await build_container(
            Settings(DATABASE_URL=url),  # type: ignore[call-arg]
            clock=lambda: NOW,
        )
        await seed(container, args.cards, args.attempts, rng, due=not args.nothing_due)
        if args.profile:
            await profile(container, args.runs)
            await container.close()
            return 0
        timings, cpu = [], []
        for i in range(args.runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            await choose_once(container, i)
            timings.append((time.perf_counter() - started) * 1000)
            # This process's CPU (SQLite's thread included): what other load on the machine
            # cannot inflate, unlike the wall time.
            cpu.append((time.process_time() - cpu_started) * 1000)
        await container.close()
    timings.sort()
    p50, p99 = statistics.median(timings), timings[int(0.99 * (len(timings) - 1))]
    path = "nothing due" if args.nothing_due else "reviews due"
    print(
        f"{args.runs} choices for a user with {args.cards} cards and {args.attempts} attempts"
        f" ({path}, {container.database.dialect})"
    )
    print(
        f"cards={args.cards} p50_ms={p50:.2f} p99_ms={p99:.2f}"
        f" cpu_p50_ms={statistics.median(cpu):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
