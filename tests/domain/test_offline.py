"""The grader and terminal practice never reach a network: proven with networking disabled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_BANK

ROOT = Path(__file__).resolve().parents[2]
NO_NETWORK = """
import socket

def _refuse(*args, **kwargs):
    raise OSError("networking is disabled for this test")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""
GRADE = """
import sys
from bot.bank.bank import load_bank
from bot.domain.grading import grade_open
from bot.domain.open_answers import warm_up
from bot.domain.questions import OpenQuestion

questions = [q for q in load_bank().active() if isinstance(q, OpenQuestion)]
warm_up(questions)
assert all(grade_open(q, q.model_answer).correct for q in questions[:20])
assert not grade_open(questions[0], questions[0].prompt).correct
loaded = {"wordllama", "huggingface_hub", "requests", "httpx"} & set(sys.modules)
assert not loaded, loaded
print("graded offline")
"""


def offline_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose Python refuses every socket connection (via sitecustomize)."""
    hook = tmp_path / "offline"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(NO_NETWORK)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": f"{hook}{os.pathsep}{ROOT}",
    }


def test_the_grader_loads_and_grades_with_networking_disabled(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", GRADE],
        env=offline_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "graded offline" in run.stdout


def test_practice_runs_with_networking_disabled(tmp_path: Path) -> None:
    env = {
        **offline_env(tmp_path),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'practice.db'}",
        "QUESTIONS_DIR": str(TEST_BANK),
        "COLUMNS": "200",  # one feedback line per key point, unwrapped
    }
    answer = (
        "Attention is linear in length, but an SSM keeps a fixed size state it updates once "
        "per token.\n\n3\n"
    )
    args = ["practice", "--topic", "transformers", "--difficulty", "hard", "--count", "1"]
    run = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=answer,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "✗ Attention cost grows quadratically with sequence length: you said the opposite" in out
    assert "✓ An SSM keeps a fixed-size state" in out
    assert "(missing)" in out and "Model answer" in out
