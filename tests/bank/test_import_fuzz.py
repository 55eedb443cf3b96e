"""Fuzzing the YAML/CSV import parser: any bytes give questions or an UploadError, nothing else."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bank.custom import MAX_BYTES, UploadError, parse_upload
from bot.domain.questions import AnyQuestion

TOPICS = ["sql", "nlp"]
NAMES = st.sampled_from(["q.yaml", "q.yml", "q.csv", "Q.CSV", "q.txt", "q", ".yaml"])
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CSV_HEADER = "topic,kind,difficulty,prompt,choices,answers,explanation,tags\n"

YAML_ATOMS = st.sampled_from(
    [
        "topic: sql\n",
        "questions:\n",
        "  - kind: mcq\n",
        "  - kind: short\n",
        "    difficulty: easy\n",
        "    prompt: Which clause filters groups?\n",
        "    choices: [{text: HAVING, correct: true}, {text: WHERE}]\n",
        "    answers: [a, b]\n",
        "    explanation: Because groups exist only after aggregation happens here.\n",
        "    topic: [1, 2]\n",
        "    topic: {a: b}\n",
        "    difficulty: 7\n",
        "    tags: !!binary aGVsbG8=\n",
        "    prompt: &x [1, 2]\n",
        "    answers: *x\n",
        "- 1\n",
        "- null\n",
        "? [a, b]\n: c\n",
        "{: }\n",
        "\t- bad indent\n",
        "!!python/object:os.system ls\n",
        "%YAML 1.1\n---\n",
        "'unterminated\n",
    ]
)


def outcome(name: str, raw: bytes) -> list[AnyQuestion] | UploadError:
    """The questions parsed, or the UploadError raised; any other exception propagates."""
    try:
        return parse_upload(name, raw, TOPICS)
    except UploadError as error:
        return error


def parse(name: str, raw: bytes) -> None:
    """Parse and check the outcome is a list of questions or a friendly, non-empty UploadError."""
    result = outcome(name, raw)
    if isinstance(result, UploadError):
        assert result.errors, "an UploadError must say what is wrong"
        assert all(str(e) for e in result.errors)
    else:
        assert isinstance(result, list) and result
        assert all(q.topic in TOPICS for q in result)


@FUZZ
@given(NAMES, st.binary(max_size=2048))
def test_any_bytes_give_questions_or_an_upload_error(name: str, raw: bytes) -> None:
    """Random bytes under any file name never raise anything but UploadError."""
    parse(name, raw)


@FUZZ
@given(
    st.sampled_from(["q.yaml", "q.csv"]),
    st.text(max_size=1500),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"]),
)
def test_any_text_in_any_encoding(name: str, text: str, encoding: str) -> None:
    """Any Unicode text (controls, NULs, surrogates escaped) in any encoding parses or is refused."""
    raw = text.encode(encoding, errors="replace")
    parse(name, raw)
    parse(name, (CSV_HEADER if name.endswith(".csv") else "").encode(encoding) + raw)


@FUZZ
@given(st.lists(YAML_ATOMS, max_size=25))
def test_structured_yaml_noise(lines: list[str]) -> None:
    """Plausible but wrong YAML (bad types, aliases, tags, bad indents) gives an UploadError."""
    parse("q.yaml", "".join(lines).encode())


CSV_CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["sql", "nlp", "mcq", "short", "open", "easy", "*A|B", '"', '""', "\x00", "\r"]
    ),
)


@FUZZ
@given(st.lists(st.lists(CSV_CELL, max_size=10), max_size=12))
def test_structured_csv_noise(rows: list[list[str]]) -> None:
    """CSV rows of any width, with quotes, NULs and carriage returns, give an UploadError."""
    body = "\n".join(",".join(row) for row in rows)
    parse("q.csv", (CSV_HEADER + body).encode())


def test_billion_laughs_yaml_is_refused_quickly() -> None:
    """A billion-laughs alias bomb is refused in well under a second, without expanding it."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    bomb = (
        "\n".join(lines)
        + "\nquestions:\n"
        + "".join(
            "  - {kind: short, topic: sql, difficulty: easy, prompt: *j, answers: *j, "
            "explanation: *j, tags: *j}\n"
            for _ in range(3)
        )
    )
    started = time.perf_counter()
    with pytest.raises(UploadError):
        parse_upload("bomb.yaml", bomb.encode(), TOPICS)
    assert time.perf_counter() - started < 2.0


