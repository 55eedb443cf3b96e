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
    """A light stem ('pointing', 'pointed', 'points' → 'point') for matching explanations."""
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    return singular(word)


def normalize(text: str) -> str:
    """Canonical form for comparing answers: folded words, no articles, singular."""
    kept = [singular(w) for w in words(text) if w not in _ARTICLES]
    return " ".join(kept)


def squash(text: str) -> str:
    """Folded text with punctuation dropped and whitespace collapsed."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()
