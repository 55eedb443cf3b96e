"""Gates on multiple-choice cues a test-wise learner could use instead of knowing the answer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.bank.loader import LoadedQuestion
from bot.bank.problems import Problem
from bot.domain.questions import McqQuestion

# With four or five options the correct one is the longest about a quarter of the time by chance.
MAX_LONGEST_CORRECT_SHARE = 0.28
# A share means little over a handful of questions (a test bank, one server's upload).
MIN_QUESTIONS_FOR_SHARE = 20
_ABSOLUTE = re.compile(
    r"\b(always|never|only|exactly|any|all|every|no|none|must|cannot|guarantee[sd]?|impossible"
    r"|completely|entirely)\b",
    re.I,
)


def correct_is_longest(q: McqQuestion) -> bool:
    """Whether the correct choice is at least as long as every distractor (ties count)."""
    right = len(q.choices[q.correct_index].text)
    return all(right >= len(c.text) for c in q.choices if not c.correct)


def absolute_asymmetry(q: McqQuestion) -> bool:
    """Every distractor makes an absolute claim (always, never, only…) and the answer does not."""
    distractors = [c for c in q.choices if not c.correct]
    return not _ABSOLUTE.search(q.choices[q.correct_index].text) and all(
        _ABSOLUTE.search(c.text) for c in distractors
    )


def check_absolutes(item: LoadedQuestion) -> list[Problem]:
    """Flag a question whose distractors all carry an absolute word the answer lacks."""
    q = item.question
    if isinstance(q, McqQuestion) and not q.retired and absolute_asymmetry(q):
        msg = (
            "every distractor has an absolute word (always, never, only, exactly, any, all, no, "
            "must, cannot…) and the correct choice has none, which gives it away"
        )
        return [Problem(item.file, item.line, q.id, "choices", msg)]
    return []


def check_longest_share(loaded: Sequence[LoadedQuestion], bank_file: str) -> list[Problem]:
    """Across the bank, the correct choice is the longest no more often than chance allows."""
    mcqs = [i for i in loaded if isinstance(i.question, McqQuestion) and not i.question.retired]
    longest = [i for i in mcqs if correct_is_longest(i.question)]  # type: ignore[arg-type]
    if len(mcqs) < MIN_QUESTIONS_FOR_SHARE or len(longest) / len(mcqs) <= MAX_LONGEST_CORRECT_SHARE:
        return []
    share = len(longest) / len(mcqs)
    ids = ", ".join(i.question.id for i in longest)
    msg = (
        f"the correct choice is the longest in {share:.0%} of multiple-choice questions "
        f"(at most {MAX_LONGEST_CORRECT_SHARE:.0%}); rebalance some of: {ids}"
    )
    return [Problem(bank_file, 1, "", "choices", msg)]
