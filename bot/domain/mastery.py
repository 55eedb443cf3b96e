"""Topic mastery: a Gaussian belief about skill, updated like an Elo rating with uncertainty.

Skill θ lives on a logit scale. P(correct) = σ(θ − b), where b is the question's difficulty.
After each answer with credit y ∈ [0, 1] (a Laplace-approximate Bayesian update):

    p     = σ(μ − b)
    var'  = 1 / (1/var + p(1 − p))
    μ'    = μ + var' (y − p)

Uncertainty grows back slowly while a topic is not practised (skills fade), up to the prior.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from bot.domain.questions import Difficulty

PRIOR_MEAN = 0.0
PRIOR_VAR = 1.5
DRIFT_PER_DAY = 0.01
MIN_EVIDENCE = 3
WEAK_MARGIN = 1.0
DIFFICULTY_OFFSET = {Difficulty.EASY: -1.0, Difficulty.MEDIUM: 0.0, Difficulty.HARD: 1.0}


def sigmoid(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass(frozen=True)
class Skill:
    """Belief about one user's skill in one topic."""

    mean: float = PRIOR_MEAN
    var: float = PRIOR_VAR
    attempts: int = 0

    @property
    def level(self) -> float:
        """Chance of answering a medium question right, 0–1: what the UI shows as mastery."""
        return sigmoid(self.mean)

    @property
    def confidence(self) -> float:
        """0 with no evidence, approaching 1 as uncertainty shrinks."""
        return max(0.0, 1.0 - math.sqrt(self.var / PRIOR_VAR))

    @property
    def enough_evidence(self) -> bool:
        """Whether the estimate rests on enough answers to call a topic weak."""
        return self.attempts >= MIN_EVIDENCE


def decay(skill: Skill, last: datetime | None, now: datetime) -> Skill:
    """Widen uncertainty for the time a topic went unpractised."""
    if last is None:
        return skill
    days = max(0.0, (now - last).total_seconds() / 86400)
    return Skill(skill.mean, min(PRIOR_VAR, skill.var + DRIFT_PER_DAY * days), skill.attempts)


def update(skill: Skill, difficulty: Difficulty, credit: float) -> Skill:
    """The belief after one answer with the given credit."""
    y = min(max(credit, 0.0), 1.0)
    p = sigmoid(skill.mean - DIFFICULTY_OFFSET[difficulty])
    var = 1.0 / (1.0 / skill.var + p * (1.0 - p))
    return Skill(skill.mean + var * (y - p), var, skill.attempts + 1)


def preferred_difficulty(skill: Skill) -> Difficulty:
    """The difficulty whose success chance is closest to a productive ~70%."""
    target = 0.7
    return min(
        DIFFICULTY_OFFSET,
        key=lambda d: abs(sigmoid(skill.mean - DIFFICULTY_OFFSET[d]) - target),
    )


def confidence_label(skill: Skill) -> str:
    """Words for the UI: how sure Gradient is about this estimate."""
    if not skill.enough_evidence:
        return "not enough answers yet"
    if skill.confidence >= 0.6:
        return "high confidence"
    if skill.confidence >= 0.35:
        return "medium confidence"
    return "low confidence"


def weak_score(skill: Skill) -> float:
    """An optimistic estimate (mean + one sd): a topic counts as weak only when it is surely low."""
    return skill.mean + WEAK_MARGIN * math.sqrt(skill.var)


def weakest(skills: dict[str, Skill], limit: int = 3) -> list[tuple[str, Skill]]:
    """Topics with enough evidence, surely-weakest first (a few unlucky answers are not enough)."""
    ranked = sorted(
        ((t, s) for t, s in skills.items() if s.enough_evidence),
        key=lambda ts: (weak_score(ts[1]), ts[0]),
    )
    return ranked[:limit]
