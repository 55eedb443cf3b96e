"""Quizzes end to end: commands, buttons, modals, ratings and Next, as users would click them."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.db.models import Attempt
from tests.e2e.fake_discord import Message
from tests.e2e.harness import World

EPHEMERAL = 64


async def attempts(world: World) -> list[Attempt]:
    """Every stored attempt."""
    async with world.container.database.unit_of_work() as session:
        return list((await session.scalars(select(Attempt).order_by(Attempt.id))).all())  # type: ignore[arg-type]


def ids_starting(message: Message, prefix: str) -> list[str]:
    """The message's custom_ids with a prefix."""
    return [c for c in message.custom_ids() if c.startswith(prefix)]


async def test_every_command_is_registered_within_discord_limits(world: World) -> None:
    names = {c["name"] for c in world.fake.commands()}
    assert names >= {
        "quiz",
        "review",
        "behavioral",
        "mock",
        "stats",
        "weak",
        "leaderboard",
        "help",
        "forget-me",
    }
    assert len(world.fake.command_syncs) == 1
    await world.restart()
    assert len(world.fake.command_syncs) == 1, "an unchanged command tree must not be synced again"


async def test_topic_autocomplete_is_instant_and_bounded(world: World) -> None:
    choices = await world.fake.autocomplete(
        world.ada,
        "quiz",
        {"topic": "trans"},
        focused="topic",
        guild=world.guild,
        channel=world.channel,
    )
    assert [c["value"] for c in choices] == ["transformers"]
    everything = await world.fake.autocomplete(
        world.ada, "quiz", {"topic": ""}, focused="topic", guild=world.guild, channel=world.channel
    )
    assert 0 < len(everything) <= 25


async def test_mcq_session_answer_feedback_and_next(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    assert (await ix.done())["type"] == 4
    question = await ix.wait_message()
    assert not question.ephemeral
    assert "square root" in question.text()
    assert len(ids_starting(question, "gq:a:")) == 3

    click = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
    )
    assert (await click.done())["type"] == 7  # the public question is updated in place
    updated = world.fake.messages[question.id]
    assert all(b.get("disabled") for b in updated.buttons())
    assert "Answered" in updated.text()
    assert "Correct" not in updated.text()  # the verdict stays private
    assert [b.get("style") for b in updated.buttons()] == [1, 2, 2]  # only the pick is highlighted
    feedback = await click.wait_followup()
    assert feedback.ephemeral
    assert "Correct" in feedback.text()
    assert "Why" in feedback.text()
    assert "+20 points" in feedback.text()

    again = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:a:")[1], guild=world.guild
    )
    reply = await again.done()
    assert reply["data"]["flags"] & EPHEMERAL
    assert "already answered" in str(reply["data"]).lower()
    assert len(await attempts(world)) == 1

    next_ix = await world.fake.click(
        world.ada, feedback, ids_starting(feedback, "gq:n:")[0], guild=world.guild
    )
    assert (await next_ix.done())["type"] == 4
    nxt = await next_ix.wait_message()
    assert ids_starting(nxt, "gq:a:"), "Next keeps the mcq filter"


async def test_only_the_asker_can_answer(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    intruder = await world.fake.click(
        world.bo, question, ids_starting(question, "gq:a:")[0], guild=world.guild
    )
    reply = await intruder.done()
    assert reply["type"] == 4
    assert reply["data"]["flags"] & EPHEMERAL
    assert "someone else" in str(reply["data"])
    assert await attempts(world) == []


async def test_short_answer_through_the_modal(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "short"})
    question = await ix.wait_message()
    opener = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:m:")[0], guild=world.guild
    )
    modal = await opener.done()
    assert modal["type"] == 9
    modal_id = modal["data"]["custom_id"]
    submit = await world.fake.submit_modal(
        world.ada,
        modal_id,
        {"answer": "the keys"},
        guild=world.guild,
        channel=world.channel,
        message=question,
    )
    assert (await submit.done())["type"] == 7
    feedback = await submit.wait_followup()
    assert "Correct" in feedback.text()
    assert not ids_starting(feedback, "gq:r:"), "short answers are rated automatically"
    stored = await attempts(world)
    assert [(a.question_id, a.answer, a.guild_id) for a in stored] == [
        ("tt-002", "the keys", world.guild.id)
    ]


