"""The cross-team review report: its content from the sample, golden files, hostile text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from pmtui.domain.models import Postmortem
from pmtui.domain.review_report import build_review_report
from pmtui.export.review_report import render_review, to_html, to_markdown
from pmtui.sample import build_sample_database
from pmtui.store import Store
from tests.export.test_html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, Collector
from tests.strategies import HOSTILE

NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> object:
    path: Path = tmp_path_factory.mktemp("review") / "sample.db"
    build_sample_database(path)
    with Store.open(path, clock=lambda: NOW) as store:
        store.describe_class("n+1-query", "One query per row of a list instead of one per list")
        return store.review_report(dt.date(2025, 7, 1), dt.date(2026, 11, 29), NOW)


def test_golden_markdown(sample_report: object, golden: Callable[[str, str], None]) -> None:
    golden("review.md", to_markdown(sample_report))  # type: ignore[arg-type]


def test_golden_html(sample_report: object, golden: Callable[[str, str], None]) -> None:
    golden("review.html", to_html(sample_report))  # type: ignore[arg-type]


def test_the_report_says_what_the_review_needs(sample_report: object) -> None:
    text = to_markdown(sample_report)  # type: ignore[arg-type]
    assert "| `n+1-query` | One query per row" in text
    assert "improve CI coverage" in text  # INC-2025-0804's never-done item is still open
    gap = "certificate-expiry (hit by identity): not yet met by discovery, messaging, payments"
    assert gap in text
    assert "open, past due" in text
    with pytest.raises(ValueError):
        render_review(sample_report, "pdf")  # type: ignore[arg-type]


def _hostile_report(text: str) -> object:
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0001",
            "title": text,
            "team": text,
            "date_of_incident": "2026-03-01T10:00:00Z",
            "failure_classes": ["xss"],
            "action_items": [{"description": text, "owner": text, "ticket": text}],
        }
    )
    return build_review_report(
        [pm],
        since=dt.date(2026, 1, 1),
        until=dt.date(2026, 12, 31),
        generated=NOW,
        teams=[text, "other"],
        met={},
        descriptions={"xss": text},
    )


# T40 (RELIABILITY.md)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_inert_in_html(text: str) -> None:
    page = to_html(_hostile_report(text))  # type: ignore[arg-type]
    parsed = Collector()
    parsed.feed(page)
    assert set(parsed.tags) <= ALLOWED_TAGS
    assert {name for name, _ in parsed.attributes} <= ALLOWED_ATTRIBUTES
    assert "javascript:" not in "".join(v or "" for _, v in parsed.attributes)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_keeps_the_markdown_structure(text: str) -> None:
    lines = to_markdown(_hostile_report(text)).splitlines()  # type: ignore[arg-type]
    headings = [line for line in lines if line.startswith("#")]
    assert headings[0].startswith("# Cross-team review")
    assert all(not line.startswith("<") for line in lines)
    for line in lines:
        if line.startswith("|"):
            assert line.count("|") - line.count("\\|") in (7, 8)
