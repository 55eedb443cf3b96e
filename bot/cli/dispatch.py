"""Route a parsed command line to its command, turning setup errors into friendly exits."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from bot.settings import Settings, SettingsError, load_settings

README_HINT = "See README.md, section 'Run it on Discord'."


def _fail(message: str) -> int:
    print(f"gradient: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Build settings once, then run the chosen command."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        return _fail(str(exc))
    command = args.command or "run"
    level = settings.log_level_number
    # Terminal practice is interactive: keep its screen clean unless asked for logs.
    if command in ("practice", "questions", "health") and "LOG_LEVEL" not in os.environ:
        level = logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    if level > logging.DEBUG:
        logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
    if command == "questions":
        return _questions(args, settings)
    if command == "db":
        from bot.cli.db_cmd import db_command

        return db_command(args.action, getattr(args, "revision", None), settings)
    if command == "health":
        from bot.cli.health_cmd import health_command

        return health_command(settings)
    if command == "practice":
        from bot.cli.practice import practice_command

        return practice_command(args, settings)
    from bot.cli.run_cmd import run_command

    return run_command(settings)


def _questions(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import questions_cmd

    if args.action == "validate":
        return questions_cmd.validate_command(list(args.paths), settings.questions_dir)
    if args.action == "stats":
        return questions_cmd.stats_command(settings.questions_dir)
    if args.action == "reports":
        from bot.cli.reports_cmd import reports_command

        return reports_command(settings)
    return questions_cmd.schema_command(settings.questions_dir)
