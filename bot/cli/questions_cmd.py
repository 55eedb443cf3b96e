"""`python -m bot questions …`: validate the bank, report its shape, emit its schema."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pydantic import TypeAdapter

from bot.bank.bank import validate
from bot.bank.catalog import load_topics
from bot.bank.problems import BankError
from bot.domain.questions import BehavioralQuestion, Difficulty, Kind, Question, QuestionFile


def validate_command(paths: list[Path], bank_dir: Path) -> int:
    """Print every problem as file:line: id: field: message; 0 when clean."""
    try:
        loaded, problems = validate(paths or [bank_dir], bank_dir)
    except BankError as exc:
        print(exc)
        return 1
    for problem in problems:
        print(problem)
    files = len({item.file for item in loaded})
    if problems:
        print(f"{len(problems)} problem(s); {len(loaded)} valid questions in {files} file(s).")
        return 1
    print(f"OK: {len(loaded)} questions in {files} file(s).")
    return 0


def stats_command(bank_dir: Path) -> int:
    """Print counts by topic, kind and difficulty."""
    try:
        loaded, problems = validate([bank_dir], bank_dir)
        topics = load_topics(bank_dir)
    except BankError as exc:
        print(exc)
        return 1
    questions = [item.question for item in loaded if not item.question.retired]
    kinds, levels = list(Kind), list(Difficulty)
    header = f"{'topic':<24}{'total':>6}" + "".join(f"{k.value:>11}" for k in kinds)
    header += "".join(f"{d.value:>8}" for d in levels)
    print(header)
    print("-" * len(header))
    for slug in topics:
        group = [q for q in questions if q.topic == slug]
        by_kind = Counter(q.kind for q in group)
        by_level = Counter(q.difficulty for q in group)
        row = f"{slug:<24}{len(group):>6}" + "".join(f"{by_kind[k.value]:>11}" for k in kinds)
        print(row + "".join(f"{by_level[d]:>8}" for d in levels))
    total = len(questions)
    concept = [q for q in questions if q.kind != Kind.BEHAVIORAL.value]
    levels_all = Counter(q.difficulty for q in concept)
    shares = ", ".join(
        f"{d.value} {100 * levels_all[d] / max(len(concept), 1):.0f}%" for d in levels
    )
    covered = sum(1 for slug in topics if any(q.topic == slug for q in concept))
    print("-" * len(header))
    print(
        f"total {total} questions: {len(concept)} concept over {covered} topics, "
        f"{total - len(concept)} behavioral"
    )
    print(f"concept difficulty: {shares}")
    competencies = Counter(
        q.competency.value for q in questions if isinstance(q, BehavioralQuestion)
    )
    if competencies:
        by_competency = ", ".join(f"{c}: {n}" for c, n in sorted(competencies.items()))
        print(f"behavioral by competency: {by_competency}")
    if problems:
        print(f"warning: {len(problems)} problem(s); run `python -m bot questions validate`")
    return 0


def schema_command(bank_dir: Path) -> int:
    """Write questions/schema.json, the JSON Schema editors can use for bank files."""
    question = TypeAdapter(Question).json_schema()
    file_schema = QuestionFile.model_json_schema()
    file_schema["properties"]["questions"] = {"type": "array", "items": question, "minItems": 1}
    file_schema["$defs"] = {**question.pop("$defs", {}), **file_schema.get("$defs", {})}
    # In a file, a question takes its topic from the file's `topic`.
    for definition in file_schema["$defs"].values():
        if "topic" in definition.get("required", []):
            definition["required"].remove("topic")
    file_schema["title"] = "Gradient question bank file"
    target = bank_dir / "schema.json"
    target.write_text(json.dumps(file_schema, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0
