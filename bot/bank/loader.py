"""Read bank files into validated questions, naming file and line for every problem."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError
from yaml.nodes import MappingNode, Node, SequenceNode

from bot.bank import yaml_nodes
from bot.bank.problems import Problem
from bot.domain.questions import AnyQuestion, Question

_QUESTION = TypeAdapter[AnyQuestion](Question)
RESERVED_FILES = frozenset({"topics.yaml", "seed_concepts.yaml"})


@dataclass(frozen=True)
class LoadedQuestion:
    """A valid question and where it was written."""

    question: AnyQuestion
    file: str
    line: int


@dataclass
class FileResult:
    """What one file yielded: its questions and its problems."""

    questions: list[LoadedQuestion]
    problems: list[Problem]


def bank_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their question files, skipping the bank's metadata files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.y*ml")) if p.name not in RESERVED_FILES)
        else:
            found.append(path)
    return found


def _message(error: Any) -> str:
    text = str(error["msg"])
    return text.removeprefix("Value error, ")


def _read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    try:
        return path.read_text(encoding="utf-8"), []
    except FileNotFoundError:
        return None, [Problem(name, 1, "", "", "no such file")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, 1, "", "", f"cannot read the file: {exc}")]


def parse_file(path: Path, known_topics: set[str], display: str | None = None) -> FileResult:
    """Parse and validate one file; never raises for bad content."""
    name = display or str(path)
    text, problems = _read_text(path, name)
    if text is None:
        return FileResult([], problems)
    try:
        root = yaml_nodes.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return FileResult([], [Problem(name, line, "", "", f"invalid YAML: {reason}")])
    if not isinstance(root, MappingNode):
        msg = "a bank file is a mapping with 'topic' and 'questions'"
        return FileResult([], [Problem(name, 1, "", "", msg)])
    for line, key in yaml_nodes.duplicate_keys(root):
        problems.append(Problem(name, line, "", key, "this key appears twice in one mapping"))
    data = yaml_nodes.construct(root)
    topic = data.get("topic")
    if not isinstance(topic, str) or topic not in known_topics:
        line = yaml_nodes.locate(root, ["topic"])
        known = ", ".join(sorted(known_topics))
        problems.append(
            Problem(name, line, "", "topic", f"unknown topic {topic!r}; known: {known}")
        )
        return FileResult([], problems)
    items = data.get("questions")
    seq = _child(root, "questions")
    if not isinstance(items, list) or not isinstance(seq, SequenceNode) or not items:
        line = yaml_nodes.locate(root, ["questions"])
        problems.append(Problem(name, line, "", "questions", "expected a list of questions"))
        return FileResult([], problems)
    loaded: list[LoadedQuestion] = []
    for item, node in zip(items, seq.value, strict=True):
        result = _validate_item(item, node, topic, name)
        if isinstance(result, LoadedQuestion):
            loaded.append(result)
        else:
            problems.extend(result)
    extra = sorted(set(data) - {"topic", "questions"})
    for key in extra:
        line = yaml_nodes.locate(root, [key])
        problems.append(Problem(name, line, "", key, "unknown top-level key"))
    return FileResult(loaded, problems)


def _child(root: MappingNode, key: str) -> Node | None:
    for k, v in root.value:
        if getattr(k, "value", None) == key:
            node: Node = v
            return node
    return None


def _validate_item(
    item: object, node: Node, topic: str, name: str
) -> LoadedQuestion | list[Problem]:
    line = yaml_nodes.line_of(node)
    if not isinstance(item, dict):
        return [Problem(name, line, "", "", "each question is a mapping of fields")]
    qid = str(item.get("id", ""))
    if "topic" in item and item["topic"] != topic:
        field_line = yaml_nodes.locate(node, ["topic"])
        msg = f"question topic {item['topic']!r} differs from the file's topic {topic!r}"
        return [Problem(name, field_line, qid, "topic", msg)]
    try:
        question = _QUESTION.validate_python({**item, "topic": topic})
    except ValidationError as exc:
        return [_problem(name, node, qid, item.get("kind"), err) for err in exc.errors()]
    return LoadedQuestion(question, name, line)


def _problem(name: str, node: Node, qid: str, kind: object, err: Any) -> Problem:
    loc = list(err["loc"])
    # A discriminated union puts the kind's tag first; it is not a field.
    if loc and loc[0] == kind:
        loc = loc[1:]
    if err["type"] == "union_tag_not_found":
        return Problem(
            name,
            yaml_nodes.line_of(node),
            qid,
            "kind",
            "missing; one of mcq, short, open, behavioral",
        )
    if err["type"] == "union_tag_invalid":
        line = yaml_nodes.locate(node, ["kind"])
        return Problem(
            name, line, qid, "kind", f"unknown kind {kind!r}; one of mcq, short, open, behavioral"
        )
    field = ".".join(str(p) for p in loc)
    return Problem(name, yaml_nodes.locate(node, loc), qid, field, _message(err))
