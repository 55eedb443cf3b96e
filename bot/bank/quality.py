"""Quality gates over the whole bank: duplicates, give-aways, explanation shape, coverage."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from bot.bank.catalog import SeedCoverage
from bot.bank.loader import LoadedQuestion
from bot.bank.problems import Problem
from bot.domain.questions import McqQuestion, ShortQuestion
from bot.domain.text import normalize

NEAR_DUPLICATE_SCORE = 90
MIN_SENTENCES, MAX_SENTENCES = 2, 6
# An answer longer than this many times the mean distractor is a give-away by length.
MAX_CORRECT_LENGTH_RATIO = 2.0

# Full stops that do not end a sentence: abbreviations and decimals.
_NOT_AN_END = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|fig|eq|no|al)\.|\d\.\d", re.I)
_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)(?=\s|$)")


def sentence_count(text: str) -> int:
    """Sentences in a paragraph, not fooled by 'e.g.' or '0.5'."""
    cleaned = _NOT_AN_END.sub("x", text.strip())
    ends = len(_SENTENCE_END.findall(cleaned))
    # Text that trails off without a full stop still holds a sentence.
    return ends + (0 if cleaned.endswith((".", "!", "?", '"', ")")) else 1)


def check_ids(loaded: Sequence[LoadedQuestion]) -> list[Problem]:
    """Every id appears once across the whole bank."""
    first: dict[str, LoadedQuestion] = {}
    problems = []
    for item in loaded:
        qid = item.question.id
        if qid in first:
            where = f"{first[qid].file}:{first[qid].line}"
            problems.append(
                Problem(item.file, item.line, qid, "id", f"duplicate id, first at {where}")
            )
        else:
            first[qid] = item
    return problems


def check_near_duplicates(loaded: Sequence[LoadedQuestion]) -> list[Problem]:
    """Flag prompts that say nearly the same thing as another."""
    if len(loaded) < 2:
        return []
    prompts = [normalize(item.question.prompt) for item in loaded]
    scores = process.cdist(
        prompts, prompts, scorer=fuzz.token_sort_ratio, score_cutoff=NEAR_DUPLICATE_SCORE
    )
    problems = []
    for i, j in zip(*scores.nonzero(), strict=True):
        if i < j:
            a, b = loaded[i], loaded[j]
            where = f"{a.file}:{a.line} ({a.question.id})"
            msg = f"prompt nearly duplicates {where} (similarity {scores[i, j]:.0f})"
            problems.append(Problem(b.file, b.line, b.question.id, "prompt", msg))
    return problems


def _contains(haystack: str, needle: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def check_question(item: LoadedQuestion) -> list[Problem]:
    """Per-question gates: explanation shape and answers given away."""
    q = item.question
    problems = []
    sentences = sentence_count(q.explanation)
    if not MIN_SENTENCES <= sentences <= MAX_SENTENCES:
        msg = f"explain in {MIN_SENTENCES}-{MAX_SENTENCES} sentences, found {sentences}"
        problems.append(Problem(item.file, item.line, q.id, "explanation", msg))
    prompt = normalize(q.prompt)
    if isinstance(q, ShortQuestion):
        for answer in (*q.answers, *q.aliases):
            norm = normalize(answer)
            if len(norm) >= 4 and not norm.replace(".", "").isdigit() and _contains(prompt, norm):
                msg = f"the prompt gives away the answer {answer!r}"
                problems.append(Problem(item.file, item.line, q.id, "prompt", msg))
    if isinstance(q, McqQuestion):
        correct = q.choices[q.correct_index]
        norm = normalize(correct.text)
        if len(norm) >= 12 and _contains(prompt, norm):
            problems.append(
                Problem(
                    item.file, item.line, q.id, "prompt", "the prompt quotes the correct choice"
                )
            )
        others = [len(c.text) for c in q.choices if not c.correct]
        mean = sum(others) / len(others)
        if len(correct.text) > MAX_CORRECT_LENGTH_RATIO * mean and len(correct.text) > 40:
            msg = "the correct choice is much longer than the others, which gives it away"
            problems.append(Problem(item.file, item.line, q.id, "choices", msg))
    return problems


def check_seed_coverage(
    loaded: Sequence[LoadedQuestion], seeds: SeedCoverage, seeds_file: str
) -> list[Problem]:
    """Each seed concept's tag is carried by enough questions."""
    # Behavioral stories may touch a concept, but only concept questions teach it.
    counts = Counter(
        tag for item in loaded if item.question.kind != "behavioral" for tag in item.question.tags
    )
    problems = []
    for concept, info in seeds.concepts.items():
        have = counts[info.tag]
        if have < seeds.min_questions:
            need = seeds.min_questions
            msg = f"seed concept {concept!r} has {have} questions tagged {info.tag!r}, needs {need}"
            problems.append(Problem(seeds_file, 1, "", "concepts", msg))
    return problems


def by_topic(loaded: Sequence[LoadedQuestion]) -> dict[str, list[LoadedQuestion]]:
    """Group loaded questions by topic."""
    groups: dict[str, list[LoadedQuestion]] = defaultdict(list)
    for item in loaded:
        groups[item.question.topic].append(item)
    return dict(groups)
