"""`python -m bot db upgrade|downgrade|current`."""

from __future__ import annotations

from bot.cli.errors import fail_clearly
from bot.db import migrate
from bot.settings import Settings


def db_command(action: str, revision: str | None, settings: Settings) -> int:
    """Run one schema command against DATABASE_URL."""
    url = settings.database_url
    try:
        if action == "upgrade":
            migrate.upgrade(url, revision or "head")
            print(f"database at {migrate.current(url)} (head {migrate.head_revision()})")
        elif action == "downgrade":
            migrate.downgrade(url, revision or "-1")
            print(f"database at {migrate.current(url) or 'base (empty)'}")
        else:
            print(migrate.current(url) or "no revision (empty database)")
    except Exception as exc:
        return fail_clearly(exc, url)
    return 0
