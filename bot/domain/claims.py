"""What an explanation claims, clause by clause: each key point covered, contradicted or missing.

A key point is *covered* when all the content words of one of its synonyms appear together in
one clause of the answer, and that clause does not deny them. It is *contradicted* when a clause
denies a synonym ("the label is not preserved"), says a synonym with one word swapped for its
opposite ("forward KL is mode-seeking" for "forward KL is mode-covering"), or says one of the
point's `contradicts` phrases without denying it. When a clause could be read both ways (the
same words, as in "flexibility lowers bias and raises variance"), the reading whose words come
in the phrase's order, then the one whose words sit closest together, wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.domain.lemmas import expand_negations, lemma
from bot.domain.lexicon import NEGATORS as _NEGATORS
from bot.domain.lexicon import canonical, word_set
from bot.domain.questions import KeyPoint

# Words a phrase may omit and still be said: articles, "be", and the grammar of a sentence.
# Direction words (more, less, before…) and negators are never ignored.
_IGNORED = word_set(
    """a an the of to in on for and or is are was were be been being by with as at it its
    that this these those from into which who than then so such also very just there their
    they them onto upon can will would could should may might do does did"""
)
# A clause ends at a sentence mark, or where a contrast starts a new claim.
_CLAUSE_BREAK = re.compile(
    r"(?<!\d)[.!?;:](?!\d)|\n|\(|\)|"
    r"\b(?:but|whereas|while|although|though|however|unlike|versus|vs|instead of|rather than"
    r"|as opposed to|in contrast|on the other hand|compared (?:with|to)|otherwise)\b",
    re.I,
)
# What follows "rather than" or "instead of" is the rejected alternative.
_REJECTING = re.compile(r"\b(?:instead of|rather than|as opposed to)\s*$", re.I)
_COMMA = re.compile(r",")
_TOKEN = re.compile(r"-?\d+(?:[.,]\d+)*%?|[^\W_]+(?:['’][^\W_]+)?", re.I)
MIN_FUZZY = 5
FUZZY_SCORE = 88


class PointState(StrEnum):
    """What an answer does with one key point."""

    COVERED = "covered"
    CONTRADICTED = "contradicted"
    MISSING = "missing"


@dataclass(frozen=True)
class Clause:
    """One claim of an answer: its words as lemmas, which of them are denied, and its text."""

    text: str
    words: tuple[str, ...]
    denied: tuple[bool, ...]
    positions: dict[str, tuple[int, ...]] = field(compare=False, repr=False)


@dataclass(frozen=True)
class PointVerdict:
    """A key point's state, and the clause that decided it."""

    state: PointState
    clause: str = ""


def _split_hyphens(word: str) -> list[str]:
    return [part for part in word.split("-") if part]


def words_of(text: str) -> list[str]:
    """Lemmas of a text, hyphenated words split into their parts, "n't" read as "not"."""
    expanded = expand_negations(text)
    out: list[str] = []
    for token in _TOKEN.findall(expanded.replace("−", "-")):
        for part in _split_hyphens(token.casefold()):
            out.append(lemma(part))
    return out


def _clause(text: str, rejected: bool) -> Clause | None:
    expanded = expand_negations(text)
    words: list[str] = []
    denied: list[bool] = []
    # A denial reaches to the next comma; what follows "rather than" is denied up to there too.
    scope = rejected
    for piece in _COMMA.split(expanded):
        for token in _TOKEN.findall(piece.replace("−", "-")):
            folded = token.casefold()
            if folded in _NEGATORS:
                words.append(lemma(folded))
                denied.append(False)
                scope = not scope  # "not … not" undoes itself
                continue
            for part in _split_hyphens(folded):
                words.append(lemma(part))
                denied.append(scope)
        scope = False
    if not words:
        return None
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        positions.setdefault(word, []).append(i)
    frozen = {k: tuple(v) for k, v in positions.items()}
    return Clause(text.strip(" ,;:\t\n"), tuple(words), tuple(denied), frozen)


def clauses(text: str) -> list[Clause]:
    """The answer cut into clauses at sentence marks and contrasts."""
    found: list[Clause] = []
    start, rejected = 0, False
    for match in _CLAUSE_BREAK.finditer(text):
        piece = text[start : match.start()]
        made = _clause(piece, rejected)
        if made is not None:
            found.append(made)
        rejected = bool(_REJECTING.search(text[: match.end()]))
        start = match.end()
    tail = _clause(text[start:], rejected)
    if tail is not None:
        found.append(tail)
    return found


@dataclass(frozen=True)
class Phrase:
    """A synonym, a flipped synonym or a contradiction, as the words it needs."""

    words: tuple[str, ...]  # in order, ignored words left out
    negators: int  # how many denials the phrase itself says ("cannot observe both")
    claims_point: bool  # True: saying it shows the point; False: saying it denies the point


def _content(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in _IGNORED)


@lru_cache(maxsize=16384)
def phrase_of(text: str, claims_point: bool) -> Phrase:
    """The words a phrase needs, and its own denials."""
    words = _content(words_of(text))
    negators = sum(w in _NEGATOR_LEMMAS for w in words)
    return Phrase(tuple(w for w in words if w not in _NEGATOR_LEMMAS), negators, claims_point)


