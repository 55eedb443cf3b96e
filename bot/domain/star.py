"""STAR coaching for behavioral answers: structure, ownership, numbers, length and delivery."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import star_lexicon as lex
from bot.domain.grades import Grade
from bot.domain.questions import BehavioralQuestion
from bot.domain.text import fold, stem, words

PARTS = ("Situation", "Task", "Action", "Result")
WORDS_PER_MINUTE = 150
IDEAL_WORDS = (int(1.5 * WORDS_PER_MINUTE), 3 * WORDS_PER_MINUTE)  # a 1.5–3 minute spoken answer
MIN_WORDS = 60
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
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
    lesson: bool = False
    blame: tuple[str, ...] = ()
    hypothetical: bool = False


def _count(text: str, phrase: str) -> int:
    return (
        len(re.findall(rf"(?<!\w){re.escape(phrase.strip())}(?!\w)", text)) if phrase.strip() else 0
    )


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    return any(_count(text, p) for p in phrases)


def _did(tokens: list[str], subjects: frozenset[str]) -> bool:
    """A subject from `subjects` followed closely by a past-tense verb of doing."""
    for i, token in enumerate(tokens):
        if token not in subjects:
            continue
        for verb in tokens[i + 1 : i + 4]:
            if verb in lex.IRREGULAR_PAST or (
                verb.endswith("ed") and len(verb) > 3 and verb not in lex.STATIVE_ED
            ):
                return True
    return False


@dataclass(frozen=True)
class _Sentence:
    text: str
    words: int
    parts: dict[str, float]  # how the sentence's words split between STAR parts
    i_did: bool
    we_did: bool
    measured: bool
    lesson: bool


_SUBJECT_I = frozenset({"i"})
_SUBJECT_WE = frozenset({"we"})


def _measured(text: str) -> bool:
    folded = fold(text)
    if re.search(r"\d+\s*%|\d+(?:\.\d+)?x\b|[$€£]\s*\d|\d\s*(?:ms|s|k|m)\b", folded):
        return True
    return bool(re.search(r"\d", folded)) and any(u in folded for u in lex.QUANTITY_UNITS)


def _read(sentence: str) -> _Sentence:
    """What a sentence does in the story: set the scene, take on a task, act, or report."""
    tokens = words(sentence)
    text = " " + fold(sentence) + " "
    i_did, we_did = _did(tokens, _SUBJECT_I), _did(tokens, _SUBJECT_WE)
    measured = _measured(sentence)
    lesson = _has(text, lex.LESSON)
    outcome = _has(text, lex.OUTCOME) or measured
    parts: dict[str, float]
    if lesson:
        parts = {"Result": 1.0}
    elif _has(text, lex.TASK) and not measured:
        # "I owned the retraining", "I was responsible for…": the task, even in the past tense.
        parts = {"Situation": 0.5, "Task": 0.5} if _has(text, lex.SITUATION) else {"Task": 1.0}
    elif outcome and (i_did or we_did):
        # "I cut p99 latency from 800 to 120 ms": an action and its measured result at once.
        parts = {"Action": 0.5, "Result": 0.5} if measured else {"Action": 1.0}
    elif outcome:
        parts = {"Result": 1.0}
    elif i_did or we_did:
        parts = {"Action": 1.0}
    elif _has(text, lex.SITUATION):
        parts = {"Situation": 1.0}
    else:
        parts = {}
    return _Sentence(sentence, len(tokens), parts, i_did, we_did, measured, lesson)


def _shares(read: list[_Sentence]) -> dict[str, float]:
    counts = dict.fromkeys(PARTS, 0.0)
    previous: dict[str, float] = {"Situation": 1.0}
    for sentence in read:
        # A sentence with no cue of its own carries on the part before it.
        parts = sentence.parts or previous
        for part, share in parts.items():
            counts[part] += share * sentence.words
        previous = parts
    total = sum(counts.values()) or 1.0
    return {part: counts[part] / total for part in PARTS}


def _shows(question: BehavioralQuestion, vocab: set[str]) -> tuple[list[str], list[str]]:
    covered: list[str] = []
    missed: list[str] = []
    for item in question.strong_answer_shows:
        content = [stem(w) for w in words(item) if len(w) > 3]
        hits = sum(1 for w in content if w in vocab)
        (covered if content and hits / len(content) >= 0.34 else missed).append(item)
    return covered, missed


@dataclass(frozen=True)
class _Story:
    """The measurements the score and the tips share."""

    shares: dict[str, float]
    words: int
    first_person: float
    i_actions: int
    we_actions: int
    result: bool
    quantified: bool
    lesson: bool
    blame: tuple[str, ...]
    hypothetical: bool
    fillers: tuple[str, ...]
    shows: float


def coach(question: BehavioralQuestion, answer: str) -> StarReport:
    """Analyse a written behavioral answer; total on any input."""
    text = answer[:4000]
    sentences = [s for s in _SENTENCE.split(text.strip()) if words(s)]
    read = [_read(s) for s in sentences]
    tokens = words(text)
    singular = sum(1 for t in tokens if t in lex.FIRST_SINGULAR)
    plural = sum(1 for t in tokens if t in lex.FIRST_PLURAL)
    folded = " " + fold(text) + " "
    results = [r for r in read if "Result" in r.parts]
    covered, missed = _shows(question, {stem(t) for t in tokens})
    story = _Story(
        shares=_shares(read) if read else dict.fromkeys(PARTS, 0.0),
        words=len(tokens),
        first_person=singular / (singular + plural) if singular + plural else 0.0,
        i_actions=sum(r.i_did for r in read),
        we_actions=sum(r.we_did and not r.i_did for r in read),
        result=bool(results),
        # Numbers anywhere in the second half: the story's measured stakes and outcome.
        quantified=any(r.measured for r in read[len(read) // 2 :])
        or any(r.measured for r in results),
        lesson=any(r.lesson for r in read),
        blame=tuple(p for p in lex.BLAME if _count(folded, p)),
        hypothetical=_has(folded, lex.HYPOTHETICAL) and sum(r.i_did for r in read) < 2,
        fillers=tuple(p for p in (*lex.FILLER, *lex.HEDGE) if _count(folded, p)),
        shows=len(covered) / len(question.strong_answer_shows),
    )
    return StarReport(
        score=_score(story),
        shares=story.shares,
        words=story.words,
        spoken_minutes=round(story.words / WORDS_PER_MINUTE, 1),
        first_person_share=round(story.first_person, 2),
        quantified=story.quantified,
        fillers=story.fillers,
        shows_covered=tuple(covered),
        shows_missed=tuple(missed),
        improvements=_improvements(story, missed),
        lesson=story.lesson,
        blame=story.blame,
        hypothetical=story.hypothetical,
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


def _score(story: _Story) -> float:
    """How an interviewer would rate it, from 0 to 1."""
    if story.words == 0:
        return 0.0
    actions = story.i_actions + story.we_actions
    context = 1.0 if story.shares["Situation"] + story.shares["Task"] >= 0.05 else 0.0
    action = min(story.shares["Action"] / 0.35, 1.0)
    ownership = 0.5 * min(story.first_person / 0.6, 1.0) + 0.5 * (
        story.i_actions / actions if actions else 0.0
    )
    result = 0.4 * story.result + 0.35 * story.quantified + 0.25 * story.lesson
    delivery = max(0.0, 1.0 - len(story.fillers) / 4)
    # A story needs room: two sentences cannot show a situation, actions and a result.
    total = (
        0.05 * context
        + 0.15 * action
        + 0.15 * ownership
        + 0.20 * result
        + 0.25 * _length_score(story.words)
        + 0.15 * story.shows
        + 0.05 * delivery
    )
    total -= min(0.3, 0.15 * len(story.blame))
    total -= 0.25 if story.hypothetical else 0.0
    return round(min(max(total, 0.0), 1.0), 3)


def _improvements(story: _Story, missed: list[str]) -> tuple[str, ...]:
    tips: list[str] = []
    if story.words == 0:
        return ("Write your story: the situation, your task, what you did, and what happened.",)
    if story.hypothetical:
        tips.append("Tell one real time it happened, in the past tense, not what you would do.")
    if story.blame:
        tips.append(
            "Own your part instead of blaming others: what did you do, and what would you change?"
        )
    if story.i_actions + story.we_actions == 0:
        tips.append("Add the Action: what did you do, step by step, and why?")
    elif story.i_actions == 0 or story.first_person < 0.5:
        tips.append("Say “I” for your own actions; “we” hides what you contributed.")
    elif story.shares["Action"] < 0.35:
        tips.append("Spend more of the answer on what *you* did and why you chose it.")
    if story.shares["Situation"] + story.shares["Task"] > 0.5:
        tips.append("Cut the set-up: spend under a third of the answer on situation and task.")
    if not story.result:
        tips.append("Add the Result: what changed because of what you did?")
    elif not story.quantified:
        tips.append("Quantify the result: a number, a percentage, time saved or users affected.")
    if not story.lesson:
        tips.append("Close with what you learned or now do differently.")
    low, high = IDEAL_WORDS
    if story.words < low:
        tips.append(
            f"Go deeper: {story.words} words is under a 1.5-minute answer (about {low} words)."
        )
    elif story.words > high:
        tips.append(f"Tighten it: {story.words} words is over a 3-minute answer (about {high}).")
    if story.fillers:
        tips.append(f"Drop filler and hedging: {', '.join(story.fillers[:4])}.")
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
