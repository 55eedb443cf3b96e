"""Measure the graders on labelled answers they have never seen (bench/data/grading_eval).

    python bench/grading_eval.py              # every table, then the summary line
    python bench/grading_eval.py --misses     # also list every answer graded against its label

The sets are written for evaluation only, apart from the bank's graded examples (which the
grader compares with and bench/fit_open_grader.py fits on), so the figures measure how the
graders generalise. The last line is the summary:
  open_strong_pass=… open_wrong_pass=… open_partial_mean=… short_fn=… short_fp=…
  star_spearman=… p99_ms=…   (all on one line)
It also prints the resident memory the grader's model adds to a process that has already
imported what the bot imports (numpy and matplotlib).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bank.bank import Bank, load_bank
from bot.domain.grading import grade_open, grade_short
from bot.domain.open_answers import warm_up
from bot.domain.questions import BehavioralQuestion, OpenQuestion, ShortQuestion
from bot.domain.star import grade_behavioral

DATA = Path(__file__).resolve().parent / "data" / "grading_eval"
WRONG = ("misconception", "off-topic", "salad")


def resident_mb() -> float:
    """This process's resident memory."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def load(name: str) -> list[dict[str, Any]]:
    """One labelled set."""
    answers: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text())["answers"]
    return answers


def ranks(values: list[float]) -> list[float]:
    """Average ranks (1-based), ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    """Spearman's rank correlation."""
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return cov / var if var else 0.0


def evaluate_open(bank: Bank, misses: bool, timings: list[float]) -> dict[str, float]:
    """Pass rates per category of explain-it answer."""
    by_category: dict[str, list[tuple[bool, float]]] = defaultdict(list)
    unsure = 0
    for item in load("open.yaml"):
        q = bank.get(item["question"])
        assert isinstance(q, OpenQuestion), item["question"]
        start = time.perf_counter()
        grade = grade_open(q, item["answer"])
        timings.append((time.perf_counter() - start) * 1000)
        unsure += grade.unsure
        by_category[item["category"]].append((grade.correct, grade.credit))
        if misses and grade.correct != (item["verdict"] == "pass"):
            print(f"  miss {q.id} {item['category']}: {grade.correct} p={grade.confidence:.2f}")
            print(f"       {item['answer'][:160]}")
    print(f"\nExplain-it answers ({sum(map(len, by_category.values()))}, unsure {unsure})")
    print(f"{'category':<15}{'n':>5}{'passed':>9}{'mean credit':>13}")
    for category in ("strong", "partial", *WRONG):
        rows = by_category.get(category, [])
        if rows:
            passed = sum(p for p, _ in rows) / len(rows)
            credit = statistics.fmean(c for _, c in rows)
            print(f"{category:<15}{len(rows):>5}{passed:>9.2f}{credit:>13.2f}")
    # Robustness: the same misconceptions padded with the model answer must still fail.
    padded = [
        grade_open(q, f"{item['answer']} {q.model_answer}").correct
        for item in load("open.yaml")
        if item["category"] == "misconception"
        and isinstance(q := bank.get(item["question"]), OpenQuestion)
    ]
    print(f"{'padded wrong':<15}{len(padded):>5}{sum(padded) / len(padded):>9.2f}")
    wrong = [p for c in WRONG for p, _ in by_category.get(c, [])]
    return {
        "open_strong_pass": sum(p for p, _ in by_category["strong"]) / len(by_category["strong"]),
        "open_wrong_pass": sum(wrong) / len(wrong),
        "open_partial_mean": statistics.fmean(c for _, c in by_category["partial"]),
    }


def evaluate_short(bank: Bank, misses: bool, timings: list[float]) -> dict[str, float]:
    """False negatives (right answers refused) and false positives (wrong ones accepted)."""
    by_category: dict[str, list[bool]] = defaultdict(list)
    fn = fp = right = wrong = 0
    for item in load("short.yaml"):
        q = bank.get(item["question"])
        assert isinstance(q, ShortQuestion), item["question"]
        start = time.perf_counter()
        accepted = grade_short(q, str(item["answer"])).correct
        timings.append((time.perf_counter() - start) * 1000)
        by_category[item["category"]].append(accepted)
        if item["correct"]:
            right += 1
            fn += not accepted
        else:
            wrong += 1
            fp += accepted
        if misses and accepted != item["correct"]:
            print(f"  miss {q.id} {item['category']}: {item['answer']!r} → {accepted}")
    print(f"\nShort answers ({right + wrong})")
    print(f"{'category':<15}{'n':>5}{'accepted':>10}")
    for category, rows in sorted(by_category.items()):
        print(f"{category:<15}{len(rows):>5}{sum(rows) / len(rows):>10.2f}")
    return {"short_fn": fn / right, "short_fp": fp / wrong}


def evaluate_star(bank: Bank, misses: bool, timings: list[float]) -> dict[str, float]:
    """How well the STAR score ranks stories against an interviewer's ratings."""
    ratings, scores = [], []
    by_rating: dict[int, list[float]] = defaultdict(list)
    for item in load("behavioral.yaml"):
        q = bank.get(item["question"])
        assert isinstance(q, BehavioralQuestion), item["question"]
        start = time.perf_counter()
        grade, _ = grade_behavioral(q, item["answer"])
        timings.append((time.perf_counter() - start) * 1000)
        ratings.append(float(item["rating"]))
        scores.append(grade.credit)
        by_rating[int(item["rating"])].append(grade.credit)
    print(f"\nBehavioral answers ({len(ratings)})")
    print(f"{'rating':<8}{'n':>4}{'mean score':>12}{'min':>7}{'max':>7}")
    for rating in sorted(by_rating):
        rows = by_rating[rating]
        print(
            f"{rating:<8}{len(rows):>4}{statistics.fmean(rows):>12.2f}{min(rows):>7.2f}{max(rows):>7.2f}"
        )
    if misses:
        for item, score in zip(load("behavioral.yaml"), scores, strict=True):
            print(f"  {item['question']} rated {item['rating']} scored {score:.2f}")
    return {"star_spearman": spearman(ratings, scores)}


def main() -> int:
    """Grade every labelled answer and print the tables and the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list answers graded wrongly")
    args = parser.parse_args()
    import matplotlib.pyplot  # noqa: F401  the bot imports it for /stats charts

    bank = load_bank()
    timings: list[float] = []
    # The model loads once per process, before anything is timed; its memory is measured.
    before = resident_mb()
    warm_up([q for q in bank.active() if isinstance(q, OpenQuestion)])
    model_mb = resident_mb() - before
    figures: dict[str, float] = {}
    figures |= evaluate_open(bank, args.misses, timings)
    figures |= evaluate_short(bank, args.misses, timings)
    figures |= evaluate_star(bank, args.misses, timings)
    ordered = sorted(timings)
    figures["p99_ms"] = ordered[int(0.99 * (len(ordered) - 1))]
    p50 = statistics.median(ordered)
    print(f"\nGrading time per answer: p50 {p50:.2f} ms, p99 {figures['p99_ms']:.2f} ms")
    print(f"Grader memory: +{model_mb:.0f} MB resident once loaded (model, lemmas, vectors)")
    print(" ".join(f"{k}={v:.3f}" if k != "p99_ms" else f"{k}={v:.1f}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
