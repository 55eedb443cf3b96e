"""`python -m bot.cli.schema_check`: the bot's start-up schema check, as a short-lived process.

The check needs Alembic, which with Mako and Pygments holds ~11 MB that a running bot would
otherwise keep for good. `python -m bot run` runs this first and starts only when it exits 0;
the database URL comes in the environment (DATABASE_URL), never on the command line.
"""

from __future__ import annotations

import asyncio
import os
import sys

from bot.cli.errors import fail_clearly
from bot.container import ensure_schema

URL_VARIABLE = "DATABASE_URL"


def main() -> int:
    """Check the schema at DATABASE_URL is at head: exit 0, or 1 with one clear line."""
    url = os.environ[URL_VARIABLE]
    try:
        asyncio.run(ensure_schema(url, auto_upgrade=False))
    except Exception as exc:
        return fail_clearly(exc, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
