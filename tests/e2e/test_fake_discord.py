"""Self-tests of the loopback Discord fake, driving a small toy discord.py bot through it."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.http import Route

from tests.e2e.fake_discord import (
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    FakeUser,
    connected,
    running_fake,
)
from tests.e2e.toy_bot import ToyBot


@dataclass
class Toy:
    """The fake, the connected toy bot, and a small world to act in."""

    fake: FakeDiscord
    bot: ToyBot
    guild: FakeGuild
    channel: FakeChannel
    ada: FakeUser


def make_world(fake: FakeDiscord) -> tuple[FakeGuild, FakeChannel, FakeUser]:
    """A guild with a #general channel and a member called ada."""
    guild = fake.add_guild("Study Group")
    channel = fake.add_channel(guild, "general")
    ada, root = fake.add_user("ada"), fake.add_user("root")
    fake.add_member(guild, ada)
    fake.add_member(guild, root, admin=True)
    return guild, channel, ada


@pytest.fixture
async def toy() -> AsyncIterator[Toy]:
    """The toy bot connected to a fresh fake with its commands synced; no violations allowed."""
    async with running_fake() as fake:
        guild, channel, ada = make_world(fake)
        bot = ToyBot(guild.id)
        async with connected(fake, bot):
            await bot.tree.sync()
            await bot.tree.sync(guild=discord.Object(guild.id))
            yield Toy(fake, bot, guild, channel, ada)
        assert fake.violations == [], fake.violations
        assert fake.unknown_routes == [], fake.unknown_routes


async def test_login_ready_and_guild_create(toy: Toy) -> None:
    guild = toy.bot.get_guild(toy.guild.id)
    assert guild is not None and guild.name == "Study Group"
    assert [c.name for c in guild.text_channels] == ["general"]
    assert guild.me is not None and guild.member_count == 4  # bot, owner, ada, root
    assert guild.owner_id == toy.guild.owner_id
    assert toy.bot.user is not None and toy.bot.user.id == toy.fake.bot_user.id
    assert toy.bot.application_id == toy.fake.application_id
    assert toy.fake.connections == 1 and toy.fake.gateway.heartbeats >= 1
    assert toy.fake.requests[:2] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me")]


async def test_admin_members_get_admin_permissions(toy: Toy) -> None:
    root = next(u for u in toy.fake.users.values() if u.name == "root")
    for user, expected in (
        (toy.ada, "admin=False channel=False"),
        (root, "admin=True channel=True"),
    ):
        ix = await toy.fake.slash(user, "perms", guild=toy.guild)
        assert (await ix.wait_message()).content == expected


async def test_discord_rules_enforced_on_raw_http(toy: Toy) -> None:
    fake = toy.fake
    ix = await fake.slash(toy.ada, "secret", guild=toy.guild)
    await ix.done()
    base, auth = fake.api_base(), {"Authorization": f"Bot {fake.token}"}
    forged = fake.component_payload(toy.ada, await ix.wait_message(), "nobody:handles:this")
    orphan = await fake.send_raw_interaction(forged)  # no view matches: the bot stays silent
    long_title = {"type": 9, "data": {"custom_id": "m", "title": "t" * 46, "components": []}}
    row = {
        "type": 1,
        "components": [
            {"type": 2, "style": 1, "label": "a", "custom_id": "dup"},
            {"type": 2, "style": 1, "label": "b", "custom_id": "dup"},
            {"type": 2, "style": 5, "label": "c", "custom_id": "x", "url": "https://example.com"},
        ],
    }
    async with aiohttp.ClientSession() as http:
        again = await http.post(
            f"{base}/interactions/{ix.id}/{ix.token}/callback",
            json={"type": 4, "data": {"content": "twice"}},
        )
        assert again.status == 400 and (await again.json())["code"] == 40060
        modal = await http.post(
            f"{base}/interactions/{orphan.id}/{orphan.token}/callback", json=long_title
        )
        errors = (await modal.json())["errors"]["data"]
        assert set(errors) == {"title", "components"}
        unknown = await http.post(
            f"{base}/webhooks/{fake.application_id}/nope", json={"content": "x"}
        )
        assert unknown.status == 404 and (await unknown.json())["code"] == 10015
        bad = await http.post(
            f"{base}/channels/{toy.channel.id}/messages",
            headers=auth,
            json={"content": "hi", "components": [row]},
        )
        assert bad.status == 400 and bad.headers["Content-Type"] == "application/json"
        unauthorised = await http.get(f"{base}/users/@me", headers={"Authorization": "Bot nope"})
        assert unauthorised.status == 401
    assert len(fake.violations) == 5  # twice, 46-char title, no components, duplicate id, link
    assert any("duplicated" in v for v in fake.violations)
    assert any("link button needs a url and no custom_id" in v for v in fake.violations)
    fake.violations.clear()


