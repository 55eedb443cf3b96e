"""Grading an explain-it answer by what it claims, calibrated on graded answers.

Signals, per answer:
- claims: each key point covered, contradicted or missing, clause by clause (bot.domain.claims);
- meaning: how close the answer's clauses come to each key point, in sentence embeddings;
- precedent: how close the whole answer comes to the question's graded examples, right and
  wrong (the nearest misconception names the mix-up);
- form: whether it is written as sentences at all, not a list of keywords.
A logistic model, fitted offline by bench/fit_open_grader.py and stored in
open_grader_weights.json beside this module, turns them into the probability that an examiner
passes the answer. When that probability is near the middle, or the signals pull apart, the
grade says it is unsure and the learner's self-rating decides.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from bot.domain.claims import (
    PointSpec,
    PointState,
    PointVerdict,
    clauses,
    judge_point,
    with_typos_fixed,
)
from bot.domain.lemmas import tokens
from bot.domain.lexicon import FUNCTION_WORDS
from bot.domain.questions import ExampleKind, OpenQuestion, Verdict
from bot.domain.semantic import Embedder, Vectors, default_embedder

WEIGHTS_FILE = Path(__file__).with_name("open_grader_weights.json")
MAX_CHARS = 4000
PASS_AT = 0.5
# Between these the grader does not trust itself and asks the learner to rate the answer.
UNSURE_LOW, UNSURE_HIGH = 0.3, 0.7
# An answer this close to a labelled misconception, and closer to it than to any right
# answer, is told which mix-up it reads like.
MIXUP_SIMILARITY = 0.8
# A clause this close to a key point's words says something near it.
NEAR_POINT = 0.5
FEATURES = (
    "covered",
    "contradicted",
    "point_similarity",
    "points_near",
    "nearest_right",
    "nearest_wrong",
    "model_answer",
    "prompt",
    "function_share",
    "length",
)


@dataclass(frozen=True)
class Reference:
    """A graded answer the grader compares new answers with."""

    text: str
    passes: bool
    mixup: str | None


@dataclass(frozen=True)
class QuestionModel:
    """A question's key points as phrases and vectors, and its graded answers as vectors."""

    specs: tuple[PointSpec, ...]
    weights: tuple[float, ...]
    vocabulary: frozenset[str]
    point_vectors: Vectors
    references: tuple[Reference, ...]
    reference_vectors: Vectors
    model_answer_vector: Vectors
    prompt_vector: Vectors
    model_answer_words: int


@dataclass(frozen=True)
class OpenJudgement:
    """The verdict on an explanation, with everything the feedback shows."""

    passed: bool
    probability: float
    unsure: bool
    credit: float
    points: tuple[PointVerdict, ...]
    mixup: str | None
    salad: bool


def _point_text(question: OpenQuestion, index: int) -> str:
    point = question.key_points[index]
    return " ".join((point.point, *point.synonyms))


def question_model(question: OpenQuestion, embedder: Embedder | None = None) -> QuestionModel:
    """Everything about a question the grader needs, built once per question version."""
    return _question_model(question, embedder or default_embedder())


@lru_cache(maxsize=4096)
def _question_model(question: OpenQuestion, embedder: Embedder) -> QuestionModel:
    specs = tuple(PointSpec.of(p) for p in question.key_points)
    vocabulary = frozenset(w for s in specs for w in s.vocabulary())
    references = [Reference(question.model_answer, True, None)] + [
        Reference(e.answer, e.verdict is Verdict.PASS, e.mixup)
        for e in question.examples
        if e.kind is not ExampleKind.PARTIAL or e.verdict is Verdict.PASS
    ]
    points = embedder.embed([_point_text(question, i) for i in range(len(specs))])
    refs = embedder.embed([r.text for r in references])
    extra = embedder.embed([question.model_answer, question.prompt])
    return QuestionModel(
        specs,
        tuple(p.weight for p in question.key_points),
        vocabulary,
        points,
        tuple(references),
        refs,
        extra[0],
        extra[1],
        max(len(tokens(question.model_answer)), 1),
    )


@dataclass(frozen=True)
class Signals:
    """The numbers the calibrated model reads, plus what the feedback needs."""

    values: dict[str, float]
    points: tuple[PointVerdict, ...]
    mixup: str | None
    nearest_right: float
    nearest_wrong: float


def _function_share(text: str) -> float:
    words = tokens(text)
    return sum(w in FUNCTION_WORDS for w in words) / len(words) if words else 0.0


