"""Simulated learners answer through the real services on a temporary database.

Each learner has a hidden skill per topic (a logit; P(correct) = sigmoid(skill - difficulty)).
Two policies serve questions: Gradient's adaptive selection, and uniform random selection.
We measure how often the truly weakest topic is the one Gradient ranks weakest after 20, 40
and 80 answers, and what share of questions each policy spends on that topic.

    python bench/learning_sim.py [--learners 120] [--seed 7]

The last line is machine-readable, e.g.
weak_top1@20=0.71 weak_top1@40=0.88 weak_top1@80=0.95 weakest_share_adaptive=0.34 \
    weakest_share_random=0.08   (one line)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bank.bank import Bank, load_bank
from bot.clock import Clock
from bot.db import migrate
from bot.db.engine import Database
from bot.db.questions import sync_questions
from bot.db.users import ensure_user
from bot.domain.mastery import DIFFICULTY_OFFSET, sigmoid
from bot.domain.questions import AnyQuestion, Difficulty, McqQuestion, OpenQuestion, ShortQuestion
from bot.services.custom import CustomQuestionService
from bot.services.learning import LearningService
from bot.services.progress import ProgressService

TOPICS = ("math-foundations", "transformers", "sql", "nlp", "causal-inference", "mlops")
CHECKPOINTS = (20, 40, 80)
MINUTES_PER_ANSWER = 3


def learner_skills(rng: random.Random) -> dict[str, float]:
    """Hidden skills: most topics solid, one clearly weaker (the thing to find)."""
    skills = {t: rng.uniform(0.3, 2.3) for t in TOPICS}
    weakest = rng.choice(TOPICS)
    skills[weakest] = min(v for t, v in skills.items() if t != weakest) - rng.uniform(1.2, 2.2)
    return skills


def response(q: AnyQuestion, correct: bool, rng: random.Random) -> str:
    """What a learner types, right or wrong."""
    if isinstance(q, McqQuestion):
        wrong = [i for i in range(len(q.choices)) if i != q.correct_index]
        return chr(65 + (q.correct_index if correct else rng.choice(wrong)))
    if isinstance(q, ShortQuestion):
        return q.answers[0] if correct else "no idea"
    if isinstance(q, OpenQuestion):
        return q.model_answer if correct else "I am not sure how to explain this."
    raise TypeError(q.kind)


def concept_bank(bank: Bank) -> Bank:
    """The shipped bank narrowed to the simulated topics."""
    questions = [q for q in bank.questions.values() if q.topic in TOPICS and q.kind != "behavioral"]
    return Bank.build({t: bank.topics[t] for t in TOPICS}, questions)


async def run_learner(
    db: Database, bank: Bank, user_id: int, skills: dict[str, float], adaptive: bool, seed: int
) -> tuple[dict[int, str | None], int]:
    """One learner's answers: the topic ranked weakest at each checkpoint, and answers on it."""
    rng = random.Random(seed)
    clock = Clock()
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    custom = CustomQuestionService(bank, clock=clock)
    learning = LearningService(bank, clock=clock)
    progress = ProgressService(bank, custom=custom, clock=clock)
    pool = bank.active()
    truly_weakest = min(skills, key=lambda t: skills[t])
    ranked: dict[int, str | None] = {}
    on_weakest = 0
    async with db.unit_of_work() as session:
        await ensure_user(session, user_id=user_id, name=f"sim{user_id}", now=clock())
    for n in range(1, max(CHECKPOINTS) + 1):
        async with db.unit_of_work() as session:
            if adaptive:
                q = (await learning.next_question(session, user_id, rng=rng)).question
            else:
                q = rng.choice(pool)
            p = sigmoid(skills[q.topic] - DIFFICULTY_OFFSET[Difficulty(q.difficulty)])
            correct = rng.random() < p
            await learning.submit_answer(
                session, user_id, q.id, response(q, correct, rng), source="practice"
            )
        on_weakest += q.topic == truly_weakest
        clock.advance(minutes=MINUTES_PER_ANSWER)
        if n in CHECKPOINTS:
            async with db.unit_of_work() as session:
                weak = await progress.weak_topics(session, user_id, limit=1)
            ranked[n] = weak.weakest[0].topic if weak.weakest else None
    return ranked, on_weakest


async def simulate(learners: int, seed: int) -> None:
    """Run both policies over the same learners and print the table and the summary line."""
    bank = concept_bank(load_bank())
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'sim.db'}"
        await asyncio.to_thread(migrate.upgrade, url)
        db = Database.from_url(url)
        async with db.unit_of_work() as session:
            start = datetime(2026, 3, 1, tzinfo=UTC)
            await sync_questions(session, questions=bank.questions.values(), now=start)
        rng = random.Random(seed)
        population = [learner_skills(rng) for _ in range(learners)]
        results: dict[bool, list[tuple[dict[int, str | None], int, str]]] = {True: [], False: []}
        started = time.perf_counter()
        for i, skills in enumerate(population):
            truth = min(skills, key=lambda t: skills[t])
            for adaptive in (True, False):
                uid = (i + 1) * (1 if adaptive else -1)
                ranked, on_weakest = await run_learner(
                    db, bank, uid, skills, adaptive, seed * 1000 + i
                )
                results[adaptive].append((ranked, on_weakest, truth))
        elapsed = time.perf_counter() - started
        await db.dispose()
    answers = learners * max(CHECKPOINTS) * 2
    print(
        f"{learners} learners × {max(CHECKPOINTS)} answers × 2 policies over {len(TOPICS)} topics "
        f"({answers} answers in {elapsed:.1f} s, {answers / elapsed:.0f} answers/s)"
    )
    print(
        f"{'policy':<10}"
        + "".join(f"{'top1@' + str(c):>10}" for c in CHECKPOINTS)
        + f"{'weak share':>12}"
    )
    line: dict[str, float] = {}
    for adaptive in (True, False):
        rows = results[adaptive]
        name = "adaptive" if adaptive else "random"
        top1 = {c: sum(r[0][c] == r[2] for r in rows) / len(rows) for c in CHECKPOINTS}
        share = sum(r[1] for r in rows) / (len(rows) * max(CHECKPOINTS))
        print(f"{name:<10}" + "".join(f"{top1[c]:>10.2f}" for c in CHECKPOINTS) + f"{share:>12.2f}")
        if adaptive:
            line.update({f"weak_top1@{c}": top1[c] for c in CHECKPOINTS})
        line[f"weakest_share_{name}"] = share
    print(" ".join(f"{k}={v:.2f}" for k, v in line.items()))


def main() -> None:
    """Parse arguments and run the simulation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(simulate(args.learners, args.seed))


if __name__ == "__main__":
    main()
