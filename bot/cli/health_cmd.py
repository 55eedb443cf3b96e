"""`python -m bot health`: the platform's health check, in a second or two, exit code 0 or 1."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bot.container import safe_url
from bot.db import migrate
from bot.db.engine import Database
from bot.settings import Settings

HEALTH_TIMEOUT = 5.0


async def _check(settings: Settings) -> str:
    database = Database.from_url(settings.database_url, timeout=HEALTH_TIMEOUT)
    try:
        async with database.unit_of_work() as session:
            await session.execute(text("SELECT 1"))
    finally:
        await database.dispose()
    current = await asyncio.wait_for(
        migrate.current_revision(settings.database_url), HEALTH_TIMEOUT
    )
    head = migrate.head_revision()
    if current != head:
        raise RuntimeError(f"the schema is at {current or 'none'}, the code needs {head}")
    return f"database {safe_url(settings.database_url)} reachable, schema at {head}"


def health_command(settings: Settings) -> int:
    """Print one line; 0 when the bot could serve, 1 when it could not."""
    try:
        detail = asyncio.run(_check(settings))
    except Exception as exc:
        print(f"unhealthy: {exc}")
        return 1
    print(f"healthy: {detail}")
    return 0
