"""Prometheus metrics: interaction latency, answers, errors, scheduler lag and fan-out.

They are always counted (cheaply, in memory); the endpoint that exposes them starts only when
METRICS_PORT is set, on 127.0.0.1 (put a proxy or the platform's agent in front of it).
"""

from __future__ import annotations

import logging

from prometheus_client import Counter, Gauge, Histogram, start_http_server

log = logging.getLogger(__name__)

LATENCY = Histogram(
    "gradient_interaction_first_response_seconds",
    "From an interaction's creation to its first response (or deferral)",
    ["kind", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0),
)
INTERACTIONS = Counter(
    "gradient_interactions_total", "Interactions, by outcome", ["kind", "outcome"]
)
ANSWERS = Counter("gradient_answers_total", "Answers recorded", ["source"])
DAILY_POSTS = Counter("gradient_daily_runs_total", "Daily post runs, by outcome", ["outcome"])
SCHEDULER_LAG = Gauge("gradient_scheduler_lag_seconds", "How late the last daily job started")


def serve(port: int | None) -> bool:
    """Start the endpoint on 127.0.0.1:`port` (in a thread of its own); False when not asked."""
    if port is None:
        return False
    start_http_server(port, addr="127.0.0.1")
    log.info("metrics on http://127.0.0.1:%d/metrics", port)
    return True
