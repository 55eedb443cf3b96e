"""Text normalisation shared by the graders and the bank's quality gates."""

from __future__ import annotations

import re
import unicodedata

_ARTICLES = frozenset({"a", "an", "the"})
_NON_WORD = re.compile(r"[^\w\s.%+-]|_")
_SPACES = re.compile(r"\s+")
# A minus sign that starts a token is kept ("-8" is not "8", "-inf" is not "inf"); one inside
# a hyphenated word ("well-known") is not.
_WORD = re.compile(r"(?<![\w-])-?(?:[0-9]+(?:\.[0-9]+)?%?|[^\W_]+)|[0-9]+(?:\.[0-9]+)?%?|[^\W_]+")


def fold(text: str) -> str:
    """Unicode-normalise and case-fold, turning '&' into 'and'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # Symbols learners type for answers that would otherwise vanish with the punctuation.
    text = text.replace("−", "-").replace("∞", "infinity")
    return text.replace("&", " and ")


def words(text: str) -> list[str]:
    """Split into folded words and numbers, dropping punctuation."""
    return _WORD.findall(fold(text))


def singular(word: str) -> str:
    """A crude singular: enough to match 'embeddings' with 'embedding'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stem(word: str) -> str:
    """A light stem so word forms meet: points/pointed/pointing → point, agrees/agreed → agre."""
    word = singular(word)
    if len(word) > 4 and word.endswith("eed"):
        word = word[:-1]  # agreed → agree (then agre below); "need" and "seed" stay whole
    elif len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        word = word[:-2]  # matches → match (after "ches"), boxes → box
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and not word.endswith("eed"):
            word = word[: -len(suffix)]
            # running → run, stopped → stop: undo the doubled consonant the suffix added.
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]
            break
    # A final silent e is dropped so that normalise/normalised and agree/agreed meet.
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def normalize(text: str) -> str:
    """Canonical form for comparing answers: folded words, no articles, singular."""
    kept = [singular(w) for w in words(text) if w not in _ARTICLES]
    return " ".join(kept)


def squash(text: str) -> str:
    """Folded text with punctuation dropped and whitespace collapsed."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()


def storable(text: str) -> str:
    """Text without NUL characters, which PostgreSQL's text and JSON types cannot hold.

    Members can type anything into a form (or a file), and a NUL is never meaningful in an
    answer, a report or a question, so it is dropped before storing rather than failing the
    whole unit of work.
    """
    return text.replace("\x00", "")
