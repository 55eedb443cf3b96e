"""Buttons posted by an earlier version still work: their custom_id formats are a contract.

Each message here is written straight into the fake, with the ids spelled out by hand in the
formats Gradient has always used, as if an older release had posted them before an upgrade.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import Attempt, ServedQuestion
from tests.e2e.fake_discord import Message
from tests.e2e.fake_discord.messages import create_message
from tests.e2e.harness import World

EPHEMERAL = 64


def old_message(world: World, *custom_ids: str, text: str = "An older question") -> Message:
    """A bot message carrying buttons with these ids, as an older release posted it."""
    buttons = [
        {"type": 2, "style": 2, "label": str(i), "custom_id": c} for i, c in enumerate(custom_ids)
    ]
    payload: dict[str, Any] = {
        "embeds": [{"title": "Transformers", "description": text}],
        "components": [{"type": 1, "components": buttons}],
    }
    return create_message(world.fake, world.channel, payload, [], author=world.fake.bot_user)


async def served_token(world: World, kind: str) -> str:
    """Serve ada a question through /quiz and return its token, read from the store."""
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": kind})
    await ix.wait_message()
    async with world.container.database.unit_of_work() as session:
        rows = (
            await session.scalars(select(ServedQuestion).order_by(ServedQuestion.served_at))
        ).all()
    return rows[-1].token


async def test_old_answer_next_and_rate_buttons_still_answer(world: World) -> None:
    token = await served_token(world, "mcq")
    old = old_message(world, f"gq:a:{token}:0", f"gq:a:{token}:1")
    click = await world.fake.click(world.ada, old, f"gq:a:{token}:0", guild=world.guild)
    assert (await click.done())["type"] == 7
    assert "Correct" in (await click.wait_followup()).text()
    moved = await world.fake.click(
        world.ada, old_message(world, f"gq:n:{token}"), f"gq:n:{token}", guild=world.guild
    )
    assert "transformers" in (await moved.wait_message()).text().casefold()

    open_token = await served_token(world, "open")
    form_opener = old_message(world, f"gq:m:{open_token}")
    opened = await world.fake.click(world.ada, form_opener, f"gq:m:{open_token}", guild=world.guild)
    assert (await opened.done())["data"]["custom_id"] == f"gq:s:{open_token}"
    text = "Attention is quadratic in length because every pair of tokens is compared."
    submitted = await world.fake.submit_modal(
        world.ada, f"gq:s:{open_token}", {"answer": text}, guild=world.guild, channel=world.channel
    )
    await submitted.done()
    async with world.container.database.unit_of_work() as session:
        attempt = (await session.scalars(select(Attempt).order_by(Attempt.id.desc()))).first()  # type: ignore[union-attr]
    assert attempt is not None
    rate_id = f"gq:r:{open_token}:{attempt.id}:3"
    rated = await world.fake.click(
        world.ada, old_message(world, rate_id), rate_id, guild=world.guild
    )
    assert (await rated.done())["type"] == 7


async def test_old_pager_forget_and_report_buttons_still_answer(world: World) -> None:
    pager = old_message(world, "lb:s:week:0:next")
    paged = await world.fake.click(world.bo, pager, "lb:s:week:0:next", guild=world.guild)
    assert (await paged.done())["type"] == 7

    forget_id = f"fm:{world.bo.id}:no"
    cancelled = await world.fake.click(
        world.bo, old_message(world, forget_id), forget_id, guild=world.guild
    )
    assert "Nothing was deleted" in str((await cancelled.done())["data"])

    report = await world.fake.click(
        world.bo, old_message(world, "rp:tt-001"), "rp:tt-001", guild=world.guild
    )
    assert (await report.done())["data"]["custom_id"] == "rp:s:tt-001"
