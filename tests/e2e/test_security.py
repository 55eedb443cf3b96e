"""Security end to end: admin paths checked by the bot, answers bound to their user and server
questions bound to their server, and no secrets in the logs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlmodel import SQLModel

from bot.db.models import Attempt, QuestionReport
from bot.interactions.boundary import APOLOGY
from tests.e2e.fake_discord import FakeChannel, FakeGuild, FakeUser, Message
from tests.e2e.fake_discord.options import CommandLookup, build_options
from tests.e2e.harness import World
from tests.e2e.test_custom_questions import CSV
from tests.e2e.test_daily import Clock
from tests.e2e.test_forgeries import forged_click
from tests.e2e.test_quiz_flow import ids_starting

EPHEMERAL = 64
CUSTOM_PROMPTS = ("running total", "filters groups after aggregation")


async def as_user(
    world: World,
    user: FakeUser,
    name: str,
    options: dict[str, Any],
    guild: FakeGuild | None = None,
    channel: FakeChannel | None = None,
) -> dict[str, Any]:
    """Run a command as `user` even if Discord would hide it (an admin changed who sees it)."""
    fake, guild, channel = world.fake, guild or world.guild, channel or world.channel
    lookup = CommandLookup.find(fake, name, guild, world.admin)  # found as an admin sees it
    resolved: dict[str, Any] = {}
    opts = build_options(fake, lookup, options, resolved, guild, user)
    payload = fake._base_payload(2, user, guild, channel, lookup.data(opts, resolved))
    response: dict[str, Any] = await (await fake.send_raw_interaction(payload)).done()
    return response


async def snapshot(world: World) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for comparing before and after."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with world.container.database.unit_of_work() as session:
        for table in SQLModel.metadata.sorted_tables:
            result = await session.execute(text(f"SELECT * FROM {table.name}"))
            rows[table.name] = sorted((tuple(map(str, r)) for r in result.all()), key=str)
    return rows


async def import_csv(world: World, guild: FakeGuild | None = None) -> None:
    """The world's admin imports the two-question CSV into the server."""
    ix = await world.fake.slash(
        world.admin,
        "gradient questions import",
        {"file": ("qs.csv", CSV.encode(), "text/csv")},
        guild=guild or world.guild,
        channel=world.channel,
    )
    assert "Imported 2" in (await ix.wait_message()).text()


