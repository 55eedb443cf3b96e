"""The daily challenge end to end: admin set-up, posts, answers, reveal, restarts, lost channels."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import DailyChallenge, Guild
from tests.e2e.fake_discord.options import CommandLookup, build_options
from tests.e2e.harness import World
from tests.e2e.test_quiz_flow import ids_starting

EPHEMERAL = 64


@dataclass
class Clock:
    """A settable clock shared by the bot's services."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def clocked(world: World) -> World:
    """The world restarted with a controlled clock at 10:00 Berlin time."""
    world.clock = Clock(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    await world.restart()
    return world


async def set_daily(
    world: World, user: object | None = None, **options: object
) -> dict[str, object]:
    opts = {"channel": world.channel, "time": "09:00", "timezone": "Europe/Berlin", **options}
    ix = await world.slash(user or world.admin, "gradient daily set", opts)  # type: ignore[arg-type]
    return await ix.done()


async def post_now(world: World, channel: object | None = None) -> str:
    where = channel or world.channel
    ix = await world.fake.slash(
        world.admin, "gradient daily now", {}, guild=world.guild, channel=where
    )  # type: ignore[arg-type]
    assert (await ix.done())["type"] == 5
    return (await ix.wait_message()).text()


def daily_messages(world: World) -> list:  # type: ignore[type-arg]
    return [m for m in world.fake.channel_messages(world.channel) if "Daily challenge" in m.text()]


async def as_member_despite_default_permissions(
    world: World, name: str, options: dict[str, object]
) -> dict:  # type: ignore[type-arg]
    """Run an admin command as a plain member, as if an admin had overridden who may see it."""
    fake = world.fake
    lookup = CommandLookup.find(fake, name, world.guild, world.admin)
    resolved: dict[str, object] = {}
    opts = build_options(fake, lookup, options, resolved, world.guild, world.ada)
    payload = fake._base_payload(
        2, world.ada, world.guild, world.channel, lookup.data(opts, resolved)
    )
    return await (await fake.send_raw_interaction(payload)).done()


async def test_admin_sets_up_and_non_admins_are_refused(clocked: World) -> None:
    world = clocked
    with pytest.raises(AssertionError, match="hides it"):
        await set_daily(world, world.ada)  # Discord does not even show it to ada
    options = {"channel": world.channel, "time": "09:00", "timezone": "Europe/Berlin"}
    refused = await as_member_despite_default_permissions(world, "gradient daily set", options)
    assert refused["data"]["flags"] & EPHEMERAL
    assert "Manage Server" in str(refused["data"])
    async with world.container.database.unit_of_work() as session:
        guild = await session.get(Guild, world.guild.id)
    assert guild is None or not guild.daily_enabled
    bad_zone = await set_daily(world, timezone="Mars/Base")
    assert "isn't a timezone" in str(bad_zone["data"])
    bad_time = await set_daily(world, time="25:99")
    assert "HH:MM" in str(bad_time["data"]) or "00:00" in str(bad_time["data"])
    ok = await set_daily(world, topics="transformers")
    assert "Next post" in str(ok["data"])
    assert "<t:" in str(ok["data"])
    zones = await world.fake.autocomplete(
        world.admin,
        "gradient daily set",
        {"timezone": "berl"},
        focused="timezone",
        guild=world.guild,
        channel=world.channel,
    )
    assert zones[0]["value"] == "Europe/Berlin"
    status = await (await world.slash(world.admin, "gradient daily status")).done()
    assert "Europe/Berlin" in str(status["data"])


async def test_post_answers_double_click_and_reveal(clocked: World) -> None:
    world = clocked
    await set_daily(world, topics="transformers", difficulty="medium")  # tt-001, the MCQ
    assert "posted" in await post_now(world)
    assert "already posted" in await post_now(world)
    [post] = daily_messages(world)
    assert "Closes <t:" in post.text()
    choices = ids_starting(post, "dc:a:")
    answers = [(world.ada, choices[0]), (world.bo, choices[1]), (world.ada, choices[0])]
    replies = []
    for user, custom_id in answers:
        click = await world.fake.click(user, post, custom_id, guild=world.guild)
        replies.append(await click.done())
    assert "Correct" in str(replies[0]["data"]) and "Streak: 1" in str(replies[0]["data"])
    assert "+30 points" in str(replies[0]["data"])  # 20 + 50% daily bonus
    assert "already answered" in str(replies[2]["data"]).lower()
    mine = await (await world.slash(world.ada, "daily")).done()
    assert mine["data"]["flags"] & EPHEMERAL and "streak here: 1" in str(mine["data"])

    world.clock.now += timedelta(days=1)  # type: ignore[union-attr]
    assert "posted" in await post_now(world)
    reveal = daily_messages(world)[-1].text()
    assert "revealed" in reveal
    assert "2 answered · 50% correct" in reveal
    assert "ada" in reveal
    late = await world.fake.click(world.bo, post, choices[0], guild=world.guild)
    assert "closed" in str((await late.done())["data"])
    async with world.container.database.unit_of_work() as session:
        rows = (
            await session.scalars(select(DailyChallenge).order_by(DailyChallenge.local_date))
        ).all()
    assert [r.status for r in rows] == ["revealed", "posted"]


async def test_restart_before_post_time_still_posts_once_on_time(clocked: World) -> None:
    world = clocked
    await set_daily(world, time="11:00")  # 09:00 UTC; now is 08:00 UTC
    assert daily_messages(world) == []
    world.clock.now += timedelta(hours=2)  # type: ignore[union-attr]
    await world.restart()  # the bot was down at 11:00 local: catch-up posts on start
    await eventually(lambda: len(daily_messages(world)) == 1)
    await world.restart()
    await asyncio.sleep(0.3)
    assert len(daily_messages(world)) == 1, "a restart must not post again"


async def eventually(predicate: Callable[[], bool], limit: float = 5.0) -> None:
    """Wait until predicate() holds (background work such as catch-up), or fail."""
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not predicate():
        assert loop.time() < end, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_a_deleted_channel_disables_the_daily_with_a_reason(clocked: World) -> None:
    world = clocked
    await set_daily(world)
    lobby = world.fake.add_channel(world.guild, "lobby")
    world.fake.delete_channel(world.channel)
    text = await post_now(world, lobby)
    assert "couldn't post" in text
    ix = await world.fake.slash(
        world.admin, "gradient daily status", {}, guild=world.guild, channel=lobby
    )
    status = await ix.done()
    assert "deleted" in str(status["data"])
    assert "off" in str(status["data"])


async def test_channel_without_permission_is_refused_at_set_up(clocked: World) -> None:
    world = clocked
    locked = world.fake.add_channel(world.guild, "locked", bot_can_send=False)
    reply = await set_daily(world, channel=locked)
    assert "can't post" in str(reply["data"])


async def test_scores_reset_and_season(clocked: World) -> None:
    world = clocked
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    await (
        await world.fake.click(
            world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
        )
    ).done()
    season = await (await world.slash(world.admin, "gradient season start")).done()
    assert "new season" in str(season["data"]).lower()
    board = await (await world.slash(world.ada, "leaderboard", {"period": "season"})).done()
    assert "No points yet" in str(board["data"])
    ask = await world.slash(world.admin, "gradient scores reset", {"member": world.ada})
    prompt = await ix_message(ask)
    outsider = await world.fake.click(
        world.bo, prompt, ids_starting(prompt, "rs:")[0], guild=world.guild
    )
    assert "Only the admin" in str((await outsider.done())["data"])
    confirm = await world.fake.click(
        world.admin, prompt, ids_starting(prompt, "rs:")[0], guild=world.guild
    )
    assert (await confirm.done())["type"] == 7
    week = await (await world.slash(world.ada, "leaderboard")).done()
    assert "You have no points" in str(week["data"])
    world_board = await (await world.slash(world.ada, "leaderboard", {"scope": "global"})).done()
    assert "You are #1" in str(world_board["data"]), "global scores are untouched"


async def ix_message(ix: object) -> object:
    """The message an interaction created."""
    return await ix.wait_message()  # type: ignore[attr-defined]