async def test_a_wrong_token_is_refused() -> None:
    async with running_fake():
        client = discord.Client(intents=discord.Intents.default())
        with pytest.raises(discord.LoginFailure):
            await client.login("not-the-token")
        await client.close()


async def test_command_registration_and_validation(toy: Toy) -> None:
    fake = toy.fake
    names = {c["name"] for c in fake.commands()}
    assert names == {"quiz", "greedy", "slow", "secret", "late", "upload", "perms"}
    (group,) = fake.commands(toy.guild.id)
    assert group["name"] == "gradient" and group["options"][0]["options"][0]["name"] == "set"
    assert fake.command_syncs == [(None, 7), (toy.guild.id, 1)]
    quiz = next(c for c in fake.commands() if c["name"] == "quiz")
    ids_before = quiz["id"]
    await toy.bot.tree.sync()
    assert next(c for c in fake.commands() if c["name"] == "quiz")["id"] == ids_before

    @toy.bot.tree.command(description="x" * 101)
    async def wordy(interaction: discord.Interaction) -> None:
        """Its description is too long for Discord."""

    with pytest.raises(app_commands.CommandSyncFailure) as failure:
        await toy.bot.tree.sync()
    assert failure.value.status == 400 and failure.value.code == 50035
    assert "Must be between 1 and 100 in length" in str(failure.value)
    assert fake.violations == [
        f"PUT /applications/{fake.application_id}/commands: 7.description: Must be between 1 "
        "and 100 in length."
    ]
    assert len(fake.commands()) == 7  # the failed sync changed nothing
    fake.violations.clear()


async def test_slash_with_options_answers_with_embed_and_buttons(toy: Toy) -> None:
    fake = toy.fake
    ix = await fake.slash(
        toy.ada,
        "quiz",
        {"topic": "sql", "difficulty": "hard", "rounds": 3},
        guild=toy.guild,
        channel=toy.channel,
    )
    assert (await ix.done())["type"] == 4
    message = await ix.wait_message()
    assert "Quiz: sql" in message.text() and "hard x3" in message.text()
    assert "What is attention?" in message.text() and "good luck" in message.text()
    assert [b["label"] for b in message.buttons()] == ["Reveal", "Give feedback", "Count 0"]
    assert message.custom_ids() == ["reveal", "open_feedback", "counter:0"]
    assert fake.channel_messages(toy.channel) == [message] and not message.ephemeral
    with pytest.raises(AssertionError, match="one of the choices"):
        await fake.slash(toy.ada, "quiz", {"topic": "sql", "difficulty": "medium"}, guild=toy.guild)
    with pytest.raises(AssertionError, match="has no options"):
        await fake.slash(toy.ada, "quiz", {"topic": "sql", "colour": "red"}, guild=toy.guild)
    with pytest.raises(AssertionError, match="not registered"):
        await fake.slash(toy.ada, "nope", guild=toy.guild)


async def test_deferred_response_edit_and_followups(toy: Toy) -> None:
    ix = await toy.fake.slash(toy.ada, "slow", guild=toy.guild, channel=toy.channel)
    assert (await ix.done())["type"] == 5
    assert (await ix.wait_message()).content == "done thinking"
    followup = await ix.wait_followup()
    assert followup.content == "and one more thing" and followup.files == {"extra.txt": b"extra"}
    assert ix.followups[0] is not ix.message
    only = await toy.fake.slash(toy.ada, "slow", {"followup_only": True}, guild=toy.guild)
    first = await only.wait_followup()
    assert first is only.message and first.content == "and one more thing"  # fills the deferral


async def test_plain_view_and_dynamic_item_buttons(toy: Toy) -> None:
    fake = toy.fake
    message = await (
        await fake.slash(toy.ada, "quiz", {"topic": "sql"}, guild=toy.guild)
    ).wait_message()
    reveal = await fake.click(toy.ada, message, "reveal", guild=toy.guild)
    assert (await reveal.done())["type"] == 7 and reveal.message is message
    assert message.content == "The answer is 42"
    assert next(b for b in message.buttons() if b["custom_id"] == "reveal")["disabled"] is True
    count = await fake.click(toy.ada, message, "counter:0", guild=toy.guild)
    assert (await count.done())["type"] == 7
    assert message.content == "count is 1" and message.custom_ids() == ["counter:1"]
    with pytest.raises(AssertionError, match="no component 'counter:0'"):
        await fake.click(toy.ada, message, "counter:0", guild=toy.guild)


