"""The bank's metadata files: known topics and the seed concepts it must cover."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.bank.problems import BankError, Problem

TOPICS_FILE = "topics.yaml"
SEEDS_FILE = "seed_concepts.yaml"


class Topic(BaseModel):
    """A topic learners can pick: slug, display name and one-line description."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
    name: str = Field(min_length=1, max_length=60)
    about: str = Field(min_length=1, max_length=200)


class _TopicsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topics: list[Topic] = Field(min_length=1)


class SeedConcept(BaseModel):
    """A concept from the seed documents and the tag that marks it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    tag: str
    topic: str


class _SeedsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_questions: int = Field(default=2, ge=1)
    concepts: dict[str, SeedConcept]


@dataclass(frozen=True)
class SeedCoverage:
    """The seed concepts and how many questions each needs."""

    min_questions: int
    concepts: dict[str, SeedConcept]


def _read(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BankError([Problem(str(path), 1, "", "", "missing file")]) from exc
    except yaml.YAMLError as exc:
        raise BankError([Problem(str(path), 1, "", "", f"invalid YAML: {exc}")]) from exc


def _errors(path: Path, exc: ValidationError) -> BankError:
    problems = [
        Problem(str(path), 1, "", ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()
    ]
    return BankError(problems)


def load_topics(bank_dir: Path) -> dict[str, Topic]:
    """Read topics.yaml, keeping its order."""
    path = bank_dir / TOPICS_FILE
    try:
        parsed = _TopicsFile.model_validate(_read(path))
    except ValidationError as exc:
        raise _errors(path, exc) from exc
    topics = {t.slug: t for t in parsed.topics}
    if len(topics) != len(parsed.topics):
        raise BankError([Problem(str(path), 1, "", "topics", "a topic slug repeats")])
    return topics


def load_seed_coverage(bank_dir: Path) -> SeedCoverage | None:
    """Read seed_concepts.yaml when the bank has one."""
    path = bank_dir / SEEDS_FILE
    if not path.exists():
        return None
    try:
        parsed = _SeedsFile.model_validate(_read(path))
    except ValidationError as exc:
        raise _errors(path, exc) from exc
    return SeedCoverage(parsed.min_questions, parsed.concepts)