_NEGATOR_LEMMAS = frozenset(lemma(w) for w in _NEGATORS)


def flips(phrase: Phrase) -> list[Phrase]:
    """The phrase with one word swapped for an opposite it does not already use."""
    opposites = canonical().opposites
    made = []
    for i, word in enumerate(phrase.words):
        for other in opposites.get(word, ()):
            if other in phrase.words:
                continue  # "precision and recall" names both; swapping one says nothing new
            words = (*phrase.words[:i], other, *phrase.words[i + 1 :])
            made.append(Phrase(words, phrase.negators, not phrase.claims_point))
    return made


@dataclass(frozen=True)
class PointSpec:
    """A key point's phrases, ready to match: synonyms, their flips, and contradictions."""

    phrases: tuple[Phrase, ...]

    @classmethod
    def of(cls, point: KeyPoint) -> PointSpec:
        """Build the phrases of one key point."""
        synonyms = [phrase_of(s, True) for s in point.synonyms]
        built: list[Phrase] = [p for p in synonyms if p.words]
        for synonym in synonyms:
            built.extend(f for f in flips(synonym) if f.words)
        built.extend(p for c in point.contradicts if (p := phrase_of(c, False)).words)
        return cls(tuple(dict.fromkeys(built)))

    def vocabulary(self) -> set[str]:
        """Every word any of the phrases needs."""
        return {w for p in self.phrases for w in p.words}


@dataclass(frozen=True)
class _Reading:
    phrase: Phrase
    in_order: bool
    span: int
    denied: bool

    @property
    def shows_point(self) -> bool:
        """Whether this reading of the clause says the point (True) or its opposite (False)."""
        return self.phrase.claims_point != self.denied

    def rank(self) -> tuple[int, int]:
        return (int(self.in_order), -self.span)


def _window(positions: Sequence[Sequence[int]]) -> tuple[int, int]:
    """The smallest (start, end) window holding one position of every list."""
    events = sorted((p, k) for k, plist in enumerate(positions) for p in plist)
    need, have, counts = len(positions), 0, [0] * len(positions)
    best = (events[0][0], events[-1][0])
    left = 0
    for pos, k in events:
        counts[k] += 1
        have += counts[k] == 1
        while have == need:
            start = events[left][0]
            if pos - start < best[1] - best[0]:
                best = (start, pos)
            counts[events[left][1]] -= 1
            have -= counts[events[left][1]] == 0
            left += 1
    return best


def _in_order(positions: Sequence[Sequence[int]]) -> bool:
    at = -1
    for plist in positions:
        nxt = [p for p in plist if p > at]
        if not nxt:
            return False
        at = nxt[0]
    return True


def _read(clause: Clause, phrase: Phrase) -> _Reading | None:
    try:
        positions = [clause.positions[w] for w in phrase.words]
    except KeyError:
        return None
    start, end = _window(positions)
    inside = [p for plist in positions for p in plist if start <= p <= end]
    # A phrase that says a denial itself ("cannot observe both") expects its words denied.
    denied = any(clause.denied[i] for i in inside) != (phrase.negators % 2 == 1)
    return _Reading(phrase, _in_order(positions), end - start + 1, denied)


def judge_point(spec: PointSpec, answer: Sequence[Clause]) -> PointVerdict:
    """Covered, contradicted or missing, and the clause that decided it."""
    contradicted = None
    for clause in answer:
        readings = [r for p in spec.phrases if (r := _read(clause, p)) is not None]
        if not readings:
            continue
        best = max(r.rank() for r in readings)
        top = [r for r in readings if r.rank() == best]
        views = {r.shows_point for r in top if not (r.denied and not r.phrase.claims_point)}
        # Denying a mix-up ("it is not mode-seeking") neither shows nor denies the point.
        if views == {True}:
            return PointVerdict(PointState.COVERED, clause.text)
        if views == {False} and contradicted is None:
            contradicted = PointVerdict(PointState.CONTRADICTED, clause.text)
    return contradicted or PointVerdict(PointState.MISSING)


def with_typos_fixed(answer: Sequence[Clause], vocabulary: set[str]) -> list[Clause]:
    """The clauses with misspelt words replaced by the question's word they nearly are."""
    known = sorted(w for w in vocabulary if len(w) >= MIN_FUZZY)
    fixed: dict[str, str] = {}
    out = []
    for clause in answer:
        words = list(clause.words)
        changed = False
        for i, word in enumerate(words):
            if word in vocabulary or len(word) < MIN_FUZZY or not known:
                continue
            if word not in fixed:
                hit = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE)
                fixed[word] = hit[0] if hit else word
            if fixed[word] != word:
                words[i], changed = fixed[word], True
        if changed:
            positions: dict[str, list[int]] = {}
            for i, word in enumerate(words):
                positions.setdefault(word, []).append(i)
            frozen = {k: tuple(v) for k, v in positions.items()}
            out.append(Clause(clause.text, tuple(words), clause.denied, frozen))
        else:
            out.append(clause)
    return out
