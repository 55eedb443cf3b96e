"""Grading of mcq, short and open answers: each returns a Grade that explains itself."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.domain.questions import KeyPoint, McqQuestion, OpenQuestion, ShortQuestion
from bot.domain.text import normalize, stem, words

MAX_ANSWER_CHARS = 4000
OPEN_CORRECT_AT = 0.6
WORD_FUZZ = 85
# Short words are too easy to confuse when misspelled ('gru' vs 'gpu'), so they must match exactly.
MIN_FUZZY_WORD = 5
MIN_FUZZY_ANSWER = 4

_NUMBER = re.compile(r"[-+−]?(?:\d[\d,_]*\.?\d*|\.\d+)(?:e[-+]?\d+)?", re.I)
_FRACTION = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)")
_INNER_HYPHEN = re.compile(r"(?<=\w)-")
_STOPWORDS = frozenset(
    {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "by"}
    | {"with", "as", "at", "it", "its", "that", "this", "from", "into"}
)


@dataclass(frozen=True)
class Grade:
    """How an answer did: credit 0–1, what it hit and missed, and feedback to show."""

    correct: bool
    credit: float
    expected: str
    feedback: str
    matched: tuple[str, ...] = field(default_factory=tuple)
    missed: tuple[str, ...] = field(default_factory=tuple)


def grade_mcq(question: McqQuestion, choice: int) -> Grade:
    """Grade a chosen option by its index."""
    right = question.choices[question.correct_index]
    expected = f"{chr(65 + question.correct_index)}. {right.text}"
    if not 0 <= choice < len(question.choices):
        return Grade(False, 0.0, expected, "That option does not exist.")
    if choice == question.correct_index:
        return Grade(True, 1.0, expected, "Correct.", matched=(right.text,))
    chosen = question.choices[choice]
    feedback = f"Not quite: you chose {chr(65 + choice)}."
    if chosen.why:
        feedback += f" {chosen.why}"
    return Grade(False, 0.0, expected, feedback, missed=(right.text,))


def parse_number(text: str) -> float | None:
    """The first number in the text, understanding '1,000', '1e-3', '−2', '50%' and '1/100'."""
    text = text.replace("−", "-")
    fraction = _FRACTION.search(text)
    if fraction is not None and float(fraction.group(2)) != 0:
        return float(fraction.group(1)) / float(fraction.group(2))
    match = _NUMBER.search(text)
    if match is None:
        return None
    raw = match.group().replace(",", "").replace("_", "")
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numeric_ok(question: ShortQuestion, answer: str) -> bool:
    spec = question.numeric
    if spec is None:
        return False
    value = parse_number(answer)
    if value is None:
        return False
    candidates = [value]
    # "50%" for 0.5, or "0.5" for 50%: both say the same thing.
    if "%" in answer and spec.unit != "%":
        candidates.append(value / 100)
    if spec.unit == "%" and "%" not in answer and abs(value) <= 1:
        candidates.append(value * 100)
    slack = spec.tolerance + 1e-9 * max(1.0, abs(spec.value))
    return any(abs(c - spec.value) <= slack for c in candidates)


def _compact(text: str) -> str:
    # "drop out" = "drop-out" = "dropout", but a leading minus sign still counts.
    return _INNER_HYPHEN.sub("", text.replace(" ", ""))


def grade_short(question: ShortQuestion, answer: str) -> Grade:
    """Grade a typed answer: normalised match, then numbers, then typo tolerance."""
    expected = question.answers[0]
    if question.numeric and question.numeric.unit and question.numeric.unit not in expected:
        expected = f"{expected} {question.numeric.unit}".strip()
    given = normalize(answer[:MAX_ANSWER_CHARS])
    if not given:
        return Grade(False, 0.0, expected, "No answer given.", missed=(expected,))
    accepted = {normalize(a): a for a in (*question.answers, *question.aliases)}
    accepted.pop("", None)
    compact = _compact(given)
    for norm, original in accepted.items():
        if given == norm or compact == _compact(norm):
            return Grade(True, 1.0, expected, "Correct.", matched=(original,))
    if _numeric_ok(question, answer):
        return Grade(True, 1.0, expected, "Correct.", matched=(expected,))
    if len(given) >= MIN_FUZZY_ANSWER:
        best = process.extractOne(
            given,
            [n for n in accepted if len(n) >= MIN_FUZZY_ANSWER],
            scorer=fuzz.ratio,
            score_cutoff=question.fuzzy_threshold,
        )
        if best is not None:
            original = accepted[best[0]]
            feedback = f"Correct (close enough to “{original}”; check the spelling)."
            return Grade(True, 1.0, expected, feedback, matched=(original,))
    return Grade(False, 0.0, expected, "Not quite.", missed=(expected,))


class _Vocabulary:
    """The distinct words of an answer, for exact and typo-tolerant look-ups."""

    def __init__(self, text: str) -> None:
        self.words = {stem(w) for w in words(text)}
        self._long = [w for w in self.words if len(w) >= MIN_FUZZY_WORD]
        self._cache: dict[str, bool] = {}

    def has(self, word: str) -> bool:
        if word in self.words:
            return True
        if len(word) < MIN_FUZZY_WORD:
            return False
        if word not in self._cache:
            hit = process.extractOne(word, self._long, scorer=fuzz.ratio, score_cutoff=WORD_FUZZ)
            self._cache[word] = hit is not None
        return self._cache[word]


def _phrase_words(phrase: str) -> list[str]:
    tokens = [stem(w) for w in words(phrase)]
    content = [t for t in tokens if t not in _STOPWORDS]
    return content or tokens


def key_point_hit(point: KeyPoint, vocabulary: _Vocabulary) -> bool:
    """A point counts when every content word of one of its synonyms is in the answer."""
    for synonym in point.synonyms:
        tokens = _phrase_words(synonym)
        if tokens and all(vocabulary.has(t) for t in tokens):
            return True
    return False


def grade_open(question: OpenQuestion, answer: str) -> Grade:
    """Grade an explanation by weighted coverage of the question's key points."""
    text = answer[:MAX_ANSWER_CHARS]
    vocabulary = _Vocabulary(text)
    hit = [p for p in question.key_points if vocabulary.words and key_point_hit(p, vocabulary)]
    missed = [p for p in question.key_points if p not in hit]
    total = sum(p.weight for p in question.key_points)
    credit = round(sum(p.weight for p in hit) / total, 3)
    if not vocabulary.words:
        feedback = "No answer given."
    elif not missed:
        feedback = "You covered every key point."
    elif hit:
        feedback = f"You covered {len(hit)} of {len(question.key_points)} key points."
    else:
        feedback = "Your answer did not cover the key points yet."
    return Grade(
        correct=credit >= OPEN_CORRECT_AT,
        credit=credit,
        expected=question.model_answer,
        feedback=feedback,
        matched=tuple(p.point for p in hit),
        missed=tuple(p.point for p in missed),
    )


def parse_choice(response: str, options: int) -> int | None:
    """'b', 'B', 'B)', '2' → 1; None when it names no option."""
    text = response.strip().rstrip(").:").strip().upper()
    if len(text) == 1 and "A" <= text <= chr(64 + options):
        return ord(text) - 65
    if text.isascii() and text.isdigit() and 1 <= int(text) <= options:
        return int(text) - 1
    return None
