"""Grading short typed answers the way people type them.

Accepted: an answer or alias as written (case, punctuation, articles, plurals, and small
typos in words of five letters or more forgiven); the same with filler or an explanation
around it ("the softmax function", "Platt scaling (a sigmoid on held-out scores)"); a word
shortened ("panoptic seg"); and for numbers, the value that shown working ends on
("2 × 3 = 6"), number words ("one third") and percentages. Refused: two answers at once
("6 or 9", "softmax and sigmoid") and a denial ("not PCA"), even when one of them is right.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from bot.domain.grades import Grade
from bot.domain.lexicon import word_set
from bot.domain.numbers import read_number
from bot.domain.questions import ShortQuestion
from bot.domain.text import normalize, singular, words

MAX_ANSWER_CHARS = 4000
# Short words are too easy to confuse when misspelled ('gru' vs 'gpu'), so they must match exactly.
MIN_FUZZY_ANSWER = 4
MIN_FUZZY_WORD = 5
# A shortened word must keep this many letters and drop at least as many ("seg", "regularisation").
MIN_PREFIX, MIN_DROPPED = 3, 3
_INNER_HYPHEN = re.compile(r"(?<=\w)-")
# Where a term ends and its explanation begins.
_EXPLANATION = re.compile(
    r"\(|\)|,|;|:|\s[-–—]\s|\bi\.?e\.?(?=\s)|\be\.?g\.?(?=\s)|\ba\.?k\.?a\.?|\balso called\b"
    r"|\bknown as\b|\bas in\b|\bfrom\b|\bwith\b|\bof the\b|\bwhich\b|\bthat\b",
    re.I,
)
_PARENS = re.compile(r"\([^()]*\)")

_HEDGE = re.compile(r"\b(?:or|either|maybe|perhaps|not|vs|versus)\b|n['’]t\b|\?", re.I)
_AND = re.compile(r"\band\b|&|\+", re.I)
# Words that add nothing to a term: "it's called the softmax function".
_FILLER = word_set(
    """a an the it its is s called known as i think this that answer function method technique
    trick algorithm approach metric score loss layer model term dtype type operation process
    rule to of in for by using use via probably one named name value just basically simply we
    you would be are was here there so calibration network architecture strategy objective
    criterion mechanism"""
)


def _compact(text: str) -> str:
    # "drop out" = "drop-out" = "dropout", but a leading minus sign still counts.
    return _INNER_HYPHEN.sub("", text.replace(" ", ""))


def _same_word(said: str, wanted: str, threshold: int) -> bool:
    if said == wanted:
        return True
    if (
        len(said) >= MIN_PREFIX
        and wanted.startswith(said)
        and len(wanted) - len(said) >= MIN_DROPPED
    ):
        return True
    return (
        len(said) >= MIN_FUZZY_WORD
        and len(wanted) >= MIN_FUZZY_WORD
        and fuzz.ratio(said, wanted) >= threshold
    )


def _names_term(part: str, term: str, threshold: int) -> bool:
    """Whether a part of the answer names the term, with at most filler around it."""
    said = [singular(w) for w in words(part)]
    wanted = [singular(w) for w in words(term)]
    if not wanted or not said:
        return False
    if any(w.isdigit() for w in wanted):
        # "3 by 2" is not "2 by 3": numbers keep their order.
        said = [w for w in said if w not in _FILLER]
        it = iter(said)
        if not all(any(_same_word(w, word, threshold) for w in it) for word in wanted):
            return False
    unused = list(said)
    for word in wanted:
        hit = next((w for w in unused if _same_word(w, word, threshold)), None)
        if hit is None:
            return False
        unused.remove(hit)
    extra = [w for w in unused if w not in _FILLER]
    # A two-word term may carry one modifier ("a runaway feedback loop"); one word may not.
    return len(extra) <= (1 if len(wanted) >= 2 else 0)


def _offers_two(answer: str, accepted: list[str]) -> bool:
    """An answer that hedges, denies, or lists several terms (outside its explanations)."""
    outside = _PARENS.sub(" ", answer)
    head = _EXPLANATION.split(outside, maxsplit=1)[0]
    if _HEDGE.search(outside.split(",")[0]) or _HEDGE.search(head):
        return True
    takes_and = any(_AND.search(a) for a in accepted)
    if not takes_and and _AND.search(head):
        return True
    # "BLEU, ROUGE": a second short term after a comma is a list, not an explanation.
    parts = [p.strip() for p in outside.split(",")]
    if any(re.match(r"(?:or|maybe|perhaps|possibly)\b", p, re.I) for p in parts[1:]):
        return True  # "power, or possibly the confidence level"
    if len(parts) > 1:
        second = parts[1]
        if (
            second
            and len(words(second)) <= 3
            and not re.match(
                r"(?:a|an|the|i\.?e|e\.?g|aka|a\.k\.a|which|that|as|also|its|it|in|on|for|with)\b",
                second,
                re.I,
            )
            and not re.search(r"[\d=/()]", second)
        ):
            return True
    return False


def _term_correct(question: ShortQuestion, answer: str) -> tuple[str, bool] | None:
    """The accepted answer the text names (and whether only nearly), if it names one alone."""
    accepted = [a for a in (*question.answers, *question.aliases) if normalize(a)]
    if _offers_two(answer, accepted):
        return None
    parts = [p for p in (answer, *_EXPLANATION.split(answer)) if p and p.strip()]
    for exact in (True, False):
        # Exact words first, so a typo is only assumed when nothing matches as written.
        threshold = 101 if exact else question.fuzzy_threshold
        for term in accepted:
            if any(_names_term(p, term, threshold) for p in parts):
                return term, not exact
    return None


def _numeric_correct(question: ShortQuestion, answer: str) -> bool | None:
    """True or False for an answer that gives a number; None when it gives none."""
    spec = question.numeric
    if spec is None:
        return None
    reading = read_number(answer)
    if reading.value is None:
        return None
    if reading.hedged:
        return False
    candidates = [reading.value]
    # "50%" for 0.5, or "0.5" for 50%: both say the same thing.
    if reading.percent and spec.unit != "%":
        candidates.append(reading.value / 100)
    if spec.unit == "%" and not reading.percent and abs(reading.value) <= 1:
        candidates.append(reading.value * 100)
    # A value kept in millions (unit "million") may be typed out in full.
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9}.get((spec.unit or "").casefold())
    if scale:
        candidates.append(reading.value / scale)
    slack = spec.tolerance + 1e-9 * max(1.0, abs(spec.value))
    return any(abs(c - spec.value) <= slack for c in candidates)


def grade_short(question: ShortQuestion, answer: str) -> Grade:
    """Grade a typed answer: the term (with filler), then its number, then typo tolerance."""
    expected = question.answers[0]
    if question.numeric and question.numeric.unit and question.numeric.unit not in expected:
        expected = f"{expected} {question.numeric.unit}".strip()
    text = answer[:MAX_ANSWER_CHARS]
    given = normalize(text)
    if not given:
        return Grade(False, 0.0, expected, "No answer given.", missed=(expected,))
    for term in (*question.answers, *question.aliases):
        norm = normalize(term)
        if norm and (given == norm or _compact(given) == _compact(norm)):
            return Grade(True, 1.0, expected, "Correct.", matched=(term,))
    numeric = _numeric_correct(question, text)
    if numeric is True:
        return Grade(True, 1.0, expected, "Correct.", matched=(expected,))
    named = _term_correct(question, text)
    if named is not None and numeric is None:
        term, nearly = named
        feedback = (
            f"Correct (close enough to “{term}”; check the spelling)." if nearly else "Correct."
        )
        return Grade(True, 1.0, expected, feedback, matched=(term,))
    if _offers_two(text, list(question.answers)):
        feedback = "Not quite: give one answer. Offering two (or ruling one out) doesn't count."
        return Grade(False, 0.0, expected, feedback, missed=(expected,))
    return Grade(False, 0.0, expected, "Not quite.", missed=(expected,))
