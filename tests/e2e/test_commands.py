"""Other commands end to end: review, behavioral, mock, stats, weak, leaderboard, help, forget."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.db.models import Attempt, ReviewCard, User
from tests.e2e.fake_discord import Message
from tests.e2e.harness import World
from tests.e2e.test_quiz_flow import ids_starting

EPHEMERAL = 64


async def answer_mcq(world: World, user_index: int = 0, choice: int = 0) -> Message:
    """Serve the transformers MCQ to a user and answer it; returns the private feedback."""
    user = [world.ada, world.bo][user_index]
    ix = await world.slash(user, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    click = await world.fake.click(
        user, question, ids_starting(question, "gq:a:")[choice], guild=world.guild
    )
    await click.done()
    return await click.wait_followup()


async def test_review_when_nothing_is_due_and_when_something_is(world: World) -> None:
    first = await (await world.slash(world.ada, "review")).done()
    assert first["data"]["flags"] & EPHEMERAL
    assert "No reviews yet" in str(first["data"])
    await answer_mcq(world, choice=1)  # wrong: due again within minutes
    later = await (await world.slash(world.ada, "review")).done()
    assert "Nothing is due right now" in str(later["data"])
    async with world.container.database.unit_of_work() as session:
        card = (await session.scalars(select(ReviewCard))).one()
        card.due = card.due - timedelta(hours=1)
    ix = await world.slash(world.ada, "review")
    question = await ix.wait_message()
    assert "due for review" in question.text()
    assert "tt-001" in question.text()


async def test_behavioral_gives_star_feedback(world: World) -> None:
    ix = await world.slash(world.ada, "behavioral", {"competency": "conflict"})
    question = await ix.wait_message()
    assert "STAR" in question.text()
    opener = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:m:")[0], guild=world.guild
    )
    modal = await opener.done()
    assert modal["data"]["title"].startswith("Tell your story")
    story = (
        "At my last company our team disagreed on the churn metric. "
        "My task was to settle it by Friday. "
        "I built a simulation and I met my teammate to compare both views with data. "
        "As a result we shipped and churn fell by 4 points, and I learned to test ideas early."
    )
    submit = await world.fake.submit_modal(
        world.ada,
        modal["data"]["custom_id"],
        {"answer": story},
        guild=world.guild,
        channel=world.channel,
        message=question,
    )
    await submit.done()
    feedback = (await submit.wait_followup()).text()
    for heading in ("STAR split", "Delivery", "A strong answer shows", "Follow-ups to prepare"):
        assert heading in feedback


async def test_mock_interview_runs_to_a_report(world: World) -> None:
    ix = await world.slash(world.ada, "mock", {"length": 3})
    message = await ix.wait_message()
    for step in range(1, 4):
        assert f"Mock {step}/3" in message.text()
        if ids_starting(message, "gq:a:"):
            click = await world.fake.click(
                world.ada, message, ids_starting(message, "gq:a:")[0], guild=world.guild
            )
            await click.done()
            feedback = await click.wait_followup()
        else:
            opener = await world.fake.click(
                world.ada, message, ids_starting(message, "gq:m:")[0], guild=world.guild
            )
            modal_id = (await opener.done())["data"]["custom_id"]
            submit = await world.fake.submit_modal(
                world.ada,
                modal_id,
                {"answer": "I led it; cut costs 20%."},
                guild=world.guild,
                channel=world.channel,
                message=message,
            )
            await submit.done()
            feedback = await submit.wait_followup()
        nxt = await world.fake.click(
            world.ada, feedback, ids_starting(feedback, "gq:n:")[0], guild=world.guild
        )
        await nxt.done()
        if step < 3:
            message = await nxt.wait_message()
    report = await nxt.wait_message()
    assert report.ephemeral
    text = report.text()
    for heading in ("Mock interview report", "Score per topic", "Time per answer", "Strongest"):
        assert heading in text
    again = await world.fake.click(
        world.ada, feedback, ids_starting(feedback, "gq:n:")[0], guild=world.guild
    )
    assert "already moved on" in str((await again.done())["data"])


async def test_stats_with_chart_rendered_off_the_loop(world: World) -> None:
    await answer_mcq(world)
    ix = await world.slash(world.ada, "stats")
    assert (await ix.done())["type"] == 5  # deferred while the chart renders
    message = await ix.wait_message()
    assert "ada's progress" in message.text()
    assert "Transformers" in message.text()
    png = message.files.get("stats.png")
    assert png is not None and png.startswith(b"\x89PNG")
    other = await world.slash(world.bo, "stats", {"member": world.ada})
    assert "ada's progress" in (await other.wait_message()).text()


async def test_weak_topics_and_drill(world: World) -> None:
    thin = await (await world.slash(world.ada, "weak")).done()
    assert "Not enough answers yet" in str(thin["data"])
    for _ in range(3):
        await answer_mcq(world, choice=1)
    ix = await world.slash(world.ada, "weak")
    weak = await ix.wait_message()
    assert weak.ephemeral
    assert "Transformers" in weak.text()
    drill_ids = ids_starting(weak, "wk:")
    stranger = await world.fake.click(world.bo, weak, drill_ids[0], guild=world.guild)
    assert "someone else" in str((await stranger.done())["data"])
    drill = await world.fake.click(world.ada, weak, drill_ids[0], guild=world.guild)
    question = await drill.wait_message()
    assert "Transformers" in question.text()


async def test_leaderboard_pages_and_own_rank(world: World) -> None:
    await answer_mcq(world, 0)
    await answer_mcq(world, 1, choice=1)
    ix = await world.slash(world.bo, "leaderboard")
    board = await ix.wait_message()
    text = board.text()
    assert "ada" in text and "20 pts" in text
    assert "You have no points" in text  # bo answered wrong: 0 points
    pager = ids_starting(board, "lb:")
    assert len(pager) == 2  # previous and next, both disabled on a one-page board
    world_ix = await world.slash(world.ada, "leaderboard", {"period": "all", "scope": "global"})
    assert "You are #1" in (await world_ix.wait_message()).text()
    click = await world.fake.click(world.ada, board, pager[1], guild=world.guild)
    assert (await click.done())["type"] == 7


async def test_help(world: World) -> None:
    reply = await (await world.slash(world.ada, "help")).done()
    assert reply["data"]["flags"] & EPHEMERAL
    assert "/quiz" in str(reply["data"])


async def test_forget_me_asks_then_deletes_everything(world: World) -> None:
    await answer_mcq(world)
    ix = await world.slash(world.ada, "forget-me")
    prompt = await ix.wait_message()
    assert prompt.ephemeral
    confirm = ids_starting(prompt, "fm:")[0]
    intruder = await world.fake.click(world.bo, prompt, confirm, guild=world.guild)
    assert "Only the person" in str((await intruder.done())["data"])
    done = await world.fake.click(world.ada, prompt, confirm, guild=world.guild)
    assert (await done.done())["type"] == 7
    async with world.container.database.unit_of_work() as session:
        users = (
            await session.execute(
                select(func.count()).select_from(User).where(User.id == world.ada.id)
            )
        ).scalar()
        left = (await session.execute(select(func.count()).select_from(Attempt))).scalar()
    assert (users, left) == (0, 0)
