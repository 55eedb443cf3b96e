"""Server questions and problem reports end to end, with isolation between servers."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import World
from tests.e2e.test_quiz_flow import ids_starting

EXPLAIN = (
    "Because a window keeps every row. A GROUP BY collapses the rows into one per group instead."
)
ROOT = Path(__file__).resolve().parents[2]
CSV = (
    "topic,kind,difficulty,prompt,choices,answers,explanation,tags\n"
    "math-foundations,short,hard,Which SQL feature gives a running total per row?,,"
    f'window function,"{EXPLAIN}",sql\n'
    "transformers,mcq,easy,Which clause filters groups after aggregation?,*HAVING|WHERE|ORDER BY,,"
    f'"{EXPLAIN}",\n'
)
BROKEN = CSV + "transformers,mcq,easy,Bad one?,A|B,,short,\n"


async def gradient(world: World, sub: str, options: dict[str, object] | None = None) -> dict:  # type: ignore[type-arg]
    ix = await world.slash(world.admin, f"gradient questions {sub}", options or {})
    return await ix.done()


async def test_add_through_the_form_then_list_and_remove(world: World) -> None:
    opened = await gradient(
        world, "add", {"topic": "transformers", "kind": "short", "difficulty": "easy"}
    )
    assert opened["type"] == 9
    form = {
        "prompt": "Which SQL feature computes a running total without collapsing rows?",
        "answers": "window function\nwindow functions",
        "explanation": EXPLAIN,
    }
    submit = await world.fake.submit_modal(
        world.admin, opened["data"]["custom_id"], form, guild=world.guild, channel=world.channel
    )
    added = await submit.done()
    assert "Question added" in str(added["data"])
    listed = str((await gradient(world, "list"))["data"])
    assert "Server questions (1)" in listed
    qid = listed.split("`")[1]
    assert "Removed" in str((await gradient(world, "remove", {"question_id": qid}))["data"])
    assert "no questions of its own" in str((await gradient(world, "list"))["data"])
    missing = await gradient(world, "remove", {"question_id": "tm-001"})
    assert "no question with that id" in str(missing["data"])


async def test_an_invalid_form_saves_nothing(world: World) -> None:
    opened = await gradient(
        world, "add", {"topic": "transformers", "kind": "mcq", "difficulty": "hard"}
    )
    form = {
        "prompt": "Which clause filters groups after aggregation?",
        "choices": "HAVING\nWHERE",
        "explanation": EXPLAIN,
    }
    submit = await world.fake.submit_modal(
        world.admin, opened["data"]["custom_id"], form, guild=world.guild, channel=world.channel
    )
    reply = str((await submit.done())["data"])
    assert "isn't valid yet" in reply and "exactly one choice must be correct" in reply
    assert "no questions of its own" in str((await gradient(world, "list"))["data"])


async def test_import_is_all_or_nothing_and_export_round_trips(world: World) -> None:
    bad = await world.slash(
        world.admin, "gradient questions import", {"file": ("qs.csv", BROKEN.encode(), "text/csv")}
    )
    failed = (await bad.wait_message()).text()
    assert "Nothing was imported" in failed and "row 4" in failed
    assert "no questions of its own" in str((await gradient(world, "list"))["data"])
    good = await world.slash(
        world.admin, "gradient questions import", {"file": ("qs.csv", CSV.encode(), "text/csv")}
    )
    assert "Imported 2 question(s)" in (await good.wait_message()).text()
    export = await world.slash(world.admin, "gradient questions export")
    message = await export.wait_message()
    yaml_text = message.files["gradient-questions.yaml"].decode()
    assert "running total" in yaml_text and "HAVING" in yaml_text
    again = await world.slash(
        world.admin,
        "gradient questions import",
        {"file": ("gradient-questions.yaml", yaml_text.encode(), "text/yaml")},
    )
    assert "Imported 2 question(s)" in (await again.wait_message()).text()


async def test_server_questions_never_leave_their_server(world: World) -> None:
    imported = await world.slash(
        world.admin, "gradient questions import", {"file": ("qs.csv", CSV.encode(), "text/csv")}
    )
    assert "Imported 2" in (await imported.wait_message()).text()
    other = world.fake.add_guild("Other Server")
    lobby = world.fake.add_channel(other, "lobby")
    world.fake.add_member(other, world.bo)
    # Only the server's own question is a hard short math question: the bank has none.
    wanted = {"topic": "math-foundations", "kind": "short", "difficulty": "hard"}
    here = await world.slash(world.ada, "quiz", wanted)
    assert "running total" in (await here.wait_message()).text()
    there = await world.fake.slash(world.bo, "quiz", wanted, guild=other, channel=lobby)
    assert "No question matches" in str((await there.done())["data"])
    dm = await world.slash(world.bo, "quiz", wanted, dm=True)
    assert "No question matches" in str((await dm.done())["data"])


async def test_report_a_problem_from_feedback(world: World) -> None:
    ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
    question = await ix.wait_message()
    click = await world.fake.click(
        world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
    )
    await click.done()
    feedback = await click.wait_followup()
    [report_id] = ids_starting(feedback, "rp:")
    opened = await world.fake.click(world.ada, feedback, report_id, guild=world.guild)
    modal = await opened.done()
    assert modal["type"] == 9
    submit = await world.fake.submit_modal(
        world.ada,
        modal["data"]["custom_id"],
        {"report": "Choice B is also right for small d."},
        guild=world.guild,
        channel=world.channel,
    )
    assert "Thank you" in str((await submit.done())["data"])
    reports = str((await gradient(world, "reports"))["data"])
    assert "tt-001" in reports and "Choice B" in reports
    cli = subprocess.run(  # noqa: ASYNC221 - the CLI is a separate process by design
        [sys.executable, "-m", "bot", "questions", "reports"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DATABASE_URL": world.db_url, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    assert "tt-001 v1" in cli.stdout and "Choice B is also right" in cli.stdout


async def test_a_file_that_cannot_be_imported_gets_a_clear_reply(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    async def upload(filename: str, data: bytes) -> str:
        ix = await world.slash(
            world.admin, "gradient questions import", {"file": (filename, data, "text/csv")}
        )
        return (await ix.wait_message()).text()

    world.fake.download_status = 404
    with caplog.at_level(logging.ERROR):
        unreachable = await upload("qs.csv", CSV.encode())
    assert "couldn't download qs.csv" in unreachable and "upload it again" in unreachable
    world.fake.download_status = None
    assert "limit is 256 KB" in await upload("huge.csv", b"x" * (300 * 1024))
    assert "isn't a question file" in await upload("notes.txt", b"hello")
    assert not [r for r in caplog.records if "unhandled" in r.getMessage()]
    assert "no questions of its own" in str((await gradient(world, "list"))["data"])
