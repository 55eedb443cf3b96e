"""Fuzzed text in answer forms and in the forms that echo it: graded, stored, never pinging."""

from __future__ import annotations

import itertools
import logging

import pytest
from hypothesis import strategies as st
from sqlalchemy import select

from bot.db.models import Attempt
from tests.e2e.fuzzing import (
    TEXT,
    answered,
    assert_nothing_pings,
    bug_lines,
    check_state,
    drawn,
    errors_in,
    fit,
    new_member,
    record_payloads,
)
from tests.e2e.harness import World
from tests.e2e.test_quiz_flow import ids_starting


async def test_modal_answers_of_any_text_are_graded_and_never_ping(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Any Unicode, 4,000 characters, controls, markdown and mentions in answer forms."""
    seen = record_payloads(world)
    texts = drawn(TEXT)
    kinds = itertools.cycle(["short", "open"])
    refused = 0
    with caplog.at_level(logging.INFO):
        for drawn_text in texts:
            user = new_member(world)
            quiz = await world.slash(user, "quiz", {"topic": "transformers", "kind": next(kinds)})
            question = await quiz.wait_message(timeout=8.0)
            opener = await world.fake.click(
                user, question, ids_starting(question, "gq:m:")[0], guild=world.guild
            )
            modal = await answered(opener)
            assert modal["type"] == 9
            text = fit(modal["data"], {"answer": drawn_text})["answer"]
            submit = await world.fake.submit_modal(
                user,
                modal["data"]["custom_id"],
                {"answer": text},
                guild=world.guild,
                channel=world.channel,
                message=question,
            )
            reply = await answered(submit)
            if reply["type"] == 4:  # refused (a blank answer): a private word, nothing recorded
                assert reply["data"]["flags"] & 64 and not text.strip(), reply
                refused += 1
                continue
            feedback = await submit.wait_followup(timeout=8.0)
            assert feedback.ephemeral, "feedback quoting the answer stays private"
            public = world.fake.messages[question.id]
            assert text.strip()[:200] not in public.text() or len(text.strip()) < 3
    assert not errors_in(caplog) and not bug_lines(caplog), errors_in(caplog)
    assert_nothing_pings(seen)
    await check_state(world)
    async with world.container.database.unit_of_work() as session:
        count = len((await session.scalars(select(Attempt))).all())
    assert count == len(texts) - refused, "each form submission records exactly one answer"


async def test_forms_that_echo_text_never_ping(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The add-question and report forms accept any text and echo it without mentions."""
    seen = record_payloads(world)
    inputs = drawn(st.tuples(TEXT, TEXT, TEXT, st.sampled_from(["mcq", "short", "open"])))
    with caplog.at_level(logging.INFO):
        quiz = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
        question = await quiz.wait_message()
        click = await world.fake.click(
            world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
        )
        feedback = await click.wait_followup()
        [report_id] = ids_starting(feedback, "rp:")
        for prompt, body, explanation, kind in inputs:
            opened = await answered(
                await world.slash(
                    world.admin,
                    "gradient questions add",
                    {"topic": "transformers", "kind": kind, "difficulty": "easy"},
                )
            )
            fields = {
                "mcq": {"choices": body},
                "short": {"answers": body},
                "open": {"model_answer": body, "key_points": body},
            }[kind]
            modal = opened["data"]
            submit = await world.fake.submit_modal(
                world.admin,
                modal["custom_id"],
                fit(modal, {"prompt": prompt, **fields, "explanation": explanation}),
                guild=world.guild,
                channel=world.channel,
            )
            reply = await answered(submit)
            assert reply["data"]["flags"] & 64, "form replies are private"
            report = await answered(
                await world.fake.click(world.ada, feedback, report_id, guild=world.guild)
            )
            sent = await world.fake.submit_modal(
                world.ada,
                report["data"]["custom_id"],
                fit(report["data"], {"report": body}),
                guild=world.guild,
                channel=world.channel,
            )
            await answered(sent)
        await answered(await world.slash(world.admin, "gradient questions reports"))
        await answered(await world.slash(world.admin, "gradient questions list"))
        export = await world.slash(world.admin, "gradient questions export")
        await answered(export)
    assert not errors_in(caplog) and not bug_lines(caplog), errors_in(caplog)
    assert_nothing_pings(seen)
