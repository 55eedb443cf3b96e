"""What the running bot keeps in memory: no migration tooling, no plotting library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bot_process_imports_neither_alembic_nor_matplotlib() -> None:
    # Everything `python -m bot run` imports before connecting; the schema check that needs
    # Alembic runs in its own short-lived process (bot/cli/schema_check.py).
    script = (
        "import sys, bot.cli.run_cmd, bot.app, bot.features, bot.ui.charts\n"
        "for name in bot.features.EXTENSIONS: __import__(name)\n"
        "loaded = [m for m in ('alembic', 'mako', 'pygments', 'matplotlib') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
