"""The grade every grader returns: a verdict, credit, what was covered, and what to say."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.claims import PointState


@dataclass(frozen=True)
class PointResult:
    """One key point of an explanation: covered, contradicted (with the clause) or missing."""

    point: str
    state: PointState
    clause: str = ""


@dataclass(frozen=True)
class Grade:
    """How an answer did: credit 0–1, what it hit and missed, and feedback to show."""

    correct: bool
    credit: float
    expected: str
    feedback: str
    matched: tuple[str, ...] = field(default_factory=tuple)
    missed: tuple[str, ...] = field(default_factory=tuple)
    # Explain-it answers: every key point's state, and how sure the grader is.
    points: tuple[PointResult, ...] = field(default_factory=tuple)
    unsure: bool = False
    confidence: float = 1.0
    mixup: str | None = None

    @property
    def contradicted(self) -> tuple[PointResult, ...]:
        """The key points the answer stated the opposite of."""
        return tuple(p for p in self.points if p.state is PointState.CONTRADICTED)


MARKS = {PointState.COVERED: "✓", PointState.CONTRADICTED: "✗", PointState.MISSING: "·"}
QUOTE_CHARS = 140


def point_line(result: PointResult) -> str:
    """One key point as the feedback shows it: ✓ covered, ✗ contradicted (quoted), · missing."""
    mark = MARKS[result.state]
    if result.state is PointState.CONTRADICTED:
        said = result.clause if len(result.clause) <= QUOTE_CHARS else result.clause[:139] + "…"
        return f"{mark} {result.point}: you said the opposite, “{said}”"
    if result.state is PointState.MISSING:
        return f"{mark} {result.point} (missing)"
    return f"{mark} {result.point}"