async def test_open_answer_shows_points_hit_and_missed_then_self_rating(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "open"})
    question = await ix.wait_message()
    opener = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:m:")[0], guild=world.guild
    )
    modal_id = (await opener.done())["data"]["custom_id"]
    text = (
        "Attention is quadratic in length because every pair of tokens is compared. An SSM "
        "cost grows quadratically too, since it rereads the sequence."
    )
    submit = await world.fake.submit_modal(
        world.ada,
        modal_id,
        {"answer": text},
        guild=world.guild,
        channel=world.channel,
        message=question,
    )
    await submit.done()
    feedback = await submit.wait_followup()
    body = feedback.text()
    assert "Key points" in body and "Model answer" in body
    assert "✓ Attention cost grows quadratically with sequence length" in body
    assert "✗ SSM cost grows linearly with length: you said the opposite" in body
    assert "· An SSM keeps a fixed-size state (missing)" in body
    assert "Grader:" in body, "the grader's confidence is shown"
    rate_ids = ids_starting(feedback, "gq:r:")
    assert len(rate_ids) == 4
    rated = await world.fake.click(world.ada, feedback, rate_ids[2], guild=world.guild)  # Good
    assert (await rated.done())["type"] == 7
    assert "Rated **Good**" in world.fake.messages[feedback.id].content
    async with world.container.database.unit_of_work() as session:
        attempt = (await session.scalars(select(Attempt))).one()
    assert attempt.self_rating == 3


async def test_two_users_answer_at_once(world: World) -> None:
    ada_ix, bo_ix = await asyncio.gather(
        world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"}),
        world.slash(world.bo, "quiz", {"topic": "transformers", "kind": "mcq"}),
    )
    ada_q, bo_q = await ada_ix.wait_message(), await bo_ix.wait_message()
    clicks = await asyncio.gather(
        world.fake.click(world.ada, ada_q, ids_starting(ada_q, "gq:a:")[0], guild=world.guild),
        world.fake.click(world.bo, bo_q, ids_starting(bo_q, "gq:a:")[1], guild=world.guild),
        world.fake.click(
            world.ada, ada_q, ids_starting(ada_q, "gq:a:")[0], guild=world.guild
        ),  # double click
    )
    await asyncio.gather(*(c.done() for c in clicks))
    stored = await attempts(world)
    assert sorted((a.user_id, a.correct) for a in stored) == sorted(
        [(world.ada.id, True), (world.bo.id, False)]
    )


async def test_quiz_in_a_dm_is_recorded_without_a_server(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"}, dm=True)
    question = await ix.wait_message()
    click = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:a:")[0], guild=None
    )
    await click.done()
    assert [(a.guild_id, a.correct) for a in await attempts(world)] == [(None, True)]


async def test_unknown_topic_gets_a_friendly_error(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "astrology"})
    reply = await ix.done()
    assert reply["data"]["flags"] & EPHEMERAL
    assert "don't know the topic" in str(reply["data"])


async def test_double_click_on_next_serves_one_question(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    click = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
    )
    await click.done()
    feedback = await click.wait_followup()
    next_id = ids_starting(feedback, "gq:n:")[0]
    first, second = await asyncio.gather(
        world.fake.click(world.ada, feedback, next_id, guild=world.guild),
        world.fake.click(world.ada, feedback, next_id, guild=world.guild),
    )
    replies = [await first.done(), await second.done()]
    served = [r for r in replies if not r["data"].get("flags", 0) & EPHEMERAL]
    refused = [r for r in replies if "already moved on" in str(r["data"])]
    assert (len(served), len(refused)) == (1, 1)
