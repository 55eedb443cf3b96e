"""`python -m bot run`: start the Discord bot."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import discord

from bot.cli.errors import fail_clearly
from bot.container import build_container
from bot.settings import Settings

NO_TOKEN = """\
gradient: DISCORD_TOKEN is not set, so the Discord bot cannot start.
  - To run on Discord: create an application and bot token (README.md, "Run it on Discord"),
    then put DISCORD_TOKEN=... in a .env file or the environment.
  - To practise right now without Discord: python -m bot practice  (or: make practice)"""


CHECKOUT = Path(__file__).resolve().parents[2]


def check_schema(database_url: str) -> int:
    """Check the schema in a short-lived process; its exit code (0: at head).

    The check needs Alembic, which the bot would then keep in memory (~11 MB) for good. The
    child prints its own one-line explanation on failure.
    """
    path = os.pathsep.join(p for p in (str(CHECKOUT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": path}
    child = [sys.executable, "-m", "bot.cli.schema_check"]
    return subprocess.run(child, env=env, stdin=subprocess.DEVNULL, check=False).returncode


async def _serve(settings: Settings) -> None:
    from bot.app import GradientBot

    assert settings.discord_token is not None
    container = await build_container(settings, schema_checked=True)
    bot = GradientBot(container)
    async with bot:
        await bot.start(settings.discord_token.get_secret_value())


def run_command(settings: Settings) -> int:
    """Start the bot; explain clearly when it cannot."""
    if settings.discord_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    try:
        checked = check_schema(settings.database_url)
        if checked != 0:
            return checked if checked > 0 else 1
        asyncio.run(_serve(settings))
    except discord.LoginFailure:
        print(
            "gradient: Discord rejected DISCORD_TOKEN; copy the bot token again "
            "from the Developer Portal (README.md).",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 0
    except Exception as exc:
        return fail_clearly(exc, settings.database_url)
    return 0
