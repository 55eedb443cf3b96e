"""Group-committed answers: one transaction for many, and each answer counted exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.group_commit import GroupCommit
from bot.db.models import Attempt, ReviewCard, Score, ServedQuestion, TopicStat
from bot.domain import scoring
from bot.domain.errors import AlreadyAnswered, GradientError, InvalidAnswer, StoreUnavailable
from bot.domain.questions import McqQuestion
from bot.services.quiz import Answered, AnswerRequest, Asker, Filters, NotYourQuestion
from tests.services.conftest import GUILD, Services

USERS = [Asker(uid, f"user{uid}", GUILD, "Study Group") for uid in (1, 2, 3)]


async def serve_mcqs(services: Services, asker: Asker, n: int) -> list[tuple[str, str]]:
    """Serve n multiple-choice questions; returns (token, correct letter) pairs."""
    async with services.database.unit_of_work() as session:
        served = [await services.quiz.serve(session, asker, Filters(kind="mcq")) for _ in range(n)]
    pairs = []
    for s in served:
        assert isinstance(s.question, McqQuestion)
        pairs.append((s.token, s.question.letter(s.question.correct_index)))
    return pairs


async def submit(services: Services, request: AnswerRequest) -> Answered | GradientError:
    try:
        return await services.answers.submit(request)
    except GradientError as refusal:
        return refusal


async def test_concurrent_answers_share_commits_and_count_once(services: Services) -> None:
    """Many answers at once: fewer commits than answers, and every board adds up."""
    requests = []
    for asker in USERS:
        for token, letter in await serve_mcqs(services, asker, 8):
            requests.append(AnswerRequest(token, asker.user_id, letter))
    double = requests[0]
    foreign = AnswerRequest(requests[1].token, 3, "A")  # user 3 clicks user 1's question
    unreadable = AnswerRequest(requests[-1].token, requests[-1].user_id, "Z")
    before = services.answers.batches
    results = await asyncio.gather(
        *(submit(services, r) for r in [*requests[:-1], double, foreign, unreadable])
    )
    assert services.answers.batches - before < len(results) // 4
    answered = results[: len(requests) - 1]
    assert all(isinstance(r, Answered) for r in answered)
    replay = results[len(requests) - 1]
    assert isinstance(replay, Answered) and replay.outcome.replayed
    first = answered[0]
    assert isinstance(first, Answered) and replay.outcome.attempt_id == first.outcome.attempt_id
    assert isinstance(results[-2], NotYourQuestion)
    assert isinstance(results[-1], InvalidAnswer)
    async with services.database.unit_of_work() as session:
        await _assert_consistent(session, expected=len(requests) - 1)
        open_row = await session.get(ServedQuestion, unreadable.token)
        assert open_row is not None and open_row.answered_at is None  # still answerable


async def _assert_consistent(session: AsyncSession, *, expected: int) -> None:
    attempts = (await session.execute(select(Attempt))).scalars().all()
    assert len(attempts) == expected
    linked = Counter(
        (
            await session.execute(
                select(ServedQuestion.attempt_id).where(
                    ServedQuestion.attempt_id.is_not(None)  # type: ignore[union-attr]
                )
            )
        ).scalars()
    )
    assert set(linked) == {a.id for a in attempts} and set(linked.values()) == {1}
    for period in ("day", "week", "month", "all"):
        rows = (
            await session.execute(
                select(Score.user_id, Score.points, Score.answers).where(
                    Score.scope == 0, Score.period == period
                )
            )
        ).all()
        for user_id, points, answers in rows:
            mine = [a for a in attempts if a.user_id == user_id]
            assert (points, answers) == (sum(a.points for a in mine), len(mine)), period
    topics = (await session.execute(select(func.sum(TopicStat.attempts)))).scalar_one()
    reps = (await session.execute(select(func.sum(ReviewCard.reps)))).scalar_one()
    assert topics == reps == expected


async def test_the_daily_cap_holds_inside_one_batch(services: Services) -> None:
    """A user's answers in one batch are capped in order, as if they came one by one."""
    asker = USERS[0]
    pairs = await serve_mcqs(services, asker, 40)
    results = await asyncio.gather(
        *(submit(services, AnswerRequest(t, asker.user_id, letter)) for t, letter in pairs)
    )
    points = [r.outcome.points for r in results if isinstance(r, Answered)]
    assert len(points) == 40
    assert sum(points) <= scoring.DAILY_CAP
    async with services.database.unit_of_work() as session:
        await _assert_consistent(session, expected=40)