def admin_commands(world: World, question_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Every /gradient command with valid options."""
    return [
        ("gradient daily set", {"channel": world.channel, "time": "09:00", "timezone": "UTC"}),
        ("gradient daily off", {}),
        ("gradient daily now", {}),
        ("gradient daily status", {}),
        ("gradient scores reset", {}),
        ("gradient scores reset", {"member": world.bo}),
        ("gradient season start", {}),
        (
            "gradient questions add",
            {"topic": "transformers", "kind": "short", "difficulty": "easy"},
        ),
        ("gradient questions import", {"file": ("qs.csv", CSV.encode(), "text/csv")}),
        ("gradient questions export", {}),
        ("gradient questions list", {}),
        ("gradient questions remove", {"question_id": question_id}),
        ("gradient questions reports", {}),
    ]


async def test_every_admin_command_is_refused_to_members_on_the_server_side(world: World) -> None:
    """Each /gradient command run by a member (despite default_permissions) changes nothing."""
    await import_csv(world)
    listed = str((await (await world.slash(world.admin, "gradient questions list")).done())["data"])
    question_id = listed.split("`")[1]
    commands = admin_commands(world, question_id)
    assert {c for c, _ in commands} == {
        f"gradient {c['name']} {s['name']}"
        for c in next(c for c in world.fake.commands() if c["name"] == "gradient")["options"]
        for s in c["options"]
    }, "every admin subcommand is covered"
    before = await snapshot(world)
    for name, options in commands:
        reply = await as_user(world, world.ada, name, options)
        assert reply["type"] == 4, (name, reply)
        assert reply["data"]["flags"] & EPHEMERAL, name
        assert "Manage Server" in str(reply["data"]), (name, reply)
        assert question_id not in str(reply["data"]), name
    assert await snapshot(world) == before


async def test_admin_buttons_and_forms_are_checked_again(world: World) -> None:
    """A forged reset button, a demoted admin's click and a forged add form change nothing."""
    quiz = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await quiz.wait_message()
    await (
        await world.fake.click(
            world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
        )
    ).done()
    ask = await world.slash(world.admin, "gradient scores reset", {})
    prompt = await ask.wait_message()
    [reset_id] = ids_starting(prompt, "rs:")
    before = await snapshot(world)
    for custom_id in (reset_id, f"rs:{world.ada.id}:0", f"rs:{world.admin.id}:{world.ada.id}"):
        click = forged_click(world, world.ada, world.guild, world.channel, question, custom_id)
        reply = await (await world.fake.send_raw_interaction(click)).done()
        assert reply["data"]["flags"] & EPHEMERAL and APOLOGY not in str(reply["data"])
    world.guild.members[world.admin.id].admin = False  # demoted after asking
    demoted = await world.fake.click(world.admin, prompt, reset_id, guild=world.guild)
    assert "Manage Server" in str((await demoted.done())["data"])
    form = {"type": 4, "custom_id": "prompt", "value": "Which clause filters groups here?"}
    data = {
        "custom_id": "cq:add:transformers:short:easy",
        "components": [{"type": 1, "components": [form]}],
    }
    for user in (world.ada, world.admin):
        raw = world.fake._base_payload(5, user, world.guild, world.channel, data)
        reply = await (await world.fake.send_raw_interaction(raw)).done()
        assert "Manage Server" in str(reply["data"]), reply
    assert await snapshot(world) == before


async def feedback_of(world: World, user: FakeUser, kind: str) -> tuple[Message, Message]:
    """Serve a question of `kind` to user and answer it; the question and its feedback."""
    quiz = await world.slash(user, "quiz", {"topic": "transformers", "kind": kind})
    question = await quiz.wait_message()
    if kind == "mcq":
        click = await world.fake.click(
            user, question, ids_starting(question, "gq:a:")[0], guild=world.guild
        )
        await click.done()
        return question, await click.wait_followup()
    opener = await world.fake.click(
        user, question, ids_starting(question, "gq:m:")[0], guild=world.guild
    )
    modal = (await opener.done())["data"]["custom_id"]
    answer = "Attention compares every pair of tokens, so its cost grows quadratically."
    submit = await world.fake.submit_modal(
        user, modal, {"answer": answer}, guild=world.guild, channel=world.channel, message=question
    )
    await submit.done()
    return question, await submit.wait_followup()


async def test_no_custom_id_scores_or_rates_another_users_question(world: World) -> None:
    """bo replays every id of ada's questions and feedback, and her answer form: nothing moves."""
    fresh: list[Message] = []
    for kind in ("mcq", "short", "open"):
        ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": kind})
        fresh.append(await ix.wait_message())
    _, feedback = await feedback_of(world, world.ada, "open")
    before = await snapshot(world)
    targets = [(m, c) for m in [*fresh, feedback] for c in m.custom_ids()]
    assert any(c.startswith("gq:r:") for _, c in targets), "the open feedback has rate buttons"
    for message, custom_id in targets:
        if custom_id.startswith("rp:"):
            continue  # anyone may report a problem; that is not scoring
        payload = world.fake.component_payload(world.bo, message, custom_id, guild=world.guild)
        reply = await (await world.fake.send_raw_interaction(payload)).done()
        assert reply["type"] == 4 and reply["data"]["flags"] & EPHEMERAL, (custom_id, reply)
        assert APOLOGY not in str(reply["data"])
    tokens = {c.split(":")[2] for m in fresh for c in m.custom_ids() if c.startswith("gq:")}
    for token in tokens:
        form = {"type": 4, "custom_id": "answer", "value": "keys"}
        data = {"custom_id": f"gq:s:{token}", "components": [{"type": 1, "components": [form]}]}
        raw = world.fake._base_payload(5, world.bo, world.guild, world.channel, data, fresh[0])
        reply = await (await world.fake.send_raw_interaction(raw)).done()
        assert "someone else" in str(reply["data"]), reply
    after = await snapshot(world)
    for table in ("attempts", "scores", "review_cards", "topic_stats", "served_questions"):
        assert after[table] == before[table], table
    async with world.container.database.unit_of_work() as session:
        stored = list((await session.scalars(select(Attempt))).all())
    assert [(a.user_id, a.self_rating) for a in stored] == [(world.ada.id, None)]


async def test_server_questions_never_cross_servers(world: World) -> None:
    """Another server's /quiz, /review, daily, export and reports never see this one's questions."""
    clock = Clock(datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    world.clock = clock
    await world.restart()
    await import_csv(world)
    other = world.fake.add_guild("Other Server")
    lobby = world.fake.add_channel(other, "lobby")
    boss = world.fake.add_user("boss")
    world.fake.add_member(other, boss, admin=True)
    world.fake.add_member(other, world.ada)

    # ada answers the server's own question wrong, so it becomes a review card, and reports it
    wanted = {"topic": "math-foundations", "kind": "short", "difficulty": "hard"}
    question = await (await world.slash(world.ada, "quiz", wanted)).wait_message()
    assert "running total" in question.text()
    opener = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:m:")[0], guild=world.guild
    )
    modal = (await opener.done())["data"]["custom_id"]
    submit = await world.fake.submit_modal(
        world.ada, modal, {"answer": "a cursor"}, guild=world.guild, channel=world.channel
    )
    await submit.done()
    feedback = await submit.wait_followup()
    [report_id] = ids_starting(feedback, "rp:")
    opened = await world.fake.click(world.ada, feedback, report_id, guild=world.guild)
    report_form = (await opened.done())["data"]["custom_id"]
    sent = await world.fake.submit_modal(
        world.ada, report_form, {"report": "Secret wording of ours"}, guild=world.guild
    )
    assert "Thank you" in str((await sent.done())["data"])
    clock.now += timedelta(days=3)  # the review is now due

    def leaks(body: object) -> bool:
        return any(p in str(body) for p in CUSTOM_PROMPTS) or "Secret wording" in str(body)

    there = await world.fake.slash(world.ada, "review", {}, guild=other, channel=lobby)
    assert not leaks((await there.done())["data"]), "review in another server"
    dm = await world.slash(world.ada, "review", {}, dm=True)
    assert not leaks((await dm.done())["data"]), "review in a DM"
    quiz_there = await world.fake.slash(world.ada, "quiz", wanted, guild=other, channel=lobby)
    assert not leaks((await quiz_there.done())["data"])
    for sub in ("export", "list", "reports"):
        ix = await world.fake.slash(
            boss, f"gradient questions {sub}", {}, guild=other, channel=lobby
        )
        reply = await ix.done()
        files = b"".join(
            m.files.get("gradient-questions.yaml", b"") for m in [await ix.wait_message()]
        )
        assert not leaks(reply["data"]) and not leaks(files.decode()), sub
    setup = await world.fake.slash(
        boss,
        "gradient daily set",
        {
            "channel": lobby,
            "time": "09:00",
            "timezone": "UTC",
            "topics": "math-foundations",
            "difficulty": "hard",
            "server_questions": True,
        },
        guild=other,
        channel=lobby,
    )
    await setup.done()
    now = await world.fake.slash(boss, "gradient daily now", {}, guild=other, channel=lobby)
    await now.done()
    await now.wait_message()
    assert not any(leaks(m.text()) for m in world.fake.channel_messages(lobby))
    async with world.container.database.unit_of_work() as session:
        assert await world.container.custom.active(session, other.id) == []
        reports = list((await session.scalars(select(QuestionReport))).all())
    assert [r.guild_id for r in reports] == [world.guild.id]
    # the positive control: in its own server the question and the report are there
    here = await world.slash(world.ada, "review")
    assert "running total" in str((await here.wait_message()).text())
    mine = await world.slash(world.admin, "gradient questions reports")
    assert "Secret wording" in str((await mine.done())["data"])


async def test_no_secrets_in_the_logs(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """Neither the bot token nor any interaction token is logged, at any level, by Gradient."""
    with caplog.at_level(logging.DEBUG):
        await world.restart()
        await feedback_of(world, world.ada, "mcq")
        await feedback_of(world, world.bo, "short")
        await (await world.slash(world.ada, "stats")).done()
        await import_csv(world)
        await (await world.slash(world.admin, "gradient questions export")).done()
    secrets = [world.fake.token, *(ix.token for ix in world.fake.interactions.values())]
    mine = [r for r in caplog.records if r.name.startswith(("bot", "gradient"))]
    assert mine, "Gradient logged nothing"
    for record in caplog.records:
        line = record.getMessage() + str(record.args or "")
        assert world.fake.token not in line, (record.name, line[:200])
    for record in mine:
        line = record.getMessage()
        assert not [s for s in secrets if s in line], (record.name, line[:200])
