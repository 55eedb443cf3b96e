"""The loader names file and line for every problem, and the validator CLI reports them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bank.bank import load_bank, validate
from bot.bank.problems import BankError
from tests.conftest import TEST_BANK

GOOD_MCQ = """\
  - id: {qid}
    kind: mcq
    difficulty: easy
    tags: [derivatives]
    prompt: {prompt}
    choices:
      - text: It grows
        correct: true
      - text: It shrinks
    explanation: >-
      A positive slope means outputs rise with inputs. That is what a positive derivative says.
"""


def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the test bank."""
    target = tmp_path / "bank"
    shutil.copytree(TEST_BANK, target)
    return target


def write(bank: Path, name: str, body: str) -> Path:
    """Write one bank file."""
    path = bank / name
    path.write_text(body, encoding="utf-8")
    return path


def problems_for(bank: Path) -> list[str]:
    """Every problem the whole-bank validation finds, as printed."""
    _, problems = validate([bank], bank)
    return [str(p) for p in problems]


def test_the_test_bank_is_clean() -> None:
    assert problems_for(TEST_BANK) == []


def test_concept_topics_are_every_topic_but_behavioral_in_order() -> None:
    bank = load_bank(TEST_BANK)
    assert list(bank.topics) == ["math-foundations", "transformers", "behavioral"]
    assert bank.concept_topics() == ["math-foundations", "transformers"]


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    path = write(bank, "broken.yaml", "topic: transformers\nquestions:\n  - id: [unclosed\n")
    found = problems_for(bank)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:4: -: -: invalid YAML")


def test_missing_field_names_question_field_and_line(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    body = "topic: transformers\nquestions:\n" + GOOD_MCQ.format(
        qid="tx-001", prompt="Why does a positive slope matter here?"
    ).replace("    difficulty: easy\n", "")
    path = write(bank, "missing.yaml", body)
    assert f"{path}:3: tx-001: difficulty: Field required" in problems_for(bank)


def test_nested_field_error_points_at_its_own_line(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    body = "topic: transformers\nquestions:\n" + GOOD_MCQ.format(
        qid="tx-001", prompt="Why does a positive slope matter here?"
    ).replace("      - text: It shrinks\n", "      - text: It shrinks\n        colour: red\n")
    path = write(bank, "nested.yaml", body)
    found = problems_for(bank)
    assert any(p.startswith(f"{path}:12: tx-001: choices.1.colour:") for p in found), found


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    body = "topic: transformers\nquestions:\n" + GOOD_MCQ.format(
        qid="tm-001", prompt="Why is a rising slope different from a falling one?"
    )
    path = write(bank, "dup.yaml", body)
    found = [p for p in problems_for(bank) if "duplicate id" in p]
    assert len(found) == 1
    # Whichever file is read first, the message names both places.
    assert "math-foundations.yaml:3" in found[0]
    assert f"{path}:3" in found[0]


def test_unknown_topic_and_kind(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    write(bank, "astro.yaml", "topic: astrology\nquestions:\n  - id: x-001\n")
    body = "topic: transformers\nquestions:\n" + GOOD_MCQ.format(
        qid="tx-002", prompt="Why does a positive slope matter here?"
    ).replace("kind: mcq", "kind: essay")
    write(bank, "kind.yaml", body)
    found = problems_for(bank)
    assert any("topic: unknown topic 'astrology'" in p for p in found)
    assert any(":4: tx-002: kind: unknown kind 'essay'" in p for p in found)


def test_duplicate_yaml_key_is_caught(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    body = "topic: transformers\nquestions:\n" + GOOD_MCQ.format(
        qid="tx-003", prompt="Why does a positive slope matter here?"
    ).replace("    difficulty: easy\n", "    difficulty: easy\n    difficulty: hard\n")
    path = write(bank, "twice.yaml", body)
    assert any(
        p.startswith(f"{path}:6: -: difficulty: this key appears twice") for p in problems_for(bank)
    )


def test_near_duplicate_prompts_are_flagged(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    body = "topic: transformers\nquestions:\n" + GOOD_MCQ.format(
        qid="tx-004",
        prompt="What does the sign of a derivative at a point tell you about the function?",
    )
    write(bank, "near.yaml", body)
    assert any("nearly duplicates" in p and "tm-001" in p for p in problems_for(bank))


def test_give_away_and_sentence_gates(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    body = """\
topic: transformers
questions:
  - id: tx-005
    kind: short
    difficulty: easy
    tags: [attention]
    prompt: The softmax function turns scores into weights; name the function.
    answers: [softmax]
    explanation: >-
      One long sentence without a second one that goes on and on about normalising exponentials
"""
    write(bank, "giveaway.yaml", body)
    found = problems_for(bank)
    assert any("tx-005: prompt: the prompt gives away the answer 'softmax'" in p for p in found)
    assert any("tx-005: explanation: explain in 2-6 sentences, found 1" in p for p in found)


def test_load_bank_raises_with_every_problem(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    write(bank, "broken.yaml", "topic: transformers\nquestions: [\n")
    with pytest.raises(BankError) as info:
        load_bank(bank)
    assert "broken.yaml" in str(info.value)
    assert len(info.value.problems) == 1


def test_validate_cli_exit_codes(tmp_path: Path) -> None:
    bank = bank_copy(tmp_path)
    env_run = [sys.executable, "-m", "bot", "questions", "validate", str(bank)]
    env = {"QUESTIONS_DIR": str(bank), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run(env_run, capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("OK: 9 questions")
    write(bank, "broken.yaml", "topic: transformers\nquestions:\n  - id: tx-9\n    kind: mcq\n")
    bad = subprocess.run(env_run, capture_output=True, text=True, env=env, check=False)
    assert bad.returncode == 1
    assert f"{bank}/broken.yaml:3: tx-9: difficulty: Field required" in bad.stdout


def test_schema_command_writes_an_editor_schema(tmp_path: Path) -> None:
    import json

    bank = bank_copy(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "questions", "schema"],
        capture_output=True,
        text=True,
        check=False,
        env={"QUESTIONS_DIR": str(bank), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    schema = json.loads((bank / "schema.json").read_text())
    assert schema["required"] == ["topic", "questions"]
    assert "topic" not in schema["$defs"]["McqQuestion"]["required"]
    assert {"choices", "kind"} <= set(schema["$defs"]["McqQuestion"]["required"])
