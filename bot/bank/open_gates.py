"""Gates on explain-it questions: synonyms that say something, and graded examples of each kind."""

from __future__ import annotations

import re
from collections import Counter

from bot.bank.loader import LoadedQuestion
from bot.bank.problems import Problem
from bot.domain.claims import words_of
from bot.domain.lexicon import canonical
from bot.domain.questions import ExampleKind, OpenQuestion

# What every shipped explain-it question must carry, so the grader has references to compare.
REQUIRED_EXAMPLES = {ExampleKind.STRONG: 1, ExampleKind.MISCONCEPTION: 2, ExampleKind.PARTIAL: 1}
# A strong example "in other words" shares at most this share of its content words with the
# question's key points, so the grader is tested on meaning, not on echoed vocabulary.
MAX_ECHO_SHARE = 0.55
_SYMBOL = re.compile(r"[^A-Za-z\s-]")


def content_lemmas(text: str) -> list[str]:
    """The lemmas of a text that carry meaning (no function words; hyphen parts count apart)."""
    function_words = canonical().function_words
    return [w for w in words_of(text) if w not in function_words]


def synonym_problem(point: str, synonym: str) -> str | None:
    """Why a synonym cannot stand for its point, or None when it can.

    A synonym states the negation of its point when, apart from a denial or a word whose
    opposite the point uses, it says nothing the point does not ("not preserve the label",
    "change the label" for "preserve the label").
    """
    lexicon = canonical()
    words = content_lemmas(synonym)
    point_words = set(content_lemmas(point))
    if len(words) <= 1 and not _SYMBOL.search(synonym) and not set(words) & lexicon.terms_of_art:
        return (
            f"{synonym!r} is a single generic word; write the claim it stands for "
            "(two or more content words) or use a term of art"
        )
    said = set(words_of(synonym))
    # A point that is itself a denial ("we never observe both") may be said with any denial.
    point_denies = bool(set(words_of(point)) & lexicon.denials)
    denied = [] if point_denies else sorted(said & lexicon.denials)
    rest = set(words) - lexicon.denials
    if denied and rest and rest <= point_words:
        return f"{synonym!r} denies the point ({denied[0]!r}); move it to contradicts"
    for word in set(words) - point_words:
        others = rest - {word}
        if lexicon.opposites.get(word, frozenset()) & point_words and others <= point_words:
            return f"{synonym!r} uses {word!r} where the point says the opposite"
    return None


def check_key_points(item: LoadedQuestion) -> list[Problem]:
    """Synonyms that state their point (not a bare word, not its negation), contradictions apart."""
    q = item.question
    if not isinstance(q, OpenQuestion):
        return []
    problems = []
    for i, point in enumerate(q.key_points):
        for j, synonym in enumerate(point.synonyms):
            why = synonym_problem(point.point, synonym)
            if why:
                field = f"key_points.{i}.synonyms.{j}"
                problems.append(Problem(item.file, item.line, q.id, field, why))
        same = {s.casefold() for s in point.synonyms} & {c.casefold() for c in point.contradicts}
        if same:
            field = f"key_points.{i}.contradicts"
            msg = f"{sorted(same)[0]!r} is listed both as a synonym and as a contradiction"
            problems.append(Problem(item.file, item.line, q.id, field, msg))
    return problems


def echo_share(q: OpenQuestion, answer: str) -> float:
    """Share of an answer's content words that also appear in the key points or synonyms."""
    vocabulary = {
        w for p in q.key_points for text in (p.point, *p.synonyms) for w in content_lemmas(text)
    }
    words = content_lemmas(answer)
    return sum(w in vocabulary for w in words) / len(words) if words else 1.0


def check_examples(item: LoadedQuestion) -> list[Problem]:
    """A shipped explain-it question carries graded examples of each kind the grader learns from."""
    q = item.question
    if not isinstance(q, OpenQuestion) or q.retired:
        return []
    have = Counter(e.kind for e in q.examples)
    missing = [f"{n} {k.value}" for k, n in REQUIRED_EXAMPLES.items() if have[k] < n]
    problems = []
    if missing:
        msg = "needs graded examples: at least " + ", ".join(missing)
        problems.append(Problem(item.file, item.line, q.id, "examples", msg))
    strong = [e for e in q.examples if e.kind is ExampleKind.STRONG]
    if strong and min(echo_share(q, e.answer) for e in strong) > MAX_ECHO_SHARE:
        msg = (
            "every strong example reuses the key points' words; write one in other words "
            f"(at most {MAX_ECHO_SHARE:.0%} shared content words)"
        )
        problems.append(Problem(item.file, item.line, q.id, "examples", msg))
    return problems
