"""Fixtures for Gradient's end-to-end tests: the real client against the fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.harness import World, running_world


@pytest.fixture
async def world(db_url: str) -> AsyncIterator[World]:
    """Gradient connected to a fake Discord, on SQLite and (when reachable) PostgreSQL."""
    async with running_world(db_url) as running:
        yield running
        assert running.fake.violations == [], running.fake.violations
        assert running.fake.unknown_routes == [], running.fake.unknown_routes