async def test_dynamic_item_survives_a_restart() -> None:
    async with running_fake() as fake:
        guild, _, ada = make_world(fake)
        first = ToyBot(guild.id)
        async with connected(fake, first):
            await first.tree.sync()
            message = await (
                await fake.slash(ada, "quiz", {"topic": "sql"}, guild=guild)
            ).wait_message()
        async with connected(fake, ToyBot(guild.id)):
            click = await fake.click(ada, message, "counter:0", guild=guild)
            assert (await click.done())["type"] == 7 and message.content == "count is 1"
        assert fake.connections == 2 and fake.violations == []


async def test_modal_opened_from_a_button_and_submitted(toy: Toy) -> None:
    fake = toy.fake
    message = await (
        await fake.slash(toy.ada, "quiz", {"topic": "sql"}, guild=toy.guild)
    ).wait_message()
    opener = await fake.click(toy.ada, message, "open_feedback", guild=toy.guild)
    assert (await opener.done())["type"] == 9
    assert opener.modal is not None and opener.modal["title"] == "Feedback"
    assert [c["type"] for c in opener.modal["components"]] == [18, 1]  # label form, then a row
    submit = await fake.submit_modal(
        toy.ada, "feedback_modal", {"answer": "attention is all", "mood": "great"}
    )
    assert (await submit.wait_message()).content == "Thanks: attention is all / great"
    with pytest.raises(AssertionError, match="never opened"):
        await fake.submit_modal(toy.ada, "other_modal", {}, guild=toy.guild)
    with pytest.raises(AssertionError, match="no inputs"):
        await fake.submit_modal(toy.ada, "feedback_modal", {"typo": "x"})


async def test_autocomplete_and_its_limits(toy: Toy) -> None:
    fake = toy.fake
    choices = await fake.autocomplete(
        toy.ada, "quiz", {"topic": "tra"}, focused="topic", guild=toy.guild, channel=toy.channel
    )
    assert [c["name"] for c in choices] == ["transformers", "transfer learning"]
    with pytest.raises(AssertionError, match="Must be 25 or fewer"):
        await fake.autocomplete(toy.ada, "greedy", {"word": "w"}, focused="word", guild=toy.guild)
    assert len(fake.violations) == 1 and "choices" in fake.violations[0]
    fake.violations.clear()


async def test_ephemeral_reply_and_dm(toy: Toy) -> None:
    ix = await toy.fake.slash(toy.ada, "secret", guild=toy.guild, channel=toy.channel)
    reply = await ix.done()
    assert reply["data"]["flags"] == 64
    assert (await ix.wait_message()).ephemeral and toy.fake.channel_messages(toy.channel) == []
    dm = await toy.fake.slash(toy.ada, "secret")
    message = await dm.wait_message()
    assert toy.fake.channels[message.channel_id].recipient_id == toy.ada.id
    with pytest.raises(AssertionError, match="not registered globally"):
        await toy.fake.slash(toy.ada, "gradient daily set", {"hour": 7})


async def test_subcommands_and_typed_options(toy: Toy) -> None:
    fake = toy.fake
    ix = await fake.slash(toy.ada, "gradient daily set", {"hour": 7}, guild=toy.guild)
    assert (await ix.wait_message()).content == "daily at 7:00"
    assert ix.payload["data"]["options"][0]["options"][0]["options"] == [
        {"name": "hour", "type": 4, "value": 7}
    ]
    with pytest.raises(AssertionError, match="between 0 and 23"):
        await fake.slash(toy.ada, "gradient daily set", {"hour": 25}, guild=toy.guild)
    notes = fake.add_channel(toy.guild, "notes")
    await asyncio.sleep(0.05)  # CHANNEL_CREATE reaches the bot
    ix = await fake.slash(
        toy.ada,
        "upload",
        {"where": notes, "member": toy.ada, "file": ("n.txt", b"hello", "text/plain")},
        guild=toy.guild,
    )
    receipt = await ix.wait_message()
    assert receipt.content == "posted 5 bytes" and receipt.files == {"receipt.txt": b"ok"}
    (posted,) = fake.channel_messages(notes)
    assert posted.content == "notes for ada" and posted.files == {"notes.txt": b"HELLO"}
    attachment = posted.attachments[0]
    assert (attachment["filename"], attachment["size"]) == ("notes.txt", 5)
    async with aiohttp.ClientSession() as session, session.get(attachment["url"]) as response:
        assert await response.read() == b"HELLO"


