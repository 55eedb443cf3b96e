"""The real entry point, driven as a user would: scripted stdin, real store, clear failures."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.practice import terminal_user_id
from bot.db.migrate import head_revision
from tests.conftest import TEST_BANK

ROOT = Path(__file__).resolve().parents[2]


def run_bot(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot …` in tmp_path with a clean environment."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'practice.db'}",
        "QUESTIONS_DIR": str(TEST_BANK),
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=base,
        timeout=60,
        check=False,
    )


def attempts(db: Path) -> list[tuple[int, str, int]]:
    """The attempts stored in a SQLite file."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT user_id, question_id, correct FROM attempts ORDER BY id"
        ).fetchall()


def test_practice_three_questions_from_scripted_stdin(tmp_path: Path) -> None:
    # "A" then an empty line answers any kind: an MCQ letter, a short answer, a one-line
    # explanation (the empty line ends it); empty lines are asked again, and an "A" given to
    # the self-rating prompt is refused politely.
    result = run_bot(
        ["practice", "--topic", "transformers", "--count", "3", "--user", "ada", "--seed", "4"],
        tmp_path,
        stdin="A\n\n" * 6,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Question 1/3" in out and "Question 3/3" in out
    assert "Session summary: " in out
    stored = attempts(tmp_path / "practice.db")
    assert len(stored) == 3
    assert {row[0] for row in stored} == {terminal_user_id("ada")}
    assert {row[1] for row in stored} == {"tt-001", "tt-002", "tt-003"}
    assert "Why" in out  # explanations are shown


def test_practice_survives_bad_input_and_quit(tmp_path: Path) -> None:
    result = run_bot(
        ["practice", "--topic", "math-foundations", "--count", "5", "--user", "bo", "--seed", "1"],
        tmp_path,
        stdin="skip\nskip\nquit\n",
    )
    assert result.returncode == 0, result.stderr
    assert "No answers this time" in result.stdout
    assert attempts(tmp_path / "practice.db") == []


def test_practice_rejects_an_unknown_topic(tmp_path: Path) -> None:
    result = run_bot(["practice", "--topic", "astrology"], tmp_path)
    assert result.returncode == 2
    assert "Unknown topic 'astrology'" in result.stdout
    assert "transformers" in result.stdout


def test_run_without_token_points_to_readme_and_practice(tmp_path: Path) -> None:
    result = run_bot([], tmp_path, DISCORD_TOKEN="")
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "README.md" in result.stderr and "python -m bot practice" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"DATABASE_URL": "mysql://x"}, "Setting DATABASE_URL is invalid"),
        ({"LOG_LEVEL": "loud"}, "Setting LOG_LEVEL is invalid"),
        ({"DEV_GUILD_ID": "abc"}, "Setting DEV_GUILD_ID is invalid"),
        ({"QUESTIONS_DIR": "/nonexistent"}, "Setting QUESTIONS_DIR is invalid"),
    ],
)
def test_bad_settings_give_one_line_naming_the_setting(
    tmp_path: Path, env: dict[str, str], needle: str
) -> None:
    result = run_bot(["practice"], tmp_path, **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr


def test_broken_bank_refuses_to_start_and_names_the_problem(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(TEST_BANK, bank)
    (bank / "bad.yaml").write_text("topic: transformers\nquestions:\n  - id: tx-1\n    kind: mcq\n")
    result = run_bot(["practice"], tmp_path, QUESTIONS_DIR=str(bank), DISCORD_TOKEN="x")
    assert result.returncode == 1
    assert f"{bank}/bad.yaml:3: tx-1: difficulty: Field required" in result.stderr
    result = run_bot(["run"], tmp_path, QUESTIONS_DIR=str(bank), DISCORD_TOKEN="x")
    assert result.returncode == 1
    assert "bad.yaml:3" in result.stderr


def test_read_only_database_is_explained(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores file modes; a read-only URL flag gives the same failure.
        url = f"sqlite+aiosqlite:///file:{tmp_path / 'ro.db'}?mode=ro&uri=true"
        sqlite3.connect(tmp_path / "ro.db").close()
    else:
        (tmp_path / "ro.db").touch()
        (tmp_path / "ro.db").chmod(0o444)
        url = f"sqlite+aiosqlite:///{tmp_path / 'ro.db'}"
    result = run_bot(["practice"], tmp_path, DATABASE_URL=url)
    assert result.returncode == 1
    assert "read-only" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_explained(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://nobody:secret@127.0.0.1:9/nowhere"
    result = run_bot(["db", "upgrade"], tmp_path, DATABASE_URL=url)
    assert result.returncode == 1
    assert "cannot" in result.stderr and "127.0.0.1:9" in result.stderr
    assert "secret" not in result.stderr
    assert "Traceback" not in result.stderr


def test_db_commands(tmp_path: Path) -> None:
    assert "no revision" in run_bot(["db", "current"], tmp_path).stdout
    up = run_bot(["db", "upgrade"], tmp_path)
    assert up.returncode == 0
    assert f"database at {head_revision()}" in up.stdout
    down = run_bot(["db", "downgrade", "base"], tmp_path)
    assert down.returncode == 0 and "base" in down.stdout


def test_behavioral_practice_gives_star_feedback_and_takes_a_rating(tmp_path: Path) -> None:
    story = (
        "At my previous company our team disagreed about the churn metric.\n"
        "My task was to settle it before the deadline.\n"
        "I built a simulation and I met my teammate to compare both views with data.\n"
        "As a result we shipped and churn fell by 4 points.\n\n"
    )
    result = run_bot(
        ["practice", "--topic", "behavioral", "--count", "1", "--user", "cy"],
        tmp_path,
        stdin=story + "5\n3\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "STAR split:" in out
    assert "Follow-ups to prepare" in out
    assert "Type 1, 2, 3 or 4" in out  # "5" is refused politely, then "3" is taken
    assert "comes back for review" in out
    with sqlite3.connect(tmp_path / "practice.db") as conn:
        rating = conn.execute("SELECT self_rating FROM attempts").fetchone()
    assert rating == (3,)


def test_practice_shows_weak_topics_and_reviews_after_answers(tmp_path: Path) -> None:
    answers = "A\n\n" * 8
    result = run_bot(
        ["practice", "--topic", "math-foundations", "--count", "4", "--user", "di", "--seed", "2"],
        tmp_path,
        stdin=answers,
    )
    assert result.returncode == 0, result.stderr
    assert "Weakest topics: Math foundations" in result.stdout
    assert "Reviews due now" in result.stdout or "Next review" in result.stdout


def test_learning_benchmark_runs_and_prints_its_summary_line(tmp_path: Path) -> None:
    bench = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "learning_sim.py"), "--learners", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert bench.returncode == 0, bench.stderr
    last = bench.stdout.strip().splitlines()[-1]
    keys = [part.split("=")[0] for part in last.split()]
    assert keys == [
        "weak_top1@20",
        "weak_top1@40",
        "weak_top1@80",
        "weakest_share_adaptive",
        "weakest_share_random",
    ]


def test_daily_fanout_benchmark_runs_and_prints_its_summary_line(tmp_path: Path) -> None:
    bench = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "daily_fanout.py"), "--guilds", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert bench.returncode == 0, bench.stderr
    fields = dict(part.split("=") for part in bench.stdout.strip().splitlines()[-1].split())
    assert list(fields) == ["guilds", "seconds", "bound_seconds", "ratio", "duplicates", "http_429"]
    assert (fields["guilds"], fields["duplicates"], fields["http_429"]) == ("5", "0", "0")


def test_health_says_healthy_only_for_a_migrated_database(tmp_path: Path) -> None:
    fresh = run_bot(["health"], tmp_path)
    assert fresh.returncode == 1 and fresh.stdout.startswith("unhealthy:"), fresh.stdout
    assert run_bot(["db", "upgrade"], tmp_path).returncode == 0
    ready = run_bot(["health"], tmp_path)
    assert ready.returncode == 0 and ready.stdout.startswith("healthy:"), ready.stdout
