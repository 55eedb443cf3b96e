"""STAR coaching for behavioral answers: structure, ownership, numbers, length and delivery."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import star_lexicon as lex
from bot.domain.grading import Grade
from bot.domain.questions import BehavioralQuestion
from bot.domain.text import fold, stem, words

PARTS = ("Situation", "Task", "Action", "Result")
WORDS_PER_MINUTE = 150
IDEAL_WORDS = (int(1.5 * WORDS_PER_MINUTE), 3 * WORDS_PER_MINUTE)  # a 1.5–3 minute spoken answer
MIN_WORDS = 60
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_NUMBER = re.compile(r"\d")
_CUES = {"Situation": lex.SITUATION, "Task": lex.TASK, "Action": lex.ACTION, "Result": lex.RESULT}
_STRONG_CORRECT_AT = 0.6


@dataclass(frozen=True)
class StarReport:
    """Everything the coach noticed, for an embed or the terminal."""

    score: float
    shares: dict[str, float]  # share of words per STAR part
    words: int
    spoken_minutes: float
    first_person_share: float  # "I" among I+we mentions
    quantified: bool
    fillers: tuple[str, ...]
    shows_covered: tuple[str, ...]
    shows_missed: tuple[str, ...]
    improvements: tuple[str, ...]


def _count(text: str, phrase: str) -> int:
    return (
        len(re.findall(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", text)) if phrase.strip() else 0
    )


def _label(sentence: str, index: int, total: int) -> str | None:
    text = " " + fold(sentence) + " "
    scores = {part: sum(_count(text, cue) for cue in cues) for part, cues in _CUES.items()}
    if _NUMBER.search(sentence) and index >= total / 2:
        scores["Result"] += 1
    best = max(scores.values())
    if best == 0:
        return None
    # Ties go to the part that fits the sentence's place in the story.
    position = index / max(total - 1, 1)
    order = (
        ["Situation", "Task", "Action", "Result"]
        if position < 0.5
        else ["Result", "Action", "Task", "Situation"]
    )
    return next(part for part in order if scores[part] == best)


def _shares(sentences: list[str]) -> dict[str, float]:
    labels: list[str] = []
    for i, sentence in enumerate(sentences):
        label = _label(sentence, i, len(sentences))
        if label is None:
            label = labels[-1] if labels else "Situation"
        labels.append(label)
    counts = dict.fromkeys(PARTS, 0)
    for sentence, label in zip(sentences, labels, strict=True):
        counts[label] += len(words(sentence))
    total = sum(counts.values()) or 1
    return {part: counts[part] / total for part in PARTS}


def _quantified(text: str) -> bool:
    folded = fold(text)
    if re.search(r"\d", folded) and any(unit in folded for unit in lex.QUANTITY_UNITS):
        return True
    return bool(re.search(r"\d+\s*%|\d+x\b|\$\s*\d", folded))


def _shows(question: BehavioralQuestion, vocab: set[str]) -> tuple[list[str], list[str]]:
    covered: list[str] = []
    missed: list[str] = []
    for item in question.strong_answer_shows:
        content = [stem(w) for w in words(item) if len(w) > 3]
        hits = sum(1 for w in content if w in vocab)
        (covered if content and hits / len(content) >= 0.34 else missed).append(item)
    return covered, missed


def coach(question: BehavioralQuestion, answer: str) -> StarReport:
    """Analyse a written behavioral answer; total on any input."""
    text = answer[:4000]
    sentences = [s for s in _SENTENCE.split(text.strip()) if words(s)]
    tokens = words(text)
    n = len(tokens)
    shares = _shares(sentences) if sentences else dict.fromkeys(PARTS, 0.0)
    singular = sum(1 for t in tokens if t in lex.FIRST_SINGULAR)
    plural = sum(1 for t in tokens if t in lex.FIRST_PLURAL)
    first_person = singular / (singular + plural) if singular + plural else 0.0
    folded = " " + fold(text) + " "
    fillers = tuple(p for p in (*lex.FILLER, *lex.HEDGE) if _count(folded, p))
    quantified = _quantified(text)
    vocab = {stem(t) for t in tokens}
    covered, missed = _shows(question, vocab)
    ends_with_result = (
        bool(sentences) and _label(sentences[-1], len(sentences) - 1, len(sentences)) == "Result"
    )
    score = _score(
        shares, n, first_person, quantified, len(fillers), covered, question, ends_with_result
    )
    improvements = _improvements(
        shares, n, first_person, quantified, fillers, missed, ends_with_result
    )
    return StarReport(
        score=score,
        shares=shares,
        words=n,
        spoken_minutes=round(n / WORDS_PER_MINUTE, 1),
        first_person_share=round(first_person, 2),
        quantified=quantified,
        fillers=fillers,
        shows_covered=tuple(covered),
        shows_missed=tuple(missed),
        improvements=improvements,
    )


def _length_score(n: int) -> float:
    low, high = IDEAL_WORDS
    if n < MIN_WORDS:
        return n / MIN_WORDS * 0.3
    if n < low:
        return 0.3 + 0.7 * (n - MIN_WORDS) / (low - MIN_WORDS)
    if n <= high:
        return 1.0
    return max(0.3, 1.0 - (n - high) / high)


def _score(
    shares: dict[str, float],
    n: int,
    first_person: float,
    quantified: bool,
    fillers: int,
    covered: list[str],
    question: BehavioralQuestion,
    ends_with_result: bool,
) -> float:
    if n == 0:
        return 0.0
    present = sum(1 for part in PARTS if shares[part] >= 0.05) / 4
    action = min(shares["Action"] / 0.4, 1.0)
    result = (0.5 if shares["Result"] >= 0.05 else 0.0) + (0.25 if quantified else 0.0)
    result += 0.25 if ends_with_result else 0.0
    shows = len(covered) / len(question.strong_answer_shows)
    parts = (
        0.30 * present
        + 0.15 * action
        + 0.15 * result
        + 0.10 * min(first_person / 0.6, 1.0)
        + 0.10 * _length_score(n)
        + 0.15 * shows
        + 0.05 * max(0.0, 1.0 - fillers / 4)
    )
    return round(min(max(parts, 0.0), 1.0), 3)


def _improvements(
    shares: dict[str, float],
    n: int,
    first_person: float,
    quantified: bool,
    fillers: tuple[str, ...],
    missed: list[str],
    ends_with_result: bool,
) -> tuple[str, ...]:
    tips: list[str] = []
    if n == 0:
        return ("Write your story: the situation, your task, what you did, and what happened.",)
    missing = [part for part in PARTS if shares[part] < 0.05]
    if missing:
        tips.append(f"Add the missing part{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
    if shares["Situation"] + shares["Task"] > 0.5:
        tips.append("Cut the set-up: spend under a third of the answer on situation and task.")
    if shares["Action"] < 0.4 and "Action" not in missing:
        tips.append("Spend most of the answer on what *you* did and why you chose it.")
    if not quantified:
        tips.append("Quantify the result: a number, a percentage, time saved or users affected.")
    elif not ends_with_result:
        tips.append("End on the result and what you learned, not on the process.")
    if first_person < 0.5:
        tips.append("Say “I” for your own actions; “we” hides what you contributed.")
    low, high = IDEAL_WORDS
    if n < low:
        tips.append(f"Go deeper: {n} words is under a 1.5-minute answer (about {low} words).")
    elif n > high:
        tips.append(f"Tighten it: {n} words is over a 3-minute answer (about {high} words).")
    if fillers:
        tips.append(f"Drop filler and hedging: {', '.join(fillers[:4])}.")
    tips.extend(f"Show this: {item}" for item in missed[:2])
    return tuple(tips[:6])


def grade_behavioral(question: BehavioralQuestion, answer: str) -> tuple[Grade, StarReport]:
    """A Grade for the learning engine plus the full STAR report for display."""
    report = coach(question, answer)
    present = tuple(p for p in PARTS if report.shares[p] >= 0.05)
    missing = tuple(p for p in PARTS if p not in present)
    feedback = (
        f"STAR score {report.score:.0%}: {len(present)}/4 parts, "
        f"{report.shares['Action']:.0%} on action, about {report.spoken_minutes} min spoken."
    )
    grade = Grade(
        correct=report.score >= _STRONG_CORRECT_AT,
        credit=report.score,
        expected="; ".join(question.strong_answer_shows),
        feedback=feedback,
        matched=present,
        missed=missing,
    )
    return grade, report
