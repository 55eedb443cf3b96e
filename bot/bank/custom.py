"""A server's own questions: parse YAML or CSV uploads, validate every row, report errors by row.

Uploads use the bank's format without ids (Gradient assigns them). YAML is a bank file (a `topic`
and a `questions` list, or a list of questions each with its own `topic`). CSV has one question per
row with the columns below; list cells are separated by `|`, and in `choices` the correct one is
marked with a leading `*`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from bot.domain.questions import AnyQuestion, Question
from bot.domain.text import storable

CSV_COLUMNS = ("topic", "kind", "difficulty", "prompt", "choices", "answers", "explanation", "tags")
MAX_ROWS = 200
MAX_BYTES = 256 * 1024
UPLOAD_SUFFIXES = (".yaml", ".yml", ".csv")
_QUESTION = TypeAdapter[AnyQuestion](Question)
PLACEHOLDER_ID = "custom-new"


@dataclass(frozen=True)
class RowError:
    """What is wrong with one uploaded row."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


class UploadError(Exception):
    """The upload cannot be imported; nothing was imported."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors[:5]))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _csv_rows(text: str) -> list[dict[str, Any]]:
    try:
        return _read_csv(text)
    except csv.Error as exc:
        # A stray carriage return, an unterminated quote, or a cell over the csv module's field
        # limit: the file is not CSV we can read, which the admin must hear, not a crash.
        raise UploadError([RowError(0, "file", f"the file is not valid CSV ({exc})")]) from exc


def _read_csv(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [
        c
        for c in ("topic", "kind", "difficulty", "prompt", "explanation")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise UploadError([RowError(1, "header", f"missing column(s): {', '.join(missing)}")])
    rows = []
    for raw in reader:
        row: dict[str, Any] = {
            k: (v or "").strip() for k, v in raw.items() if k in CSV_COLUMNS and v
        }
        if "choices" in row:
            choices = _split(row.pop("choices"))
            row["choices"] = [
                {"text": c.removeprefix("*").strip(), "correct": c.startswith("*")} for c in choices
            ]
        if "answers" in row:
            row["answers"] = _split(row["answers"])
        row["tags"] = _split(row.get("tags", "").replace(",", "|")) or ["custom"]
        rows.append(row)
    return rows


def _yaml_rows(text: str) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        raise UploadError([RowError(line, "yaml", f"invalid YAML near line {line}")]) from exc
    except RecursionError as exc:
        # Thousands of nested brackets exhaust PyYAML's recursive composer.
        raise UploadError([RowError(1, "yaml", "the YAML is nested too deeply")]) from exc
    topic = None
    if isinstance(data, dict):
        topic = data.get("topic")
        data = data.get("questions")
    if not isinstance(data, list):
        raise UploadError([RowError(1, "questions", "expected a list of questions")])
    rows = []
    for item in data:
        row = dict(item) if isinstance(item, dict) else {"_invalid": item}
        if topic and "topic" not in row:
            row["topic"] = topic
        row.setdefault("tags", ["custom"])
        rows.append(row)
    return rows


def parse_upload(filename: str, raw: bytes, known_topics: Sequence[str]) -> list[AnyQuestion]:
    """Every question in an upload, validated; UploadError lists each bad row, nothing is kept."""
    if len(raw) > MAX_BYTES:
        raise UploadError([RowError(0, "file", f"the file is larger than {MAX_BYTES // 1024} KB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError([RowError(0, "file", "the file is not UTF-8 text")]) from exc
    name = filename.casefold()
    if name.endswith(".csv"):
        rows = _csv_rows(text)
    elif name.endswith((".yaml", ".yml")):
        rows = _yaml_rows(text)
    else:
        raise UploadError([RowError(0, "file", "upload a .yaml, .yml or .csv file")])
    if not rows:
        raise UploadError([RowError(0, "file", "the file has no questions")])
    if len(rows) > MAX_ROWS:
        raise UploadError([RowError(0, "file", f"at most {MAX_ROWS} questions per upload")])
    # CSV row 1 is the header, so data starts at row 2; YAML items count from 1.
    first = 2 if name.endswith(".csv") else 1
    return validate_rows(rows, known_topics, first)


def _storable(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """The value with NULs dropped from its strings (PostgreSQL cannot store them).

    YAML aliases make a graph, not a tree: each shared (or cyclic) list and mapping is cleaned
    once and stays shared, so an alias bomb costs its size in the file, not its expansion.
    """
    if isinstance(value, str):
        return storable(value)
    if not isinstance(value, list | dict):
        return value
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, list):
        items: list[Any] = []
        memo[id(value)] = items
        items.extend(_storable(v, memo) for v in value)
        return items
    mapping: dict[Any, Any] = {}
    memo[id(value)] = mapping
    mapping.update((k, _storable(v, memo)) for k, v in value.items())
    return mapping


def validate_rows(
    rows: Sequence[dict[str, Any]], known_topics: Sequence[str], first_row: int = 1
) -> list[AnyQuestion]:
    """Validate question dicts (ids assigned later); all-or-nothing."""
    errors: list[RowError] = []
    questions: list[AnyQuestion] = []
    memo: dict[int, Any] = {}
    for number, row in enumerate(rows, start=first_row):
        if "_invalid" in row:
            errors.append(RowError(number, "question", "each question must be a mapping of fields"))
            continue
        data = {k: _storable(v, memo) for k, v in row.items() if k != "id"}
        topic = data.get("topic")
        if topic not in known_topics:
            errors.append(RowError(number, "topic", f"unknown topic {topic!r}"))
            continue
        if data.get("kind") == "behavioral":
            errors.append(RowError(number, "kind", "custom questions are mcq, short or open"))
            continue
        try:
            questions.append(_QUESTION.validate_python({**data, "id": PLACEHOLDER_ID}))
        except ValidationError as exc:
            for err in exc.errors():
                loc = [str(p) for p in err["loc"] if p != data.get("kind")]
                message = str(err["msg"]).removeprefix("Value error, ")
                errors.append(RowError(number, ".".join(loc) or "question", message))
    if errors:
        raise UploadError(errors)
    return questions


def export_yaml(questions: Sequence[AnyQuestion]) -> str:
    """A server's questions as an uploadable YAML file (ids kept as comments of record)."""
    items = [
        q.model_dump(mode="json", exclude={"retired"}, exclude_defaults=True) for q in questions
    ]
    return yaml.safe_dump({"questions": items}, sort_keys=False, allow_unicode=True, width=100)
