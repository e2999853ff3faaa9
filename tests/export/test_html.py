"""Tests the HTML export: no active content whatever the text (T40), self-contained, golden."""

from __future__ import annotations

import html
from collections.abc import Callable
from html.parser import HTMLParser

from hypothesis import given, settings

from pmtui.domain.models import Postmortem
from pmtui.domain.text import clean_text
from pmtui.export.html import CSP, to_html
from tests.strategies import HOSTILE, all_texts, postmortems

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "ul",
    "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "span", "br",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"lang", "charset", "http-equiv", "content", "name", "class"}


class Collector(HTMLParser):
    """Collects every tag, attribute and text run of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.declarations: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)


def collect(page: str) -> Collector:
    parser = Collector()
    parser.feed(page)
    parser.close()
    return parser


def assert_inert(page: str) -> Collector:
    found = collect(page)
    assert set(found.tags) <= ALLOWED_TAGS, set(found.tags) - ALLOWED_TAGS
    assert "script" not in found.tags
    for name, value in found.attributes:
        assert not name.startswith("on")
        assert name in ALLOWED_ATTRIBUTES, name
        assert "javascript:" not in (value or "").lower()
    assert found.declarations == ["DOCTYPE html"]
    assert found.tags.count("title") == 1
    assert found.tags.count("style") == 1
    assert found.tags.count("h1") == 1
    return found


# T40 (RELIABILITY.md)
@settings(max_examples=60, deadline=None)
@given(postmortems())
def test_html_has_no_active_content_whatever_the_text(pm: Postmortem) -> None:
    page = to_html(pm)
    found = assert_inert(page)
    assert found.tags.count("h3") == len(pm.contributing_factors)
    # Every user string arrives as text, whole.
    body = "".join(found.text)
    for value in all_texts(pm):
        assert value in body


# T40 (RELIABILITY.md)
def test_xss_payloads_in_every_field() -> None:
    payloads = [clean_text(p) for p in HOSTILE if "<" in p or "on" in p or "javascript" in p]
    payload = " ".join(payloads) + ' "><script>alert(1)</script><a href="javascript:x">'
    pm = Postmortem.model_validate(
        {
            "id": "INC-2026-0001",
            "title": payload,
            "facilitator": payload,
            "service": payload,
            "team": payload,
            "participants": [{"name": payload, "role": payload}],
            "timeline": [
                {
                    "time": "10:00",
                    "event": payload,
                    "source": payload,
                    "decision_point": True,
                    "context": payload,
                },
            ],
            "impact": {"error_rate_peak": payload, "affected_users_estimate": payload},
            "contributing_factors": [
                {
                    "description": payload,
                    "whys": [{"question": payload, "answer": payload}],
                    "actions": [payload],
                    "deferral": {"reason": payload, "decided_by": payload},
                },
            ],
            "what_helped": [payload],
            "what_hurt": [payload],
            "action_items": [
                {"id": payload, "description": payload, "owner": payload, "ticket": payload}
            ],
            "waivers": [
                {"code": payload, "path": payload, "reason": payload, "waived_by": payload}
            ],
        }
    )
    page = to_html(pm)
    found = assert_inert(page)
    assert "<script" not in page.lower()
    assert "".join(found.text).count(payload) >= 20


def test_page_is_self_contained_with_a_csp(rich_pm: Postmortem) -> None:
    page = to_html(rich_pm)
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'"
    found = assert_inert(page)  # no src= or href= anywhere: attributes are whitelisted
    css = page.split("<style>", 1)[1].split("</style>", 1)[0]
    for outside in ("@import", "url(", "http"):
        assert outside not in css
    assert found.tags.count("meta") == 4
    assert "@media print" in page
    assert page.startswith("<!DOCTYPE html>\n")


def test_escaping_uses_quote_true() -> None:
    pm = Postmortem(id="INC-2026-0001", title="a\"b'c<d>&e")
    assert html.escape("a\"b'c<d>&e", quote=True) in to_html(pm)


def test_html_golden(rich_pm: Postmortem, golden: Callable[[str, str], None]) -> None:
    golden("rich.html", to_html(rich_pm))
