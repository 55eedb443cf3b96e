"""One log line per interaction, Prometheus metrics, and the health check."""

from __future__ import annotations

import logging
import socket
import urllib.request

import pytest
from prometheus_client import REGISTRY

from bot import metrics
from tests.e2e.harness import World
from tests.e2e.test_daily import eventually
from tests.e2e.test_quiz_flow import ids_starting


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_every_interaction_logs_one_line_and_counts(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    before = sample("gradient_interactions_total", kind="button", outcome="ok")
    with caplog.at_level(logging.INFO, logger="gradient.interactions"):
        await (await world.slash(world.ada, "help")).done()
        ix = await world.slash(world.ada, "quiz", {"topic": "transformers", "kind": "mcq"})
        question = await ix.wait_message()
        click = await world.fake.click(
            world.ada, question, ids_starting(question, "gq:a:")[0], guild=world.guild
        )
        await click.wait_followup()
        # The line is written when the handler returns, just after its last reply.
        await eventually(lambda: any("kind=button" in r.getMessage() for r in caplog.records))
    lines = [r.getMessage() for r in caplog.records if r.name == "gradient.interactions"]
    assert any(
        line.startswith("interaction kind=command name=help ") and "outcome=ok" in line
        for line in lines
    ), lines
    [button] = [line for line in lines if "kind=button" in line]
    assert "name=gq:a " in button and "first_response_ms=" in button and "outcome=ok" in button
    assert str(world.ada.id) in button and "user=" in button
    assert sample("gradient_interactions_total", kind="button", outcome="ok") == before + 1
    assert sample("gradient_answers_total", source="quiz") >= 1


def test_the_metrics_endpoint_serves_the_counters() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert metrics.serve(port)
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    for name in (
        "gradient_interaction_first_response_seconds",
        "gradient_interactions_total",
        "gradient_answers_total",
        "gradient_daily_runs_total",
        "gradient_scheduler_lag_seconds",
    ):
        assert name in body
