"""The loaded question bank: validated questions with fast lookups."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.bank import mcq_cues, open_gates, quality
from bot.bank.catalog import SEEDS_FILE, Topic, load_seed_coverage, load_topics
from bot.bank.loader import LoadedQuestion, bank_files, parse_file
from bot.bank.problems import BankError, Problem
from bot.domain.questions import AnyQuestion, Difficulty, Kind

DEFAULT_BANK_DIR = Path(__file__).resolve().parents[2] / "questions"
# The topic that holds the tell-me-about-a-time prompts; every other topic is a concept topic.
BEHAVIORAL_TOPIC = "behavioral"


@dataclass(frozen=True)
class Bank:
    """Every question by id, and the topics in display order."""

    topics: dict[str, Topic]
    questions: dict[str, AnyQuestion]
    _by_topic: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    # The bank never changes once loaded, so each filter's answer is worked out once.
    _active: dict[tuple[str | None, str | None, str | None], tuple[AnyQuestion, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _active_ids: dict[tuple[str | None, str | None, str | None], tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def build(cls, topics: dict[str, Topic], questions: Iterable[AnyQuestion]) -> Bank:
        """Index questions by id and topic."""
        by_id = {q.id: q for q in questions}
        by_topic: dict[str, list[str]] = {slug: [] for slug in topics}
        for q in by_id.values():
            by_topic.setdefault(q.topic, []).append(q.id)
        return cls(topics, by_id, {k: tuple(v) for k, v in by_topic.items()})

    def concept_topics(self) -> list[str]:
        """Every topic but the behavioral one, in display order."""
        return [slug for slug in self.topics if slug != BEHAVIORAL_TOPIC]

    def get(self, question_id: str) -> AnyQuestion | None:
        """The question with this id, retired or not."""
        return self.questions.get(question_id)

    def active(
        self,
        topic: str | None = None,
        difficulty: Difficulty | None = None,
        kind: Kind | None = None,
    ) -> list[AnyQuestion]:
        """Questions that can be served, narrowed by the given filters."""
        key = (topic or None, difficulty, kind)
        found = self._active.get(key)
        if found is None:
            ids = self._by_topic.get(topic, ()) if topic else self.questions.keys()
            found = self._active[key] = tuple(
                q
                for q in (self.questions[i] for i in ids)
                if not q.retired
                and (difficulty is None or q.difficulty == difficulty)
                and (kind is None or q.kind == kind)
            )
        return list(found)  # the caller's own list: the cached one is never handed out

    def active_ids(
        self,
        topic: str | None = None,
        difficulty: Difficulty | None = None,
        kind: Kind | None = None,
    ) -> tuple[str, ...]:
        """The ids of active(topic, difficulty, kind), in the same order, worked out once."""
        key = (topic or None, difficulty, kind)
        ids = self._active_ids.get(key)
        if ids is None:
            ids = self._active_ids[key] = tuple(q.id for q in self.active(topic, difficulty, kind))
        return ids

    def __len__(self) -> int:
        return len(self.questions)


def validate(paths: Sequence[Path], bank_dir: Path) -> tuple[list[LoadedQuestion], list[Problem]]:
    """Validate files (or the whole bank) and return what loaded plus every problem."""
    topics = load_topics(bank_dir)
    files = bank_files(paths)
    whole_bank = any(p.resolve() == bank_dir.resolve() for p in paths)
    loaded: list[LoadedQuestion] = []
    problems: list[Problem] = []
    if not files:
        problems.append(
            Problem(str(paths[0]) if paths else str(bank_dir), 1, "", "", "no question files found")
        )
    for path in files:
        result = parse_file(path, set(topics))
        loaded.extend(result.questions)
        problems.extend(result.problems)
    problems.extend(quality.check_ids(loaded))
    problems.extend(quality.check_near_duplicates(loaded))
    for item in loaded:
        problems.extend(quality.check_question(item))
        problems.extend(open_gates.check_key_points(item))
        problems.extend(open_gates.check_examples(item))
        problems.extend(mcq_cues.check_absolutes(item))
    seeds = load_seed_coverage(bank_dir)
    if whole_bank and seeds is not None:
        problems.extend(quality.check_seed_coverage(loaded, seeds, str(bank_dir / SEEDS_FILE)))
    if whole_bank:
        problems.extend(mcq_cues.check_longest_share(loaded, str(bank_dir)))
    return loaded, sorted(problems)


def load_bank(bank_dir: Path = DEFAULT_BANK_DIR) -> Bank:
    """Load and validate the whole bank; raise BankError naming every problem."""
    if not bank_dir.is_dir():
        raise BankError([Problem(str(bank_dir), 1, "", "", "the question folder does not exist")])
    loaded, problems = validate([bank_dir], bank_dir)
    if problems:
        raise BankError(problems)
    return Bank.build(load_topics(bank_dir), (item.question for item in loaded))
