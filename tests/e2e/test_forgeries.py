"""Forged clicks from outside: another server's daily challenge, DMs, tampered numbers."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db.models import Attempt
from bot.interactions.boundary import APOLOGY
from tests.e2e.fake_discord import FakeChannel, FakeGuild, FakeUser, Message
from tests.e2e.harness import World
from tests.e2e.test_daily import daily_messages, post_now, set_daily
from tests.e2e.test_quiz_flow import ids_starting

EPHEMERAL = 64


def forged_click(
    world: World,
    user: FakeUser,
    guild: FakeGuild | None,
    channel: FakeChannel,
    source: Message,
    custom_id: str,
) -> dict[str, Any]:
    """A click payload on a copy of `source` placed in `channel`, carrying `custom_id`."""
    button = {"type": 2, "style": 2, "label": "A", "custom_id": custom_id}
    same_place = channel.id == source.channel_id
    copy = dataclasses.replace(
        source,
        id=source.id if same_place else world.fake.ids.next(),
        channel_id=channel.id,
        guild_id=guild.id if guild else None,
        components=[{"type": 1, "components": [button]}],
    )
    data = {"custom_id": custom_id, "component_type": 2}
    return world.fake._base_payload(3, user, guild, channel, data, copy)


async def attempts(world: World) -> int:
    async with world.container.database.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(Attempt)) or 0)


async def test_another_servers_daily_challenge_cannot_be_answered(world: World) -> None:
    await set_daily(world, topics="transformers", difficulty="medium")  # the MCQ
    assert "posted" in await post_now(world)
    [post] = daily_messages(world)
    custom_id = ids_starting(post, "dc:a:")[0]
    other = world.fake.add_guild("Other Server")
    lobby = world.fake.add_channel(other, "lobby")
    eve = world.fake.add_user("eve")
    world.fake.add_member(other, eve)

    click = forged_click(world, eve, other, lobby, post, custom_id)
    reply = await (await world.fake.send_raw_interaction(click)).done()
    assert reply["data"]["flags"] & EPHEMERAL
    assert "another server" in str(reply["data"])
    assert "Correct" not in str(reply["data"]) and post.embeds[0]["description"][:40] not in str(
        reply["data"]
    ), "the other server's question and verdict stay hidden"

    dm = forged_click(world, world.ada, None, world.fake.dm_channel(world.ada), post, custom_id)
    from_dm = await (await world.fake.send_raw_interaction(dm)).done()
    assert "in the server that posted them" in str(from_dm["data"])
    assert APOLOGY not in str(from_dm["data"])
    assert await attempts(world) == 0


async def test_another_servers_daily_form_cannot_be_submitted(world: World) -> None:
    await set_daily(world, topics="transformers", difficulty="medium")
    assert "posted" in await post_now(world)
    [post] = daily_messages(world)
    challenge_id = ids_starting(post, "dc:a:")[0].split(":")[2]
    other = world.fake.add_guild("Other Server")
    lobby = world.fake.add_channel(other, "lobby")
    eve = world.fake.add_user("eve")
    world.fake.add_member(other, eve)
    answer = {"type": 4, "custom_id": "answer", "value": "A"}
    data = {
        "custom_id": f"dc:s:{challenge_id}",
        "components": [{"type": 1, "components": [answer]}],
    }
    payload = world.fake._base_payload(5, eve, other, lobby, data)
    reply = await (await world.fake.send_raw_interaction(payload)).done()
    assert "another server" in str(reply["data"])
    assert await attempts(world) == 0


TAMPERED = [
    "dc:a:9999999999999999999:0",
    "dc:a:0:0",
    "dc:m:9999999999999999999",
    "rs:99999999999999999999:99999999999999999999",
    "wk:99999999999999999999:sql",
    "fm:99999999999999999999:yes",
    "gq:r:AAAAAAAAAAAA:9999999999999999999:3",
    "lb:s:week:99999:next",
]


@pytest.mark.parametrize("custom_id", TAMPERED)
async def test_tampered_numbers_get_a_polite_refusal(
    world: World, custom_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    click = forged_click(world, world.ada, world.guild, world.channel, question, custom_id)
    with caplog.at_level(logging.WARNING):
        reply = await (await world.fake.send_raw_interaction(click)).done()
    assert APOLOGY not in str(reply.get("data")), reply
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [
        r.getMessage() for r in caplog.records
    ]
    assert await attempts(world) == 0


async def test_tampered_daily_form_number_is_refused(world: World) -> None:
    answer = {"type": 4, "custom_id": "answer", "value": "A"}
    data = {
        "custom_id": "dc:s:99999999999999999999999",
        "components": [{"type": 1, "components": [answer]}],
    }
    payload = world.fake._base_payload(5, world.ada, world.guild, world.channel, data)
    reply = await (await world.fake.send_raw_interaction(payload)).done()
    assert reply["data"]["flags"] & EPHEMERAL
    assert APOLOGY not in str(reply["data"])
