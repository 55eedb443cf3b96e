"""Fit the explain-it grader's calibration on the bank's graded examples; write the weights file.

    python bench/fit_open_grader.py            # fit, print the fit, write the weights
    python bench/fit_open_grader.py --check    # fit and compare with the committed weights only

Training answers: every graded example in the bank (each measured with itself left out of the
references, as a new answer would be), every model answer (pass), every prompt echoed back
(fail), every misconception padded with the model answer (fail: length buys nothing), and
every answer again as if its question had no graded examples (as a server's own question).
The evaluation set under bench/data/grading_eval is never used here: bench/grading_eval.py
measures the fitted grader on it. Weights are reviewed like code; the bot never fits at start-up.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bank.bank import load_bank
from bot.domain.open_answers import FEATURES, WEIGHTS_FILE, signals
from bot.domain.questions import OpenQuestion, Verdict

# Padded misconceptions teach that length buys nothing, without outvoting the real examples.
PADDED_WEIGHT = 0.15
# Questions without examples are rarer (servers' own): they count for half.
BARE_WEIGHT = 0.5
L2 = 1.0  # absolute: a prior of weight² / 2, whatever the row count


def training_rows() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature rows, labels (1 = pass) and a label for each row."""
    rows, labels, names = [], [], []
    for q in load_bank().active():
        if not isinstance(q, OpenQuestion):
            continue
        cases = [(e.answer, e.verdict is Verdict.PASS, f"{q.id}:{e.kind}") for e in q.examples]
        cases.append((q.model_answer, True, f"{q.id}:model"))
        cases.append((q.prompt, False, f"{q.id}:prompt"))
        # Length must not buy a pass: a misconception padded with the model answer still
        # states the mistake, and an examiner fails it.
        cases += [
            (f"{e.answer} {q.model_answer}", False, f"{q.id}:padded:{PADDED_WEIGHT}")
            for e in q.examples
            if e.kind == "misconception"
        ]
        for text, passes, name in cases:
            measured = signals(q, text, leave_out=text)
            rows.append([measured.values[f] for f in FEATURES])
            labels.append(1.0 if passes else 0.0)
            names.append(name)
            if ":padded" in name:
                continue
            # The same answer to a question without graded examples (a server's own question).
            bare = signals(q, text, leave_out=text, with_examples=False)
            rows.append([bare.values[f] for f in FEATURES])
            labels.append(1.0 if passes else 0.0)
            names.append(f"{name}:bare:{BARE_WEIGHT}")
    return np.asarray(rows), np.asarray(labels), names


def fit(
    x: np.ndarray, y: np.ndarray, rows: np.ndarray, steps: int = 50
) -> tuple[float, np.ndarray]:
    """L2-regularised logistic regression by Newton's method, classes weighted equally."""
    design = np.hstack([np.ones((len(x), 1)), x])
    balance = rows * np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * L2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (balance * (p - y)) + penalty @ w
        hessian = (design * (balance * p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), w[1:]


def main() -> int:
    """Fit, report, and write (or check) the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    x, y, names = training_rows()
    rows = np.asarray([float(n.rsplit(":", 1)[1]) if n.count(":") >= 2 else 1.0 for n in names])
    bias, weights = fit(x, y, rows)
    p = 1 / (1 + np.exp(-(bias + x @ weights)))
    right = (p >= 0.5) == (y == 1)
    print(f"{'feature':<18} weight")
    for name, value in zip(FEATURES, weights, strict=True):
        print(f"{name:<18} {value:+.3f}")
    print(f"{'bias':<18} {bias:+.3f}")
    wrong = [n for n, ok, r in zip(names, right, rows, strict=True) if not ok and r == 1.0]
    real = rows == 1.0
    print(
        f"rows={len(y)} passes={int(y.sum())} training_accuracy={right.mean():.3f} "
        f"on_examples={right[real].mean():.3f} padded_failed={1 - (~right[~real]).mean():.3f}"
    )
    print("misfits: " + ", ".join(wrong[:40]) + (" …" if len(wrong) > 40 else ""))
    payload = {
        "fitted": datetime.now(UTC).strftime("%Y-%m-%d"),
        "rows": len(y),
        "training_accuracy": round(float(right.mean()), 4),
        "bias": round(bias, 4),
        "weights": {n: round(float(v), 4) for n, v in zip(FEATURES, weights, strict=True)},
    }
    if args.check:
        committed = json.loads(WEIGHTS_FILE.read_text())
        # Linear algebra may differ in the last digits between machines; 0.01 is a real change.
        fresh = {**payload["weights"], "bias": payload["bias"]}
        stored = {**committed["weights"], "bias": committed["bias"]}
        same = fresh.keys() == stored.keys() and all(
            abs(fresh[k] - stored[k]) < 0.01 for k in fresh
        )
        print("weights: " + ("up to date" if same else "differ: run bench/fit_open_grader.py"))
        return 0 if same else 1
    WEIGHTS_FILE.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