def signals(
    question: OpenQuestion,
    answer: str,
    *,
    leave_out: str | None = None,
    embedder: Embedder | None = None,
    with_examples: bool = True,
) -> Signals:
    """Measure an answer; `leave_out` drops a graded example equal to it from the references.

    `with_examples=False` measures it as if the question had no graded examples (a server's
    own question), which is how the calibration learns to grade those too.
    """
    model = question_model(question, embedder)
    embedder = embedder or default_embedder()
    text = answer[:MAX_CHARS]
    parts = with_typos_fixed(clauses(text), set(model.vocabulary))
    verdicts = tuple(judge_point(spec, parts) for spec in model.specs)
    total = sum(model.weights)
    covered = sum(
        w for w, v in zip(model.weights, verdicts, strict=True) if v.state is PointState.COVERED
    )
    against = sum(
        w
        for w, v in zip(model.weights, verdicts, strict=True)
        if v.state is PointState.CONTRADICTED
    )
    vectors = (
        embedder.embed([c.text for c in parts] + [text])
        if parts
        else np.zeros((1, model.point_vectors.shape[1]), np.float32)
    )
    whole = vectors[-1]
    if len(vectors) > 1:
        per_point = (vectors[:-1] @ model.point_vectors.T).max(axis=0)
    else:
        per_point = np.zeros(len(model.specs), np.float32)
    weights = np.asarray(model.weights, dtype=np.float32)
    keep = [
        i
        for i, r in enumerate(model.references)
        if r.text != leave_out and (with_examples or i == 0)  # 0: the model answer
    ]
    sims = model.reference_vectors[keep] @ whole if keep else np.zeros(0, np.float32)
    kept = [model.references[i] for i in keep]
    right = [float(s) for s, r in zip(sims, kept, strict=True) if r.passes]
    wrong = [(float(s), r) for s, r in zip(sims, kept, strict=True) if not r.passes]
    nearest_right = max(right, default=0.0)
    nearest_wrong, closest_wrong = max(wrong, key=lambda x: x[0], default=(0.0, None))
    mixup = None
    close = nearest_wrong >= MIXUP_SIMILARITY and nearest_wrong > nearest_right
    if closest_wrong is not None and closest_wrong.mixup and close:
        mixup = closest_wrong.mixup
    words = len(tokens(text))
    values = {
        "covered": covered / total,
        "contradicted": against / total,
        "point_similarity": float((per_point * weights).sum() / weights.sum()),
        "points_near": float(((per_point >= NEAR_POINT) * weights).sum() / weights.sum()),
        "nearest_right": nearest_right,
        "nearest_wrong": nearest_wrong,
        "model_answer": float(model.model_answer_vector @ whole),
        "prompt": float(model.prompt_vector @ whole),
        "function_share": _function_share(text),
        # Relative to the model answer and capped there: completeness takes words, but
        # rambling past the model answer's length earns nothing.
        "length": min(words / model.model_answer_words, 1.0),
    }
    return Signals(values, verdicts, mixup, nearest_right, nearest_wrong)


@dataclass(frozen=True)
class Calibration:
    """A logistic model over the signals."""

    bias: float
    weights: dict[str, float]

    def probability(self, values: dict[str, float]) -> float:
        """P(an examiner passes the answer)."""
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in values.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def calibration() -> Calibration:
    """The reviewed weights shipped beside this module."""
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return Calibration(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})


def judge(
    question: OpenQuestion,
    answer: str,
    *,
    leave_out: str | None = None,
    embedder: Embedder | None = None,
    calibrated: Calibration | None = None,
) -> OpenJudgement:
    """Pass or fail, how sure, which points, and what credit."""
    measured = signals(question, answer, leave_out=leave_out, embedder=embedder)
    values = measured.values
    p = (calibrated or calibration()).probability(values)
    salad = len(tokens(answer)) > SALAD_MIN_WORDS and values["function_share"] < SALAD_SHARE
    # The claims and the precedent can disagree: every key point stated, yet the whole answer
    # reads closest to a labelled mix-up (embeddings do not see a denial). Then nobody is sure.
    lexical_pass = values["covered"] >= 0.6 and values["contradicted"] == 0
    mixup = measured.mixup if not lexical_pass else None
    passed = p >= PASS_AT and not salad and mixup is None
    precedent_fail = measured.nearest_wrong > measured.nearest_right + 0.05
    # Every key point stated, yet the model fails it (often a concise answer): ask, don't fail.
    claims_disagree = lexical_pass and (precedent_fail or p < PASS_AT)
    unsure = not salad and (UNSURE_LOW < p < UNSURE_HIGH or claims_disagree)
    share = max(values["covered"], values["points_near"]) - values["contradicted"]
    credit = min(max(share, 0.0), 1.0)
    credit = max(credit, 0.6) if passed else (0.0 if salad else min(credit, 0.5))
    return OpenJudgement(passed, p, unsure, round(credit, 3), measured.points, mixup, salad)


# Real sentences are a quarter or more grammar words; a list of keywords has almost none.
SALAD_SHARE = 0.12
SALAD_MIN_WORDS = 4


def warm_up(questions: list[OpenQuestion]) -> None:
    """Load the model and every question's vectors now (off the event loop), not on first use."""
    embedder = default_embedder()
    for question in questions:
        question_model(question, embedder)
    calibration()
