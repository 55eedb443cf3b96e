"""`python -m bot run`: start the Discord bot."""

from __future__ import annotations

import asyncio
import sys

import discord

from bot.cli.errors import fail_clearly
from bot.container import build_container
from bot.settings import Settings

NO_TOKEN = """\
gradient: DISCORD_TOKEN is not set, so the Discord bot cannot start.
  - To run on Discord: create an application and bot token (README.md, "Run it on Discord"),
    then put DISCORD_TOKEN=... in a .env file or the environment.
  - To practise right now without Discord: python -m bot practice  (or: make practice)"""


async def _serve(settings: Settings) -> None:
    from bot.app import GradientBot

    assert settings.discord_token is not None
    container = await build_container(settings)
    bot = GradientBot(container)
    async with bot:
        await bot.start(settings.discord_token.get_secret_value())


def run_command(settings: Settings) -> int:
    """Start the bot; explain clearly when it cannot."""
    if settings.discord_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    try:
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
