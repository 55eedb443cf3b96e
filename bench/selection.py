"""Choosing the next question for a heavy user: 10,000 review cards and 20,000 attempts.

    python bench/selection.py [--cards 10000] [--attempts 20000] [--runs 300]
    python bench/selection.py --backend postgresql

Times LearningService.next_question (due reviews, topic beliefs, the recent window, what the
user has seen, then the choice) in its own unit of work, as /quiz does. The last line is the
summary: cards=… p50_ms=… p99_ms=…
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bench.answer_throughput import PG_URL, reset_postgres
from bot.container import build_container
from bot.db import migrate
from bot.settings import Settings

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
USER = 42


async def main() -> int:
    """Seed the heavy user, then time next_question."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--attempts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=300)
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
        bank_ids = [q.id for q in container.bank.active() if q.kind != "behavioral"]
        # Cards beyond the bank's questions point at retired rows, as years of use leave.
        extra = [f"old-{i:05d}" for i in range(max(0, args.cards - len(bank_ids)))]
        async with container.database.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, name, created_at, updated_at) "
                    "VALUES (:u, 'heavy', :t, :t)"
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
            ids = (bank_ids + extra)[: args.cards]
            await conn.execute(
                text(
                    "INSERT INTO review_cards (user_id, question_id, card_id, state, due, reps, "
                    "lapses) VALUES (:u, :q, :c, 2, :d, 1, 0)"
                ),
                [
                    {"u": USER, "q": q, "c": i, "d": NOW + timedelta(hours=rng.randint(-48, 900))}
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
                    for i in range(args.attempts)
                ],
            )
        timings = []
        for i in range(args.runs):
            started = time.perf_counter()
            async with container.database.unit_of_work() as session:
                await container.learning.next_question(session, USER, rng=random.Random(i))
            timings.append((time.perf_counter() - started) * 1000)
        await container.close()
    timings.sort()
    p50, p99 = statistics.median(timings), timings[int(0.99 * (len(timings) - 1))]
    print(f"{args.runs} choices for a user with {args.cards} cards and {args.attempts} attempts")
    print(f"cards={args.cards} p50_ms={p50:.2f} p99_ms={p99:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
