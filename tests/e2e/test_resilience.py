"""Restarts, forged buttons, gateway drops, rate limits and bugs: the user never sees a failure."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.app import STALE_BUTTON
from bot.db.models import Attempt
from bot.interactions.boundary import APOLOGY
from tests.e2e.harness import World
from tests.e2e.test_quiz_flow import ids_starting

EPHEMERAL = 64


async def test_buttons_and_modals_work_after_a_restart(world: World) -> None:
    mcq_ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    mcq = await mcq_ix.wait_message()
    short_ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "short"})
    short = await short_ix.wait_message()
    opener = await world.fake.click(
        world.ada, short, ids_starting(short, "gq:m:")[0], guild=world.guild
    )
    modal_id = (await opener.done())["data"]["custom_id"]

    await world.restart()

    click = await world.fake.click(world.ada, mcq, ids_starting(mcq, "gq:a:")[0], guild=world.guild)
    assert (await click.done())["type"] == 7
    assert "Correct" in (await click.wait_followup()).text()
    # The modal was opened before the restart and submitted after it.
    submit = await world.fake.submit_modal(
        world.ada,
        modal_id,
        {"answer": "keys"},
        guild=world.guild,
        channel=world.channel,
        message=short,
    )
    assert (await submit.done())["type"] == 7
    async with world.container.database.unit_of_work() as session:
        assert len((await session.scalars(select(Attempt))).all()) == 2


async def test_forged_and_replayed_custom_ids_score_nothing(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    real = ids_starting(question, "gq:a:")[0]
    forged = await world.fake.send_raw_interaction(
        world.fake.component_payload(world.ada, question, "gq:a:AAAAAAAAAAAA:0", guild=world.guild)
    )
    assert "nothing was recorded" in str((await forged.done())["data"])
    strange = await world.fake.send_raw_interaction(
        world.fake.component_payload(world.ada, question, "totally:unknown", guild=world.guild)
    )
    assert STALE_BUTTON in str((await strange.done())["data"])
    bad_choice = await world.fake.send_raw_interaction(
        world.fake.component_payload(world.ada, question, real[:-1] + "7", guild=world.guild)
    )
    assert (await bad_choice.done())["data"]["flags"] & EPHEMERAL
    first = await world.fake.click(world.ada, question, real, guild=world.guild)
    await first.done()
    replay = await world.fake.click(world.ada, question, real, guild=world.guild)
    assert "already answered" in str((await replay.done())["data"]).lower()
    async with world.container.database.unit_of_work() as session:
        assert len((await session.scalars(select(Attempt))).all()) == 1


async def test_gateway_drop_then_resume_keeps_serving(world: World) -> None:
    await world.fake.disconnect(resume=True)
    await world.fake.wait_resumed()
    ix = await world.slash(world.ada, "help")
    assert (await ix.done())["type"] == 4
    assert world.fake.resumes >= 1


async def test_invalid_session_reidentifies(world: World) -> None:
    before = world.fake.connections
    await world.fake.disconnect(resume=False)
    await world.fake.wait_ready()
    assert world.fake.connections > before
    ix = await world.slash(world.ada, "help")
    assert (await ix.done())["type"] == 4


async def test_rate_limited_followup_is_retried(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    world.fake.rate_limit_next("POST", r"^/webhooks/\d+/[^/]+$", retry_after=0.3)
    click = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
    )
    await click.done()
    feedback = await click.wait_followup(timeout=5)
    assert "Correct" in feedback.text()
    assert world.fake.rate_limited == 1


async def test_unexpected_errors_become_an_apology_and_a_log(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(world.container.quiz, "serve", broken)
    with caplog.at_level(logging.ERROR):
        ix = await world.slash(world.ada, "quiz")
        reply = await ix.done()
    assert APOLOGY in str(reply["data"])
    assert "Traceback" not in str(reply["data"])
    assert any("unhandled error in quiz" in r.getMessage() for r in caplog.records)


async def test_spam_is_slowed_down(world: World) -> None:
    replies = []
    for _ in range(7):
        ix = await world.slash(world.ada, "quiz", {"topic": "transformers"})
        replies.append(await ix.done())
    assert "Easy there" in str(replies[-1]["data"])
    assert all("Easy there" not in str(r["data"]) for r in replies[:6])


async def test_dev_guild_gets_commands_instantly(world: World) -> None:
    world.dev_guild_id = world.guild.id
    await world.restart()
    names = {c["name"] for c in world.fake.commands(world.guild.id)}
    assert {"quiz", "gradient", "daily", "leaderboard"} <= names
    assert world.fake.command_syncs[-1] == (world.guild.id, len(names))
    ix = await world.slash(world.ada, "help")
    assert (await ix.done())["type"] == 4