async def test_channel_permissions_deletion_and_form_limits(toy: Toy) -> None:
    fake, bot = toy.fake, toy.bot
    muted = fake.add_channel(toy.guild, "announcements", bot_can_send=False)
    await asyncio.sleep(0.05)
    channel = bot.get_channel(muted.id)
    assert isinstance(channel, discord.TextChannel)
    assert not channel.permissions_for(channel.guild.me).send_messages
    with pytest.raises(discord.Forbidden) as forbidden:
        await channel.send("hello")
    assert forbidden.value.code == 50013
    general = bot.get_channel(toy.channel.id)
    assert isinstance(general, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as too_long:
        await general.send("x" * 2001)
    assert too_long.value.code == 50035 and "content: Must be 2000 or fewer" in fake.violations[0]
    with pytest.raises(discord.HTTPException):
        await general.send(embed=discord.Embed(title="t" * 257))
    assert len(fake.violations) == 2
    fake.violations.clear()
    sent = await general.send("fine", file=discord.File(io.BytesIO(b"abc"), filename="a.csv"))
    stored = fake.messages[sent.id]
    assert stored.files == {"a.csv": b"abc"} and stored.attachments[0]["content_type"] == "text/csv"
    await sent.edit(content="edited")
    assert stored.content == "edited" and stored.files == {"a.csv": b"abc"}
    fake.delete_channel(toy.channel)
    with pytest.raises(discord.NotFound) as gone:
        await general.send("anyone?")
    assert gone.value.code == 10003
    await asyncio.sleep(0.05)
    assert bot.get_channel(toy.channel.id) is None  # CHANNEL_DELETE was dispatched
    with pytest.raises(discord.NotFound):
        await bot.http.request(Route("GET", "/no/such/route"))
    assert fake.unknown_routes == [("GET", "/no/such/route")]
    fake.unknown_routes.clear()


async def test_rate_limits_are_retried_with_via_and_raised_without(toy: Toy) -> None:
    fake = toy.fake
    fake.rate_limit_next("POST", r"^/interactions/\d+/[^/]+/callback$", retry_after=0.3)
    ix = await fake.slash(toy.ada, "secret", guild=toy.guild)
    assert (await ix.done())["type"] == 4
    assert fake.rate_limited == 1
    assert sum(1 for m, p in fake.requests if p.endswith("/callback")) == 2
    fake.rate_limit_next("POST", r"^/webhooks/", retry_after=0.2)
    slow = await fake.slash(toy.ada, "slow", guild=toy.guild)
    assert (await slow.wait_followup()).content == "and one more thing"
    assert fake.rate_limited == 2
    fake.rate_limit_next("POST", r"/messages$", via=False)
    general = toy.bot.get_channel(toy.channel.id)
    assert isinstance(general, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as banned:
        await general.send("hello")
    assert banned.value.status == 429  # no Via header: taken for a Cloudflare ban, not retried


async def test_gateway_resume_replays_missed_events(toy: Toy) -> None:
    fake = toy.fake
    await fake.disconnect(resume=True)
    missed = await fake.slash(toy.ada, "secret", guild=toy.guild)  # sent while disconnected
    await fake.wait_resumed()
    assert (await missed.done())["type"] == 4
    await asyncio.wait_for(toy.bot.resumed.wait(), 3)
    assert (fake.connections, fake.resumes) == (1, 1)
    await fake.disconnect(resume=True, code=None)  # a TCP reset rather than a close frame
    await fake.wait_resumed()
    after = await fake.slash(toy.ada, "quiz", {"topic": "sql"}, guild=toy.guild)
    assert (await after.done())["type"] == 4 and fake.resumes == 2


async def test_invalid_session_forces_a_fresh_identify(toy: Toy) -> None:
    fake = toy.fake
    await fake.disconnect(resume=False)
    await fake.wait_ready()
    assert (fake.connections, fake.resumes) == (2, 0)
    ix = await fake.slash(toy.ada, "quiz", {"topic": "sql"}, guild=toy.guild)
    assert (await ix.done())["type"] == 4
    assert toy.bot.get_guild(toy.guild.id) is not None


async def test_a_late_response_is_a_deadline_violation(toy: Toy) -> None:
    fake = toy.fake
    ix = await fake.slash(toy.ada, "late", guild=toy.guild)
    with pytest.raises(AssertionError, match=r"no interaction response within 3\.0s"):
        await ix.done()
    await fake.events.wait_for(
        lambda: bool(ix.late_callbacks),
        asyncio.get_running_loop().time() + 2,
        lambda: "no late callback",
    )
    assert ix.response is None and fake.unanswered() == [ix]
    assert len(fake.violations) == 1 and "deadline is 3s" in fake.violations[0]
    fake.violations.clear()
