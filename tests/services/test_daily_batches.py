"""Daily answers in group commits: a post-time burst shares commits and counts each member once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.db.models import Attempt, Score, Streak
from bot.domain.errors import GradientError, InvalidAnswer
from bot.domain.sources import QuestionSource
from bot.services.daily import DailyAnswered, DailyService, NotThisServer
from bot.services.daily_answers import DailyAnswerRequest
from tests.services.conftest import GUILD, Services
from tests.services.test_daily import MORNING, daily_service  # noqa: F401 (a fixture)
from tests.services.test_learning_engine import SSM_ANSWER

MEMBERS = range(10, 40)


async def posted(services: Services, svc: DailyService) -> tuple[int, str, str]:
    """Today's challenge, posted; its id, a right answer and a wrong one."""
    services.clock.set(MORNING + timedelta(hours=2))
    async with services.database.unit_of_work() as session:
        got = (await svc.claim(session, GUILD)).claim
        assert got is not None and got.challenge.id is not None
        await svc.mark_posted(session, got.challenge.id, 777, None)
    kind = got.question.kind
    right = {"mcq": "A", "short": "keys", "open": SSM_ANSWER}[kind]
    wrong = "B" if kind == "mcq" else "nonsense about something else entirely"
    return got.challenge.id, right, wrong


async def submit(services: Services, request: DailyAnswerRequest) -> DailyAnswered | GradientError:
    try:
        return await services.daily_answers.submit(request)
    except GradientError as refusal:
        return refusal


async def test_a_burst_shares_commits_and_each_member_counts_once(
    services: Services,
    daily_service: DailyService,  # noqa: F811
) -> None:
    """Thirty members at once, a double click, a forged click from elsewhere, a DM, a blank."""
    challenge, right, wrong = await posted(services, daily_service)
    requests = [
        DailyAnswerRequest(challenge, uid, f"m{uid}", right if uid % 2 else wrong, GUILD)
        for uid in MEMBERS
    ]
    double = DailyAnswerRequest(challenge, MEMBERS[0], "m", wrong, GUILD)  # a second click
    forged = DailyAnswerRequest(challenge, 99, "intruder", right, GUILD + 1)
    from_dm = DailyAnswerRequest(challenge, 98, "dm", right, None)
    blank = DailyAnswerRequest(challenge, 97, "blank", "   ", GUILD)
    before = services.daily_answers.batches
    results = await asyncio.gather(
        *(submit(services, r) for r in [*requests, double, forged, from_dm, blank])
    )
    assert services.daily_answers.batches - before < len(results) // 4, "answers share commits"
    answered = results[: len(requests)]
    assert all(isinstance(r, DailyAnswered) and not r.outcome.replayed for r in answered)
    assert all(isinstance(r, DailyAnswered) and r.streak.current == 1 for r in answered)
    first, again = results[0], results[len(requests)]
    assert isinstance(first, DailyAnswered) and isinstance(again, DailyAnswered)
    assert again.outcome.replayed and again.outcome.attempt_id == first.outcome.attempt_id
    assert again.outcome.grade.correct == first.outcome.grade.correct, "the first answer stands"
    assert isinstance(results[-3], NotThisServer) and isinstance(results[-2], NotThisServer)
    blank_result = results[-1]
    assert isinstance(blank_result, InvalidAnswer)
    async with services.database.unit_of_work() as session:
        rows = (
            await session.execute(select(Attempt).where(Attempt.daily_challenge_id == challenge))
        ).scalars()
        by_user = {a.user_id: a for a in rows}
        assert set(by_user) == set(MEMBERS), "one answer per member, nobody from elsewhere"
        assert all(a.source == QuestionSource.DAILY for a in by_user.values())
        points = dict(
            (
                await session.execute(
                    select(Score.user_id, func.sum(Score.points))
                    .where(Score.scope == GUILD, Score.period == "all")
                    .group_by(Score.user_id)
                )
            ).all()
        )
        assert {u: points.get(u, 0) for u in MEMBERS} == {u: a.points for u, a in by_user.items()}
        streaks = (
            await session.execute(
                select(func.count()).select_from(Streak).where(Streak.current == 1)
            )
        ).scalar_one()
        assert streaks == len(MEMBERS)


async def test_an_earlier_answer_is_shown_again_in_a_later_batch(
    services: Services,
    daily_service: DailyService,  # noqa: F811
) -> None:
    """A member who answered yesterday's click sees that answer, whatever they send now."""
    challenge, right, wrong = await posted(services, daily_service)
    first = await services.daily_answers.submit(
        DailyAnswerRequest(challenge, 1, "user1", right, GUILD)
    )
    later = await asyncio.gather(
        services.daily_answers.submit(DailyAnswerRequest(challenge, 1, "user1", wrong, GUILD)),
        services.daily_answers.submit(DailyAnswerRequest(challenge, 2, "user2", wrong, GUILD)),
    )
    assert later[0].outcome.replayed and later[0].outcome.points == first.outcome.points
    assert not later[1].outcome.replayed and later[1].streak.current == 1


async def test_an_unreadable_answer_refuses_only_itself(
    services: Services,
    daily_service: DailyService,  # noqa: F811
) -> None:
    """An MCQ answer that names no choice is refused; the others in its batch are recorded."""
    challenge, right, _ = await posted(services, daily_service)
    results = await asyncio.gather(
        submit(services, DailyAnswerRequest(challenge, 1, "user1", right, GUILD)),
        submit(services, DailyAnswerRequest(challenge, 2, "user2", "", GUILD)),
    )
    assert isinstance(results[0], DailyAnswered)
    assert isinstance(results[1], InvalidAnswer)