async def test_a_request_that_breaks_its_batch_fails_alone(services: Services) -> None:
    """A store error in one request's work reruns the others one by one; they succeed."""

    async def work(session: AsyncSession, items: Sequence[int]) -> list[int | GradientError]:
        if 13 in items:
            await session.execute(select(func.count()).select_from(Attempt))
            raise RuntimeError("a poisoned request")
        return [i * 2 for i in items]

    commit: GroupCommit[int, int] = GroupCommit(services.database, work)
    results = await asyncio.gather(*(commit.submit(i) for i in range(20)), return_exceptions=True)
    assert [r for i, r in enumerate(results) if i != 13] == [i * 2 for i in range(20) if i != 13]
    assert isinstance(results[13], RuntimeError)


async def test_a_refusal_is_raised_to_its_caller_only(services: Services) -> None:
    """Work that refuses one request raises the refusal there and answers the rest."""

    async def work(_: AsyncSession, items: Sequence[int]) -> list[int | GradientError]:
        return [AlreadyAnswered() if i == 2 else i for i in items]

    commit: GroupCommit[int, int] = GroupCommit(services.database, work)
    results = await asyncio.gather(*(commit.submit(i) for i in range(4)), return_exceptions=True)
    assert results[:2] == [0, 1] and results[3] == 3
    assert isinstance(results[2], AlreadyAnswered)


async def test_two_tokens_for_one_question_in_one_batch(services: Services) -> None:
    """The second answer to the same question builds on the first's card and cooldown."""
    asker = USERS[1]
    async with services.database.unit_of_work() as session:
        first = await services.quiz.serve(session, asker, Filters(kind="mcq"))
        second = await services.quiz.serve_question(
            session, asker, first.question.id, source="quiz", reason="new"
        )
    question = first.question
    assert isinstance(question, McqQuestion)
    letter = question.letter(question.correct_index)
    a, b = await asyncio.gather(
        services.answers.submit(AnswerRequest(first.token, asker.user_id, letter)),
        services.answers.submit(AnswerRequest(second.token, asker.user_id, letter)),
    )
    assert a.outcome.points > 0
    assert b.outcome.points == 0 and b.outcome.breakdown.on_cooldown
    async with services.database.unit_of_work() as session:
        card = await session.get(ReviewCard, (asker.user_id, question.id))
        assert card is not None and card.reps == 2
        assert card.last_attempt_id == b.outcome.attempt_id
        await _assert_consistent(session, expected=2)


async def test_an_unavailable_store_fails_everyone_waiting_at_once(services: Services) -> None:
    """When a batch finds the store down, the answers queued behind it are told at once."""
    calls = 0

    async def work(_: AsyncSession, items: Sequence[int]) -> list[int | GradientError]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)  # later requests queue behind this batch
        raise StoreUnavailable()

    commit: GroupCommit[int, int] = GroupCommit(services.database, work, max_batch=2)
    first = [asyncio.ensure_future(commit.submit(i)) for i in range(2)]
    await asyncio.sleep(0.01)
    later = [asyncio.ensure_future(commit.submit(i)) for i in range(2, 8)]
    results = await asyncio.gather(*first, *later, return_exceptions=True)
    assert all(isinstance(r, StoreUnavailable) for r in results)
    assert len({id(r) for r in results}) == len(results)
    assert calls == 1
