"""Uploads of server questions: YAML and CSV, every row validated, errors by row, all or nothing."""

from __future__ import annotations

import pytest

from bot.bank.custom import UploadError, export_yaml, parse_upload
from bot.domain.questions import McqQuestion, ShortQuestion

TOPICS = ["sql", "nlp"]
EXPLAIN = "Because joins multiply rows. Each match in the right table adds a row to the result."

GOOD_YAML = f"""
topic: sql
questions:
  - kind: mcq
    difficulty: easy
    prompt: What does a LEFT JOIN keep that an INNER JOIN drops?
    choices:
      - text: Rows of the left table with no match
        correct: true
      - text: Rows of the right table with no match
    explanation: {EXPLAIN}
  - kind: short
    topic: nlp
    difficulty: medium
    prompt: Which subword tokenizer merges the most frequent pair repeatedly?
    answers: [BPE, byte pair encoding]
    explanation: {EXPLAIN}
"""

CSV_HEADER = "topic,kind,difficulty,prompt,choices,answers,explanation,tags\n"


def test_yaml_upload_validates_every_question() -> None:
    questions = parse_upload("mine.yaml", GOOD_YAML.encode(), TOPICS)
    assert [type(q) for q in questions] == [McqQuestion, ShortQuestion]
    assert [q.topic for q in questions] == ["sql", "nlp"]
    assert questions[0].tags == ("custom",)


def test_csv_upload_with_marked_choices() -> None:
    body = CSV_HEADER + (
        f"sql,mcq,easy,What does COUNT(*) count that COUNT(col) skips?,*Rows where col is NULL|Distinct values,,"
        f'"{EXPLAIN}",nulls\n'
        f'nlp,short,easy,What is the usual name for a model\'s text pieces?,,tokens|token,"{EXPLAIN}",\n'
    )
    questions = parse_upload("mine.csv", body.encode(), TOPICS)
    assert isinstance(questions[0], McqQuestion)
    assert questions[0].correct_index == 0
    assert isinstance(questions[1], ShortQuestion)
    assert questions[1].answers == ("tokens", "token")


def test_errors_are_listed_by_row_and_nothing_is_kept() -> None:
    body = (
        CSV_HEADER
        + (
            f'sql,mcq,easy,What does COUNT(*) count that COUNT(col) skips?,A|B,,"{EXPLAIN}",\n'  # row 2: no correct
            f'astrology,short,easy,Which star sign is best for ML?,,none,"{EXPLAIN}",\n'  # row 3: topic
            f'nlp,short,easy,What is the usual name for text pieces?,,tokens,"{EXPLAIN}",\n'  # row 4: fine
            "nlp,short,extreme,Too hard?,,x,short,\n"  # row 5: several problems
        )
    )
    with pytest.raises(UploadError) as info:
        parse_upload("mine.csv", body.encode(), TOPICS)
    rows = {e.row for e in info.value.errors}
    assert rows == {2, 3, 5}
    text = str(info.value)
    assert "row 2: choices: exactly one choice must be correct" in text
    assert "row 3: topic: unknown topic 'astrology'" in text


@pytest.mark.parametrize(
    ("name", "raw", "needle"),
    [
        ("notes.txt", b"x", "upload a .yaml"),
        ("bad.yaml", b"questions: [", "invalid YAML"),
        ("bad.yaml", b"just a string", "expected a list"),
        ("bad.csv", b"prompt\nhi\n", "missing column"),
        ("bad.yaml", b"\xff\xfe\x00", "not UTF-8"),
        ("empty.yaml", b"questions: []", "no questions"),
        (
            "story.yaml",
            f"- kind: behavioral\n  topic: sql\n  explanation: {EXPLAIN}\n".encode(),
            "mcq, short or open",
        ),
    ],
)
def test_bad_files_get_clear_errors(name: str, raw: bytes, needle: str) -> None:
    with pytest.raises(UploadError, match=needle):
        parse_upload(name, raw, TOPICS)


def test_export_round_trips_through_import() -> None:
    questions = parse_upload("mine.yaml", GOOD_YAML.encode(), TOPICS)
    again = parse_upload("export.yaml", export_yaml(questions).encode(), TOPICS)
    assert [q.prompt for q in again] == [q.prompt for q in questions]
