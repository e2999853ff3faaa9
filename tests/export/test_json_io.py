"""Tests JSON import errors: the same one-line-per-problem style as YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmtui.domain.errors import DocumentInvalid
from pmtui.export import documents
from pmtui.export.json_io import parse_postmortem_json, read_postmortem_json_file


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(DocumentInvalid) as caught:
        parse_postmortem_json(text, "pm.json")
    assert caught.value.source == "pm.json"
    return caught.value.problems


def test_minimal_document() -> None:
    pm = parse_postmortem_json('{"id": "NM-2026-0007", "title": "near miss"}')
    assert pm.kind == "near-miss"


def test_duplicate_key_is_refused() -> None:
    (problem,) = problems('{"id": "INC-2026-0001", "title": "a", "title": "b"}')
    assert problem.startswith('duplicate key "title"')


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(constant: str) -> None:
    (problem,) = problems(
        '{"id": "INC-2026-0001", "impact": {"slo_budget_consumed_minutes": ' + constant + "}}"
    )
    assert "is not a JSON number" in problem


def test_huge_float_is_refused_by_the_model() -> None:
    found = problems('{"id": "INC-2026-0001", "impact": {"slo_budget_consumed_minutes": 1e999}}')
    assert found == ["impact.slo_budget_consumed_minutes: inf is not a finite number"]


def test_syntax_error_names_line_and_column() -> None:
    (problem,) = problems('{\n  "id": "INC-2026-0001",\n  "title": x\n}')
    assert problem.startswith("JSON syntax error at line 3, column 12")


# T35 (RELIABILITY.md)
def test_deep_nesting() -> None:
    (problem,) = problems('{"id": "INC-2026-0001", "title": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert problem == "document too deeply nested"


def test_integer_beyond_the_digit_limit() -> None:
    (problem,) = problems(
        '{"id": "INC-2026-0001", "impact": {"duration_minutes": ' + "9" * 5000 + "}}"
    )
    assert problem.startswith("cannot read the JSON")


# T37 (RELIABILITY.md)
def test_every_validation_error_is_a_path() -> None:
    found = problems('{"id": "INC-2026-0001", "timeline": [{"time": 750}], "titel": "x"}')
    assert found == [
        "timeline[0].time: 750 is not text; YAML 1.1 reads an unquoted 12:30 as the number 750; "
        'write "12:30" in quotes',
        "titel: unknown field (did you mean title?)",
    ]


@pytest.mark.parametrize(
    "text,expected",
    [("", "the file is empty"), ("  \n", "the file is empty"), ("[]", "the file holds a list")],
)
def test_not_an_object(text: str, expected: str) -> None:
    (problem,) = problems(text)
    assert problem.startswith(expected)


# T38 (RELIABILITY.md)
def test_bom_crlf_and_bad_encodings() -> None:
    raw = '{\r\n"id": "INC-2026-0001",\r\n"title": "Café"\r\n}'
    assert parse_postmortem_json(b"\xef\xbb\xbf" + raw.encode()).title == "Café"
    (problem,) = problems(raw.encode("latin-1"))
    assert "not UTF-8 text" in problem
    (problem,) = problems(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "binary file" in problem


# T25 (RELIABILITY.md)
def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (documents.MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(DocumentInvalid, match=r"pmtui imports files up to 5\.0 MB"):
        read_postmortem_json_file(path)
