"""Entry point: `python -m bot [run|practice|questions|db] …` (run is the default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.domain.questions import Difficulty


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Gradient: ML and behavioral interview practice, on Discord or in a terminal.",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the Discord bot (the default)")
    sub.add_parser("health", help="check the database answers and is migrated (exit 0 or 1)")

    practice = sub.add_parser("practice", help="quiz yourself in the terminal, no Discord needed")
    practice.add_argument("--topic", help="topic slug, e.g. transformers (see `questions stats`)")
    practice.add_argument("--difficulty", choices=[d.value for d in Difficulty])
    practice.add_argument(
        "--user", default=None, help="whose progress to use (default: your login name)"
    )
    practice.add_argument("--count", type=int, default=5, help="how many questions (default 5)")
    practice.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)

    questions = sub.add_parser("questions", help="check and describe the question bank")
    qsub = questions.add_subparsers(dest="action", required=True)
    validate = qsub.add_parser(
        "validate", help="validate bank files; prints file:line: id: field: message"
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the whole bank)"
    )
    qsub.add_parser("stats", help="counts by topic, kind and difficulty")
    qsub.add_parser("schema", help="write questions/schema.json for editors")
    qsub.add_parser(
        "reports", help="every problem report learners made, for the bank's maintainers"
    )

    db = sub.add_parser("db", help="manage the database schema")
    dsub = db.add_subparsers(dest="action", required=True)
    up = dsub.add_parser("upgrade", help="apply migrations (default: to the newest)")
    up.add_argument("revision", nargs="?", default="head")
    down = dsub.add_parser("downgrade", help="revert migrations, e.g. `-1` or `base`")
    down.add_argument("revision")
    dsub.add_parser("current", help="show the database's revision")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the exit code."""
    from bot.cli import dispatch

    args = _parser().parse_args(argv)
    return dispatch.run(args)


if __name__ == "__main__":
    sys.exit(main())
