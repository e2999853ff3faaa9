"""Tests YAML import: the article's template, and hostile files (T33-T38)."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from pmtui.domain.errors import DocumentInvalid
from pmtui.export import documents, yaml_io
from pmtui.export.yaml_io import parse_postmortem_yaml, read_postmortem_file

DATA = Path(__file__).resolve().parents[1] / "data"
TEMPLATE = DATA / "article_template.yaml"
MINIMAL = 'id: INC-2026-0001\ntitle: "x"\n'


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(DocumentInvalid) as caught:
        parse_postmortem_yaml(text, "test.yaml")
    assert caught.value.source == "test.yaml"
    return caught.value.problems


def test_article_template_imports_as_is() -> None:
    pm = read_postmortem_file(TEMPLATE)
    assert pm.id == "INC-2026-0114"
    assert pm.severity == "SEV-2"
    assert pm.title == "Payment service 503s — 23-minute degradation window"
    assert [p.name for p in pm.participants] == [
        "payments-team-lead",
        "platform-sre",
        "product-owner",
    ]
    assert len(pm.contributing_factors) == 5
    assert pm.contributing_factors[4].description.startswith("On-call context-switching")
    assert [e.time for e in pm.timeline] == ["14:32", "14:38", "14:41", "14:53", "14:55", "14:55"]
    assert pm.impact.affected_users_estimate == "~1400"
    assert pm.impact.slo_budget_consumed_minutes == 23
    assert [a.ticket for a in pm.action_items] == ["PLAT-892", "PLAT-893", "PAY-234", "DATA-112"]
    assert str(pm.action_items[0].due) == "2026-01-28"


def test_article_template_is_the_seed_text_verbatim() -> None:
    seeds = Path("/work/shared/seeds")
    if not seeds.exists():
        pytest.skip("seed article not available")
    article = next(seeds.glob("*.txt")).read_text(encoding="utf-8")
    start = article.index("id: INC-2026-0114")
    end = article.index("The sections that most commonly")
    assert TEMPLATE.read_text(encoding="utf-8") == article[start:end]


# T33: tags that would run code.
@pytest.mark.parametrize(
    "line",
    [
        "facilitator: !!python/object/apply:os.system ['touch {marker}']",
        "facilitator: !!python/name:os.system ''",
        "facilitator: !!python/object/new:os.system ['touch {marker}']",
        "facilitator: !custom x",
    ],
)
def test_python_tags_are_refused_without_side_effects(line: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = MINIMAL + "\n\n" + line.format(marker=marker) + "\n"
    (problem,) = problems(text)
    assert problem.startswith("unsupported YAML tag !")
    assert problem.endswith("(line 5)")
    assert not marker.exists()


# T34: the 431-byte alias bomb ("billion laughs").
ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)


# T34 (RELIABILITY.md)
def test_alias_bomb_is_refused_fast_with_flat_memory() -> None:
    assert len(ALIAS_BOMB.encode()) < 440
    tracemalloc.start()
    started = time.perf_counter()
    try:
        found = problems(ALIAS_BOMB)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0  # expanding it would take minutes; refusing it, microseconds
    assert peak < 2 * 1024 * 1024
    assert found == ["YAML anchors (&a) are not supported; write the value out in full (line 1)"]


# T33 (RELIABILITY.md)
@pytest.mark.parametrize("value", ["!!binary aGVsbG8=", "!!set {a: null}", "!!omap [a: 1]"])
def test_tags_the_safe_loader_knows_but_a_postmortem_never_uses(value: str) -> None:
    (problem,) = problems(f"id: INC-2026-0001\nfacilitator: {value}\n")
    assert problem.startswith("unsupported YAML tag !!")
    assert problem.endswith("(line 2)")


# T34 (RELIABILITY.md)
def test_alias_alone_is_refused() -> None:
    (problem,) = problems(MINIMAL + "title: *x\n")
    assert "aliases (*x)" in problem


# T35: size cap and deep nesting.
# T25 (RELIABILITY.md)
def test_size_cap_applies_before_parsing() -> None:
    big = "title: '" + "x" * (documents.MAX_DOCUMENT_BYTES + 10) + "'\n"
    (problem,) = problems(big.encode())
    assert problem.startswith("the file is 5.0 MB; pmtui imports files up to 5.0 MB")
    (problem,) = problems(big)
    assert "5.0 MB" in problem


# T35 (RELIABILITY.md)
def test_size_cap_on_file_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    with pytest.raises(DocumentInvalid) as caught:
        read_postmortem_file(path)
    assert "50.0 MB" in caught.value.problems[0]


# T35 (RELIABILITY.md)
@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_too_deeply_nested(opener: str, closer: str) -> None:
    text = "title: " + opener * 20_000 + closer * 20_000 + "\n"
    (problem,) = problems(text)
    assert "too deeply nested" in problem


def test_block_nesting_just_over_the_limit_is_refused() -> None:
    lines = [f"{'  ' * depth}k{depth}:" for depth in range(yaml_io.MAX_NESTING + 1)]
    (problem,) = problems("\n".join(lines) + " x\n")
    assert "too deeply nested" in problem


# T35 (RELIABILITY.md)
def test_recursion_error_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(loader: object, node: object) -> None:
        raise RecursionError

    monkeypatch.setattr(yaml_io, "_build", explode)
    assert problems(MINIMAL) == ["document too deeply nested"]


# T36: YAML 1.1 coercions and duplicate keys.
@pytest.mark.parametrize(
    "text,path,hint",
    [
        (
            'id: INC-2026-0001\ntimeline:\n  - time: 12:30\n    event: "x"\n',
            "timeline[0].time",
            'write "12:30" in quotes',
        ),
        ("id: 0123\n", "id", "put the value in quotes"),
        ("id: INC-2026-0001\ntitle: NO\n", "title", "put the value in quotes"),
        ("id: INC-2026-0001\nfacilitator: yes\n", "facilitator", "put the value in quotes"),
        (
            "id: INC-2026-0001\naction_items:\n  - ticket: 0123\n",
            "action_items[0].ticket",
            "put the value in quotes",
        ),
    ],
)
def test_yaml_coercions_are_refused_with_a_quoting_hint(text: str, path: str, hint: str) -> None:
    (problem,) = problems(text)
    assert problem.startswith(path + ": ")
    assert hint in problem


# T36 (RELIABILITY.md)
def test_an_octal_looking_number_is_explained_and_a_plain_one_is_not() -> None:
    octal, plain = problems(
        "id: INC-2026-0001\naction_items:\n  - ticket: 0123\n  - ticket: 892\n"
    )
    assert "reads an unquoted 0123 as the octal number 83" in octal
    assert "octal" not in plain and "put the value in quotes" in plain


def test_coercion_error_names_its_line() -> None:
    (problem,) = problems('id: INC-2026-0001\ntimeline:\n  - event: "x"\n    time: 12:30\n')
    assert problem.endswith("(line 4)")


# T36 (RELIABILITY.md)
def test_duplicate_keys_are_refused() -> None:
    (problem,) = problems('id: INC-2026-0001\ntitle: "a"\nseverity: SEV-2\ntitle: "b"\n')
    assert problem.startswith('duplicate key "title" (first at line 2)')
    assert problem.endswith("(line 4)")


# T36 (RELIABILITY.md)
def test_nested_duplicate_keys_are_refused() -> None:
    (problem,) = problems("id: INC-2026-0001\nimpact: {duration_minutes: 1, duration_minutes: 2}\n")
    assert 'duplicate key "duration_minutes"' in problem


@pytest.mark.parametrize("key", ["yes", "1", "null", "[a]"])
def test_keys_must_be_text(key: str) -> None:
    (problem,) = problems(f"id: INC-2026-0001\n? {key}\n: x\n")
    assert "is not a field name" in problem


def test_invalid_unquoted_date_names_its_line() -> None:
    (problem,) = problems("id: INC-2026-0001\ndate_of_postmortem: 2026-02-30\n")
    assert problem.startswith('cannot read "2026-02-30"')
    assert problem.endswith("(line 2)")


def test_merge_keys_are_refused() -> None:
    (problem,) = problems("id: INC-2026-0001\nimpact:\n  <<: {duration_minutes: 3}\n")
    assert "merge keys" in problem


def test_bare_equals_sign_is_text() -> None:
    assert parse_postmortem_yaml("id: INC-2026-0001\ntitle: =\n").title == "="


def test_second_document_is_refused() -> None:
    (problem,) = problems(MINIMAL + "---\nid: INC-2026-0002\n")
    assert problem.startswith("one postmortem per file")


# T37: every validation error, as a path.
def test_every_validation_error_is_listed_as_a_path() -> None:
    text = (
        "id: INC-2026-0001\n"
        "titel: typo\n"
        "severity: SEV-9\n"
        "timeline:\n"
        "  - time: '14:00'\n"
        "    event: ok\n"
        "  - time: 'soon'\n"
        "participants:\n"
        "  - role: scribe\n"
        "impact:\n"
        "  duration_minutes: lots\n"
    )
    found = problems(text)
    assert found == [
        'severity: "SEV-9" is not a severity; use one of SEV-1, SEV-2, SEV-3, SEV-4 (line 3)',
        "participants[0].name: field required (line 9)",
        'timeline[1].time: "soon" is not a time; write HH:MM, HH:MM:SS or a timestamp '
        "such as 2026-01-14T14:32:00Z (line 7)",
        'impact.duration_minutes: "lots" is not a number (line 11)',
        "titel: unknown field (did you mean title?) (line 2)",
    ]


def test_missing_id() -> None:
    assert problems('title: "no id"\n') == ["id: field required (line 1)"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("- a\n- b\n", "the file holds a list"),
        ("just text\n", "the file holds the value 'just text'"),
    ],
)
def test_not_a_mapping(text: str, expected: str) -> None:
    (problem,) = problems(text)
    assert problem.startswith(expected)


def test_syntax_error_names_line_and_column() -> None:
    (problem,) = problems('id: INC-2026-0001\ntitle: "unterminated\nseverity: [\n')
    assert problem.startswith("YAML syntax error at line ")
    assert ", column " in problem


def test_bad_indentation_syntax_error() -> None:
    (problem,) = problems("id: INC-2026-0001\n  title: x\n title: y\n")
    assert problem.startswith("YAML syntax error at line 2, column")


# T38: encodings.
def test_bom_and_crlf_are_accepted() -> None:
    raw = TEMPLATE.read_bytes()
    expected = parse_postmortem_yaml(raw)
    crlf = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    assert parse_postmortem_yaml(crlf) == expected
    assert parse_postmortem_yaml("\ufeff" + raw.decode()) == expected


def test_crlf_inside_a_literal_block_becomes_lf() -> None:
    pm = parse_postmortem_yaml(b"id: INC-2026-0001\r\ntitle: |-\r\n  a\r\n  b\r\n")
    assert pm.title == "a\nb"


# T38 (RELIABILITY.md)
@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_non_utf8_is_a_clear_error(encoding: str) -> None:
    raw = 'id: INC-2026-0001\ntitle: "Café – Übung"\n'.encode(encoding, "replace")
    (problem,) = problems(raw)
    assert problem.startswith("the file is not UTF-8 text (byte 0x")
    assert "line 2" in problem


# T38 (RELIABILITY.md)
def test_utf16_is_refused_as_binary() -> None:
    (problem,) = problems(MINIMAL.encode("utf-16"))
    assert "not UTF-8 text" in problem


# T38 (RELIABILITY.md)
def test_binary_file_is_refused() -> None:
    (problem,) = problems(bytes(range(256)) * 4)
    assert problem.startswith("this is a binary file, not UTF-8 text")


def test_control_characters_are_refused_by_yaml() -> None:
    (problem,) = problems("id: INC-2026-0001\ntitle: a\x07b\n")
    assert problem == "the character U+0007 at line 2 is not allowed in YAML"
    (problem,) = problems("id: INC-2026-0001\ntitle: é日本\nfacilitator: a\x07b\n")
    assert problem == "the character U+0007 at line 3 is not allowed in YAML"


PURE_PYTHON_CHECKS = """
import yaml
del yaml.CSafeLoader  # as on a system without libyaml
from pmtui.domain.errors import DocumentInvalid
from pmtui.export import yaml_io
assert yaml_io._StrictLoader.__mro__[1] is yaml.SafeLoader
pm = yaml_io.read_postmortem_file({template!r})
assert len(pm.contributing_factors) == 5
assert yaml_io.parse_postmortem_yaml(yaml_io.dump_postmortem_yaml(pm)) == pm
cases = {{
    {bomb!r}: "YAML anchors (&a)",
    "title: " + "[" * 20000 + "]" * 20000: "too deeply nested",
    "id: INC-2026-0001\\ntitle: é\\nfacilitator: a\\x07\\n": "U+0007 at line 3",
    "id: INC-2026-0001\\ntitle: a\\ntitle: b\\n": 'duplicate key "title"',
    "id: INC-2026-0001\\nteam: !!python/object/apply:os.system [x]\\n": "unsupported YAML tag",
    "id: INC-2026-0001\\ntitle: [\\n": "YAML syntax error at line",
}}
for text, expected in cases.items():
    try:
        yaml_io.parse_postmortem_yaml(text)
    except DocumentInvalid as exc:
        assert expected in exc.problems[0], (expected, exc.problems)
    else:
        raise AssertionError(expected)
"""


def test_the_same_checks_without_libyaml() -> None:
    code = PURE_PYTHON_CHECKS.format(template=str(TEMPLATE), bomb=ALIAS_BOMB)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# T20 (RELIABILITY.md)
def test_escaped_control_characters_are_cleaned() -> None:
    pm = parse_postmortem_yaml('id: INC-2026-0001\ntitle: "a\\e]0;pwned\\ab\\u202e"\n')
    assert pm.title == "ab"


def test_unreadable_file_is_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentInvalid, match="cannot read the file"):
        read_postmortem_file(tmp_path / "missing.yaml")
    with pytest.raises(DocumentInvalid, match="directory"):
        read_postmortem_file(tmp_path)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_refused(value: str) -> None:
    (problem,) = problems(f"id: INC-2026-0001\nimpact:\n  slo_budget_consumed_minutes: {value}\n")
    assert problem.startswith("impact.slo_budget_consumed_minutes: ")
    assert "is not a finite number (line 3)" in problem
