"""Daily answers, group-committed: a burst of members answering at post time shares commits.

When a server's challenge goes up, its members answer within seconds of each other. Each
answer joins the next batch (bot/db/group_commit.py): the challenges are checked once per
batch, the users and earlier answers read once, and the answers recorded together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.db import attempts, streaks, users
from bot.db.engine import Session
from bot.db.models import DailyChallenge
from bot.domain.errors import GradientError
from bot.domain.questions import AnyQuestion
from bot.domain.sources import QuestionSource
from bot.services.daily import DailyAnswered, DailyService
from bot.services.recording import GradedAnswer
from bot.services.results import AnswerOutcome


@dataclass(frozen=True)
class DailyAnswerRequest:
    """A member's answer to a daily challenge, from a button or a form, and where it came from."""

    challenge_id: int
    user_id: int
    user_name: str
    response: str
    guild_id: int | None


class DailyAnswers:
    """Records members' daily answers in batches; never commits."""

    def __init__(self, daily: DailyService) -> None:
        self.daily = daily
        self.learning = daily.learning

    async def answer(self, session: Session, request: DailyAnswerRequest) -> DailyAnswered:
        """A member's one answer to their server's challenge (a second shows the first)."""
        (result,) = await self.answer_many(session, [request])
        if isinstance(result, GradientError):
            raise result
        return result

    async def answer_many(
        self, session: Session, requests: Sequence[DailyAnswerRequest]
    ) -> list[DailyAnswered | GradientError]:
        """Record several members' answers in one unit of work; each gets its own outcome.

        A refusal (another server's challenge, a closed one, an unreadable answer) affects only
        its own request. A member's second answer, earlier or in this batch, shows the first.
        """
        results: list[DailyAnswered | GradientError | AnswerOutcome | None] = [None] * len(requests)
        checked: dict[tuple[int, int | None], tuple[DailyChallenge, AnyQuestion] | GradientError]
        checked = {}
        open_ones: list[tuple[int, DailyChallenge, AnyQuestion]] = []
        for i, r in enumerate(requests):
            place = (r.challenge_id, r.guild_id)
            if place not in checked:
                try:
                    checked[place] = await self.daily.answerable(session, *place)
                except GradientError as refusal:
                    checked[place] = refusal
            found = checked[place]
            if isinstance(found, GradientError):
                results[i] = found
            else:
                open_ones.append((i, *found))
        if not open_ones:
            return _finished(results)
        earlier = await attempts.daily_attempt_ids(
            session, answers=[(c.id or 0, requests[i].user_id) for i, c, _ in open_ones]
        )
        await users.ensure_users(
            session,
            names={requests[i].user_id: requests[i].user_name for i, _, _ in open_ones},
            now=self.daily.clock(),
        )
        fresh: list[tuple[int, GradedAnswer]] = []
        replays: list[tuple[int, DailyChallenge, AnyQuestion]] = []
        taken: set[tuple[int, int]] = set()
        for i, challenge, question in open_ones:
            r, key = requests[i], (challenge.id or 0, requests[i].user_id)
            if key in earlier or key in taken:
                replays.append((i, challenge, question))
                continue
            try:
                graded = self.learning.graded(
                    r.user_id,
                    challenge.question_id,
                    r.response,
                    source=QuestionSource.DAILY,
                    guild_id=challenge.guild_id,
                    daily_challenge_id=challenge.id,
                    question=question,
                )
            except GradientError as refusal:
                results[i] = refusal
                continue
            taken.add(key)
            fresh.append((i, graded))
        outcomes = await self.learning.record(session, [graded for _, graded in fresh])
        for (i, _), outcome in zip(fresh, outcomes, strict=True):
            results[i] = outcome
        if replays:
            # Ids of answers recorded earlier, or just now by the same member's first click.
            earlier = await attempts.daily_attempt_ids(
                session, answers=[(c.id or 0, requests[i].user_id) for i, c, _ in replays]
            )
            for i, challenge, question in replays:
                key = (challenge.id or 0, requests[i].user_id)
                try:
                    results[i] = await self.learning.recorded(session, earlier.get(key), question)
                except GradientError as refusal:
                    results[i] = refusal
        # Streaks as stored after this batch: one read for everyone who answered.
        states = await streaks.get_streaks(
            session, keys=[(requests[i].user_id, c.guild_id) for i, c, _ in open_ones]
        )
        for i, challenge, _ in open_ones:
            done = results[i]
            if isinstance(done, AnswerOutcome):
                streak = states[(requests[i].user_id, challenge.guild_id)]
                results[i] = DailyAnswered(done, streak)
        return _finished(results)


def _finished(
    results: Sequence[DailyAnswered | GradientError | AnswerOutcome | None],
) -> list[DailyAnswered | GradientError]:
    done = [r for r in results if isinstance(r, (DailyAnswered, GradientError))]
    assert len(done) == len(results), "every request has its outcome"
    return done
