"""Reading the number an answer ends on: working, number words, fractions and percentages."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUMBER = re.compile(r"[-+]?(?:\d[\d,_]*\.?\d*|\.\d+)(?:e[-+]?\d+)?%?", re.I)
_FRACTION = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)(?![\d.])")
# Where working hands over to its result: "… = 42", "≈ 0.64", "→ 7", "so about 6".
_RESULT = re.compile(r"=|≈|→|⇒|\bso\b|\btherefore\b|\bthus\b|\bgives\b|\bwhich is\b|:", re.I)
# Words that offer two answers, or deny one ("6 or 9", "maybe 64%", "not 0.5").
_HEDGE = re.compile(r"\bor\b|\beither\b|\bmaybe\b|\bperhaps\b|\bnot\b|\bn't\b|\?", re.I)
_PARENS = re.compile(r"\([^()]*\)")
_SCALED = re.compile(r"(\d(?:[\d,]*\d)?(?:\.\d+)?)\s*(thousand|million|billion|bn|k|m|b)\b", re.I)
_SCALE_OF = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
_SCALE_OF["b"] = 1e9


def _scaled(match: re.Match[str]) -> str:
    value = float(match.group(1).replace(",", "")) * _SCALE_OF[match.group(2).casefold()]
    return f"{value:.15g}"


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_PARTS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8,
    "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100,
}  # fmt: skip
_WORDS = re.compile(
    r"(?:(?:\b(?:a|an|and|" + "|".join([*_UNITS, *_SCALES, *_PARTS]) + r")\b)[\s-]*)+", re.I
)


@dataclass(frozen=True)
class Reading:
    """The number an answer gives, whether it was a percentage, and whether it hedged."""

    value: float | None
    percent: bool
    hedged: bool


def _words_to_number(words: list[str]) -> float | None:
    """'sixty four' → 64, 'one third' → 1/3, 'thirteen and a half' → 13.5, 'a quarter' → 0.25."""
    total, current, seen = 0.0, 0.0, False
    fraction, one_part = 0.0, False
    i = 0
    while i < len(words):
        word = words[i]
        if word in _PARTS and one_part:
            fraction += 1 / _PARTS[word]  # "and a half": one part, added to what came before
            one_part, seen = False, True
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0.0
            seen = True
        elif word in _PARTS:
            # "two thirds": the count so far is the numerator; "a quarter" means one.
            numerator = current or 1.0
            fraction += numerator / _PARTS[word]
            current = 0.0
            seen = True
        elif word in {"a", "an"}:
            one_part = i + 1 < len(words) and words[i + 1] in _PARTS
        i += 1
    if not seen:
        return None
    return total + current + fraction


def spell_out(text: str) -> str:
    """The text with number words written as numbers ("one third" → "0.333…")."""
    out: list[str] = []
    pos = 0
    for match in _WORDS.finditer(text):
        words = re.split(r"[\s-]+", match.group().strip().casefold())
        while words and words[-1] in {"a", "an", "and"}:
            words.pop()
        while words and words[0] in {"and"}:
            words.pop(0)
        value = _words_to_number(words) if words else None
        if value is None:
            continue
        out.append(text[pos : match.start()])
        out.append(f"{value:g} ")
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _number(raw: str) -> float | None:
    try:
        value = float(raw.rstrip("%").replace(",", "").replace("_", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_number(text: str) -> Reading:
    """The value an answer ends on: after its last "=", "≈", "→" or "so", or its only number."""
    text = text.replace("−", "-").replace("×", "*").replace("per cent", "%").replace("percent", "%")
    # "48k", "38.4 million", "0.1B": the scale multiplies the number before it.
    text = _SCALED.sub(_scaled, text)
    outside = _PARENS.sub(" ", text)
    text = spell_out(text)
    tail = text
    marks = list(_RESULT.finditer(text))
    if marks:
        tail = text[marks[-1].end() :]
    numbers = _values(tail)
    if not numbers:
        numbers = _values(text)
        tail = text
    if not numbers:
        return Reading(None, False, bool(_HEDGE.search(outside)))
    distinct = {round(v, 9) for v, _ in _values(spell_out(outside))}
    hedged = bool(_HEDGE.search(outside)) and len(distinct) > 1
    if not marks and len({round(v, 9) for v, _ in numbers}) > 1:
        hedged = True  # two numbers and no working: which one is the answer?
    value, percent = numbers[-1]
    return Reading(value, percent, hedged)


def _values(text: str) -> list[tuple[float, bool]]:
    found: list[tuple[float, bool]] = []
    spans: list[tuple[int, int]] = []
    for m in _FRACTION.finditer(text):
        denominator = float(m.group(2))
        if denominator:
            found.append((float(m.group(1)) / denominator, False))
            spans.append(m.span())
        else:
            # "3/0" is no number; its numerator is what was written.
            found.append((float(m.group(1)), False))
            spans.append(m.span())
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        value = _number(m.group())
        if value is not None:
            percent = m.group().endswith("%") or text[m.end() : m.end() + 2].strip() == "%"
            found.append((value, percent))
            spans.append(m.span())
    order = sorted(range(len(found)), key=lambda i: spans[i][0])
    return [found[i] for i in order]


def parse_number(text: str) -> float | None:
    """The value an answer gives, or None (kept for callers that want a single number)."""
    return read_number(text).value
