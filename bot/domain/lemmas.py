"""Word forms that meet: simplemma's English lemmas for irregular forms, a light stem for the rest.

simplemma's full English table takes about 22 MB in memory. Only the forms whose lemma a light
stem would not find (went → go, mice → mouse, chosen → choose) change a match, so those ten
thousand are kept and the table is dropped: about 1 MB, built once per process in ~0.4 s.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from bot.domain.text import fold, stem

# "doesn't" → "does not"; "can't" → "can not"; "won't" → "will not".
_NOT = re.compile(r"\b(ca|wo|sha)n['’]t\b|n['’]t\b", re.I)
_NOT_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}
_TOKEN = re.compile(r"-?\d+(?:[.,]\d+)*%?|[^\W_]+(?:-[^\W_]+)*")


def _build() -> dict[str, str]:
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    table: dict[str, str] = {}
    for raw_form, raw_lemma in DefaultDictionaryFactory().get_dictionary("en").items():
        form, base = raw_form.casefold(), raw_lemma.casefold()
        if " " not in form and stem(form) != stem(base):
            table[form] = base
    return table


@cache
def irregular_forms() -> dict[str, str]:
    """The irregular-form table, built on first use (warm it off the event loop at start-up)."""
    return _build()


# Stemming must never turn a word into a denial ("note" → "not").
_DENIALS = frozenset({"not", "no", "nor", "none", "never"})


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The canonical form of one folded word: its lemma, lightly stemmed."""
    if "-" in word:
        return "-".join(lemma(part) for part in word.split("-") if part)
    made = stem(irregular_forms().get(word, word))
    return word if made in _DENIALS and word not in _DENIALS else made


def expand_negations(text: str) -> str:
    """The text with "n't" written out: "doesn't" → "does not", "can't" → "can not"."""
    return _NOT.sub(lambda m: _NOT_STEMS.get((m.group(1) or "").lower(), "") + " not", text)


def tokens(text: str) -> list[str]:
    """Folded word tokens with "n't" read as "not"; hyphenated words stay whole."""
    return _TOKEN.findall(fold(expand_negations(text)))


def lemmas(text: str) -> list[str]:
    """The canonical form of every token in a text, in order."""
    return [lemma(t) for t in tokens(text)]
