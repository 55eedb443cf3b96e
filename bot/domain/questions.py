"""The question bank's data model: one pydantic model per kind of question."""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
ID_MAX = 32
TAG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

QuestionId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX)]
Tag = Annotated[str, StringConstraints(pattern=TAG_PATTERN, max_length=40)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

# Choices that dodge the question instead of testing a misconception.
_LAZY_CHOICE = re.compile(
    r"\b(all|none|both|neither) of (the|these) (above|options|answers)\b", re.I
)


class Difficulty(StrEnum):
    """How hard a question is; drives points and adaptive selection."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Kind(StrEnum):
    """The four kinds of question the bank holds."""

    MCQ = "mcq"
    SHORT = "short"
    OPEN = "open"
    BEHAVIORAL = "behavioral"


class Competency(StrEnum):
    """What a behavioral prompt probes."""

    CONFLICT = "conflict"
    FAILURE = "failure"
    LEADERSHIP = "leadership"
    OWNERSHIP = "ownership"
    AMBIGUITY = "ambiguity"
    PRIORITISATION = "prioritisation"
    INFLUENCE = "influence"
    GROWTH = "growth"
    COLLABORATION = "collaboration"
    CUSTOMER_FOCUS = "customer-focus"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class QuestionBase(_Strict):
    """Fields every question carries, whatever its kind."""

    id: QuestionId
    topic: Annotated[str, StringConstraints(pattern=TAG_PATTERN, max_length=40)]
    difficulty: Difficulty
    tags: tuple[Tag, ...] = Field(min_length=1, max_length=8)
    prompt: str = Field(min_length=15, max_length=1000)
    explanation: str = Field(min_length=60, max_length=900)
    sources: tuple[Phrase, ...] = ()
    retired: bool = False

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(tags)) != len(tags):
            raise ValueError("tags repeat")
        return tags


class Choice(_Strict):
    """One option of a multiple-choice question."""

    text: str = Field(min_length=1, max_length=200)
    correct: bool = False
    why: str | None = Field(default=None, max_length=400)

    @field_validator("text")
    @classmethod
    def _no_lazy_choice(cls, text: str) -> str:
        if _LAZY_CHOICE.search(text):
            raise ValueError("choices like 'all of the above' test nothing; write a real option")
        return text


class McqQuestion(QuestionBase):
    """Multiple choice: 2–5 options, exactly one correct."""

    kind: Literal["mcq"]
    choices: tuple[Choice, ...] = Field(min_length=2, max_length=5)

    @field_validator("choices")
    @classmethod
    def _one_correct_no_duplicates(cls, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
        correct = sum(c.correct for c in choices)
        if correct != 1:
            raise ValueError(f"exactly one choice must be correct, found {correct}")
        seen = [" ".join(c.text.casefold().split()) for c in choices]
        if len(set(seen)) != len(seen):
            raise ValueError("two choices have the same text")
        return choices

    @property
    def correct_index(self) -> int:
        """Position of the correct choice."""
        return next(i for i, c in enumerate(self.choices) if c.correct)

    @staticmethod
    def letter(index: int) -> str:
        """The letter that names the option at `index`: 0 → A, 1 → B."""
        return chr(ord("A") + index)

    @property
    def letters(self) -> tuple[str, ...]:
        """The letters of this question's options, in order."""
        return tuple(self.letter(i) for i in range(len(self.choices)))


class NumericAnswer(_Strict):
    """A number answer accepted within an absolute tolerance."""

    value: float
    tolerance: float = Field(default=0.0, ge=0)
    unit: str | None = Field(default=None, max_length=20)


class ShortQuestion(QuestionBase):
    """A short typed answer: a term, a phrase or a number."""

    kind: Literal["short"]
    answers: tuple[Phrase, ...] = Field(min_length=1, max_length=10)
    aliases: tuple[Phrase, ...] = Field(default=(), max_length=20)
    numeric: NumericAnswer | None = None
    fuzzy_threshold: int = Field(default=85, ge=50, le=100)


class KeyPoint(_Strict):
    """One idea an open answer should contain, the words that show it, and those that deny it."""

    point: str = Field(min_length=3, max_length=300)
    synonyms: tuple[Phrase, ...] = Field(min_length=1, max_length=12)
    # Phrases that state the opposite or the usual mix-up ("forward KL seeks a single mode"):
    # an answer that says one of them in a clause contradicts the point.
    contradicts: tuple[Phrase, ...] = Field(default=(), max_length=12)
    weight: float = Field(default=1.0, gt=0, le=10)


class ExampleKind(StrEnum):
    """What a graded example answer illustrates."""

    STRONG = "strong"
    PARTIAL = "partial"
    MISCONCEPTION = "misconception"
    OFF_TOPIC = "off-topic"


class Verdict(StrEnum):
    """The verdict a grader should reach."""

    PASS = "pass"
    FAIL = "fail"


class GradedExample(_Strict):
    """An answer someone could give, with the verdict an expert grader reaches on it."""

    answer: str = Field(min_length=10, max_length=1200)
    kind: ExampleKind
    verdict: Verdict
    # 1-based numbers of the key points the answer covers.
    covers: tuple[Annotated[int, Field(ge=1, le=6)], ...] = ()
    # For a misconception: the mix-up in one line, shown to a learner whose answer reads like it.
    mixup: str | None = Field(default=None, min_length=10, max_length=200)

    @model_validator(mode="after")
    def _consistent(self) -> GradedExample:
        if self.kind is ExampleKind.STRONG and self.verdict is not Verdict.PASS:
            raise ValueError("a strong example must pass")
        if self.kind in (ExampleKind.MISCONCEPTION, ExampleKind.OFF_TOPIC) and (
            self.verdict is not Verdict.FAIL
        ):
            raise ValueError(f"a {self.kind.value} example must fail")
        if self.kind is ExampleKind.MISCONCEPTION and not self.mixup:
            raise ValueError("a misconception example needs `mixup`: the mix-up in one line")
        return self


class OpenQuestion(QuestionBase):
    """Explain it from first principles: graded claim by claim against its key points."""

    kind: Literal["open"]
    model_answer: str = Field(min_length=40, max_length=1200)
    key_points: tuple[KeyPoint, ...] = Field(min_length=2, max_length=6)
    examples: tuple[GradedExample, ...] = Field(default=(), max_length=16)

    @model_validator(mode="after")
    def _covers_exist(self) -> OpenQuestion:
        for example in self.examples:
            beyond = [n for n in example.covers if n > len(self.key_points)]
            if beyond:
                raise ValueError(
                    f"an example covers key point {beyond[0]}, but there are {len(self.key_points)}"
                )
        return self


class BehavioralQuestion(QuestionBase):
    """A tell-me-about-a-time prompt, answered in STAR form."""

    kind: Literal["behavioral"]
    competency: Competency
    strong_answer_shows: tuple[Phrase, ...] = Field(min_length=2, max_length=6)
    follow_ups: tuple[Phrase, ...] = Field(min_length=1, max_length=5)


Question = Annotated[
    McqQuestion | ShortQuestion | OpenQuestion | BehavioralQuestion,
    Field(discriminator="kind"),
]
AnyQuestion = McqQuestion | ShortQuestion | OpenQuestion | BehavioralQuestion


class QuestionFile(_Strict):
    """The shape of one bank file: a topic and its questions."""

    topic: Annotated[str, StringConstraints(pattern=TAG_PATTERN, max_length=40)]
    questions: list[dict[str, object]] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _must_be_mapping(cls, data: object) -> object:
        if not isinstance(data, dict):
            raise ValueError("a bank file is a mapping with 'topic' and 'questions'")
        return data


def content_hash(question: AnyQuestion) -> str:
    """A stable hash of what a learner sees, so edits bump the stored version."""
    # Graded examples teach the grader; the learner never sees them.
    payload = question.model_dump(mode="json", exclude={"retired", "examples"})
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]
