"""The bank's pydantic models accept each kind and reject each kind of mistake."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from bot.domain.questions import (
    AnyQuestion,
    BehavioralQuestion,
    McqQuestion,
    OpenQuestion,
    Question,
    ShortQuestion,
    content_hash,
)

ADAPTER = TypeAdapter[AnyQuestion](Question)
EXPLANATION = "Because the slope is the limit of rise over run. So the sign tells the direction."


def base(**extra: Any) -> dict[str, Any]:
    """Common fields with a valid default for each."""
    data: dict[str, Any] = {
        "id": "mth-001",
        "topic": "math-foundations",
        "difficulty": "easy",
        "tags": ["derivatives"],
        "prompt": "What does the sign of a derivative tell you?",
        "explanation": EXPLANATION,
    }
    data.update(extra)
    return data


def mcq(**extra: Any) -> dict[str, Any]:
    """A valid MCQ, overridable."""
    extra.setdefault(
        "choices", [{"text": "Direction of change", "correct": True}, {"text": "Curvature"}]
    )
    return base(kind="mcq", **extra)


def errors_of(data: dict[str, Any]) -> list[str]:
    """The messages a validation produces."""
    with pytest.raises(ValidationError) as info:
        ADAPTER.validate_python(data)
    return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in info.value.errors()]


def test_each_kind_validates() -> None:
    assert isinstance(ADAPTER.validate_python(mcq()), McqQuestion)
    short = ADAPTER.validate_python(base(kind="short", answers=["slope"]))
    assert isinstance(short, ShortQuestion)
    assert short.fuzzy_threshold == 85
    points = [{"point": "slope", "synonyms": ["slope"]}, {"point": "sign", "synonyms": ["sign"]}]
    open_q = ADAPTER.validate_python(base(kind="open", model_answer="x" * 40, key_points=points))
    assert isinstance(open_q, OpenQuestion)
    behavioral = ADAPTER.validate_python(
        base(
            kind="behavioral",
            competency="conflict",
            strong_answer_shows=["a", "b"],
            follow_ups=["c"],
        )
    )
    assert isinstance(behavioral, BehavioralQuestion)


def test_mcq_needs_exactly_one_correct_choice() -> None:
    none_right = mcq(choices=[{"text": "a"}, {"text": "b"}])
    assert any("exactly one choice must be correct, found 0" in e for e in errors_of(none_right))
    two_right = mcq(choices=[{"text": "a", "correct": True}, {"text": "b", "correct": True}])
    assert any("found 2" in e for e in errors_of(two_right))


def test_mcq_rejects_duplicate_and_lazy_choices() -> None:
    dup = mcq(choices=[{"text": "Same", "correct": True}, {"text": "  same "}])
    assert any("same text" in e for e in errors_of(dup))
    lazy = mcq(choices=[{"text": "x", "correct": True}, {"text": "All of the above"}])
    assert any("all of the above" in e for e in errors_of(lazy))


def test_mcq_choice_count_bounds() -> None:
    six = [{"text": f"c{i}", "correct": i == 0} for i in range(6)]
    assert any(e.startswith("mcq.choices") for e in errors_of(mcq(choices=six)))
    one = [{"text": "only", "correct": True}]
    assert any(e.startswith("mcq.choices") for e in errors_of(mcq(choices=one)))


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("id", "Bad_ID", "mcq.id"),
        ("id", "x" * 33, "mcq.id"),
        ("difficulty", "impossible", "mcq.difficulty"),
        ("tags", [], "mcq.tags"),
        ("tags", ["a", "a"], "mcq.tags"),
        ("prompt", "short", "mcq.prompt"),
        ("explanation", "Too short.", "mcq.explanation"),
        ("colour", "blue", "mcq.colour"),
    ],
)
def test_common_field_errors_name_the_field(field: str, value: object, where: str) -> None:
    assert any(e.startswith(where) for e in errors_of(mcq(**{field: value})))


def test_short_needs_an_answer_and_sane_threshold() -> None:
    assert any("short.answers" in e for e in errors_of(base(kind="short", answers=[])))
    bad = base(kind="short", answers=["x"], fuzzy_threshold=20)
    assert any("short.fuzzy_threshold" in e for e in errors_of(bad))
    negative = base(kind="short", answers=["1"], numeric={"value": 1, "tolerance": -1})
    assert any("numeric.tolerance" in e for e in errors_of(negative))


def test_open_needs_two_to_six_key_points_with_synonyms() -> None:
    one = base(kind="open", model_answer="x" * 40, key_points=[{"point": "abc", "synonyms": ["a"]}])
    assert any("open.key_points" in e for e in errors_of(one))
    empty = [{"point": "abc", "synonyms": []}, {"point": "def", "synonyms": ["d"]}]
    bad = base(kind="open", model_answer="x" * 40, key_points=empty)
    assert any("key_points.0.synonyms" in e for e in errors_of(bad))


def test_behavioral_needs_a_known_competency() -> None:
    bad = base(
        kind="behavioral", competency="charisma", strong_answer_shows=["a", "b"], follow_ups=["c"]
    )
    assert any("behavioral.competency" in e for e in errors_of(bad))


def test_unknown_kind_is_rejected() -> None:
    assert errors_of(base(kind="essay"))


def test_content_hash_changes_with_content_not_retirement() -> None:
    q = ADAPTER.validate_python(mcq())
    edited = ADAPTER.validate_python(mcq(prompt="What does the sign of a slope tell you?"))
    retired = ADAPTER.validate_python(mcq(retired=True))
    assert content_hash(q) != content_hash(edited)
    assert content_hash(q) == content_hash(retired)


def test_correct_index() -> None:
    q = ADAPTER.validate_python(
        mcq(choices=[{"text": "a"}, {"text": "b"}, {"text": "c", "correct": True}])
    )
    assert isinstance(q, McqQuestion)
    assert q.correct_index == 2


def test_options_are_named_by_letter() -> None:
    q = ADAPTER.validate_python(
        mcq(choices=[{"text": "a"}, {"text": "b"}, {"text": "c", "correct": True}])
    )
    assert isinstance(q, McqQuestion)
    assert q.letters == ("A", "B", "C")
    assert McqQuestion.letter(q.correct_index) == "C"