def test_billion_laughs_as_the_question_list_is_refused_quickly() -> None:
    """Aliases that make the question list itself explode are refused quickly."""
    lines = ["a: &a [{kind: mcq}, {kind: mcq}, {kind: mcq}, {kind: mcq}, {kind: mcq}]"]
    for level in range(1, 10):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    bomb = "\n".join(lines) + "\nquestions: *j\n"
    started = time.perf_counter()
    with pytest.raises(UploadError):
        parse_upload("bomb.yaml", bomb.encode(), TOPICS)
    assert time.perf_counter() - started < 2.0


def test_huge_files_are_refused_by_size() -> None:
    """A file over the limit is refused before it is decoded or parsed."""
    for name in ("q.yaml", "q.csv"):
        with pytest.raises(UploadError, match="larger than"):
            parse_upload(name, b"a" * (MAX_BYTES + 1), TOPICS)


def test_a_huge_csv_field_under_the_size_limit_is_refused() -> None:
    """One CSV cell larger than the csv module's field limit gives an UploadError, not a crash."""
    prompt = "x" * (200 * 1024)
    parse("q.csv", (CSV_HEADER + f"sql,short,easy,{prompt},,a,expl,\n").encode())
    parse("q.csv", (CSV_HEADER + f'sql,short,easy,"{prompt}\n,,a,expl,\n').encode())


def test_deep_yaml_nesting_is_refused() -> None:
    """Deeply nested flow collections (a recursion bomb) give an UploadError."""
    parse("q.yaml", ("[" * 5000 + "]" * 5000).encode())
    parse("q.yaml", ("questions: " + "[" * 5000 + "]" * 5000).encode())
    parse("q.yaml", ("questions:\n" + "".join("  " * i + "- \n" for i in range(2000))).encode())


def test_wrong_encodings_are_refused_with_a_clear_message() -> None:
    """UTF-16 and Latin-1 uploads of a valid CSV get a friendly error or import cleanly."""
    row = "sql,short,easy,Which clause filters groups after aggregation, café?,,HAVING,"
    text = CSV_HEADER + row + '"Because groups exist only after aggregation, HAVING sees them."\n'
    for encoding in ("utf-16", "utf-16-be", "latin-1", "utf-32"):
        parse("q.csv", text.encode(encoding))


def test_cyclic_yaml_aliases_are_refused() -> None:
    """YAML aliases that make a question (or the list) contain itself give an UploadError."""
    for bomb in (
        "questions:\n- &a {kind: short, topic: sql, prompt: *a}\n",
        "questions: &q\n- {kind: short, topic: sql, tags: *q}\n",
        "&q [*q]\n",
        "questions:\n- &a {kind: mcq, topic: sql, choices: [*a, {text: x, correct: true}]}\n",
    ):
        with pytest.raises(UploadError):
            parse_upload("q.yaml", bomb.encode(), TOPICS)


def test_nul_characters_never_reach_the_store() -> None:
    """NULs (which PostgreSQL cannot store) are dropped from every field of a valid upload."""
    explanation = "Because groups exist only after aggregation,\x00 only HAVING can see them."
    csv_text = (
        CSV_HEADER
        + f'sql,mcq,easy,"Which clause\x00 filters groups?","*HAV\x00ING|WHERE",,"{explanation}",'
        + "t\x00ag\n"
    )
    yaml_text = (
        "questions:\n- {kind: short, topic: sql, difficulty: easy, "
        '"prompt": "Which clause\\0 filters groups?", answers: ["HAV\\0ING"], '
        'explanation: "Because groups exist only after aggregation,\\0 only HAVING can see."}\n'
    )
    for name, raw in (("q.csv", csv_text), ("q.yaml", yaml_text)):
        [question] = parse_upload(name, raw.encode(), TOPICS)
        dumped = question.model_dump_json()
        assert "\\u0000" not in dumped and "\x00" not in dumped, name
        assert question.prompt == "Which clause filters groups?"
