"""`python -m bot questions reports`: every problem report, for the bank's maintainers."""

from __future__ import annotations

import asyncio

from bot.cli.errors import fail_clearly
from bot.clock import Clock
from bot.container import ensure_schema
from bot.db.engine import Database
from bot.services.reports import Report, ReportService
from bot.settings import Settings


async def _load(url: str) -> list[Report]:
    await ensure_schema(url, auto_upgrade=False)
    database = Database.from_url(url)
    try:
        async with database.unit_of_work() as session:
            return await ReportService(clock=Clock()).everything(session)
    finally:
        await database.dispose()


def reports_command(settings: Settings) -> int:
    """Print one line per report, oldest first."""
    try:
        reports = asyncio.run(_load(settings.database_url))
    except Exception as exc:
        return fail_clearly(exc, settings.database_url)
    for r in reports:
        where = f"server {r.guild_id}" if r.guild_id else "DM"
        text = " ".join(r.text.split())
        print(
            f"{r.created_at:%Y-%m-%d %H:%M} {r.question_id} v{r.question_version} ({where}): {text}"
        )
    print(f"{len(reports)} report(s).")
    return 0
