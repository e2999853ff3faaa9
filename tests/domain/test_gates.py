"""Every gate firing on a broken document, and staying silent on a sound one."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pmtui.domain.findings import CODES, blocking
from pmtui.domain.models import Postmortem, Waiver
from pmtui.domain.rules import CheckContext, check
from tests.domain.article import NOW, completed_dict

Doc = dict[str, Any]


def run(data: Doc, now: dt.datetime = NOW) -> list[tuple[str, str]]:
    return [(f.code, f.path) for f in check(Postmortem.model_validate(data), CheckContext(now))]


def setting(path: str, value: Any) -> Callable[[Doc], None]:
    """A mutation that sets ``a.b[2].c`` style paths in the document dict."""

    def mutate(data: Doc) -> None:
        target: Any = data
        parts = path.replace("]", "").replace("[", ".").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def both(*mutations: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def mutate(data: Doc) -> None:
        for m in mutations:
            m(data)

    return mutate


FIRING = [
    ("G-REQUIRED", "title", setting("title", "  ")),
    ("G-REQUIRED", "severity", setting("severity", None)),
    ("G-REQUIRED", "date_of_incident", setting("date_of_incident", None)),
    ("G-REQUIRED", "date_restored", setting("date_restored", None)),
    ("G-REQUIRED", "facilitator", setting("facilitator", "")),
    ("G-REQUIRED", "participants", setting("participants", [])),
    ("G-REQUIRED", "participants[1].name", setting("participants.1", {"name": " "})),
    ("G-DATE-ORDER", "date_restored", setting("date_restored", "2026-01-14T14:00:00Z")),
    ("G-DATE-ORDER", "date_of_postmortem", setting("date_of_postmortem", "2026-01-13")),
    ("G-DATE-ORDER", "date_published", setting("date_published", "2026-01-14T14:50:00Z")),
    ("G-DATE-FUTURE", "date_published", setting("date_published", "2026-01-21T00:00:00Z")),
    ("G-DATE-FUTURE", "date_of_postmortem", setting("date_of_postmortem", "2026-01-21")),
    ("G-NORMS", "norms_read_at", setting("norms_read_at", None)),
    ("G-PAST-SEARCH", "past_incidents_searched_at", setting("past_incidents_searched_at", None)),
    ("G-TIMELINE-EMPTY", "timeline", setting("timeline", [])),
    ("G-TIMELINE-FIELD", "timeline[2].time", setting("timeline.2.time", "")),
    ("G-TIMELINE-FIELD", "timeline[2].event", setting("timeline.2.event", "")),
    ("G-TIMELINE-FIELD", "timeline[2].source", setting("timeline.2.source", " ")),
    ("G-TIMELINE-ORDER", "timeline[3].time", setting("timeline.3.time", "14:40")),
    (
        "G-TIMELINE-ORDER",
        "timeline[1].time",
        setting("timeline.1.time", "2026-01-14T14:00:00Z"),
    ),
    ("G-FACTORS-MIN", "contributing_factors", lambda d: d["contributing_factors"][:1]),
    (
        "G-FACTOR-EMPTY",
        "contributing_factors[1].description",
        setting("contributing_factors.1.description", ""),
    ),
    ("G-CHAIN-WHYS", "contributing_factors[0].whys", setting("contributing_factors.0.whys", [])),
    (
        "G-WHY-ANSWER",
        "contributing_factors[0].whys[2].answer",
        setting("contributing_factors.0.whys.2.answer", ""),
    ),
    (
        "G-CHAIN-OPEN",
        "contributing_factors[2].systemic_property",
        setting("contributing_factors.2.systemic_property", None),
    ),
    (
        "G-CHAIN-ACTION",
        "contributing_factors[1].actions",
        setting("contributing_factors.1.actions", []),
    ),
    (
        "G-CHAIN-ACTION",
        "contributing_factors[3].actions",
        setting("action_items.1.ticket", ""),
    ),
    (
        "G-CHAIN-ACTION",
        "contributing_factors[4].actions",
        setting("contributing_factors.4.deferral", None),
    ),
    (
        "G-DEFERRAL-FIELD",
        "contributing_factors[4].deferral.reason",
        setting("contributing_factors.4.deferral.reason", ""),
    ),
    (
        "G-DEFERRAL-FIELD",
        "contributing_factors[4].deferral.decided_by",
        setting("contributing_factors.4.deferral.decided_by", "we"),
    ),
    (
        "G-DEFERRAL-FIELD",
        "contributing_factors[4].deferral.review_date",
        setting("contributing_factors.4.deferral.review_date", None),
    ),
    (
        "G-DEFERRAL-FIELD",
        "contributing_factors[4].deferral.review_date",
        setting("contributing_factors.4.deferral.review_date", "2026-01-01"),
    ),
    (
        "G-ACTION-DESCRIPTION",
        "action_items[0].description",
        setting("action_items.0.description", ""),
    ),
    ("G-OWNER-ONE", "action_items[0].owner", setting("action_items.0.owner", "")),
    ("G-OWNER-ONE", "action_items[0].owner", setting("action_items.0.owner", "team")),
    ("G-OWNER-ONE", "action_items[0].owner", setting("action_items.0.owner", "we")),
    ("G-OWNER-ONE", "action_items[0].owner", setting("action_items.0.owner", "everyone")),
    ("G-OWNER-ONE", "action_items[0].owner", setting("action_items.0.owner", "TBD")),
    ("G-OWNER-ONE", "action_items[0].owner", setting("action_items.0.owner", "alice and bob")),
    ("G-OWNER-ONE", "action_items[0].owner", setting("action_items.0.owner", "@a @b")),
    ("G-ACTION-DUE", "action_items[2].due", setting("action_items.2.due", None)),
    ("G-ACTION-DUE", "action_items[2].due", setting("action_items.2.due", "2026-01-13")),
    ("G-ACTION-DUE", "action_items[2].due", setting("action_items.2.due", "2099-12-31")),
    ("G-ACTION-TICKET", "action_items[3].ticket", setting("action_items.3.ticket", "")),
    ("G-ACTION-PRIORITY", "action_items[3].priority", setting("action_items.3.priority", None)),
    ("G-HELPED-EMPTY", "what_helped", setting("what_helped", [])),
    ("G-HELPED-EMPTY", "what_helped", setting("what_helped", ["  "])),
    ("G-HURT-EMPTY", "what_hurt", setting("what_hurt", [])),
    ("G-ROOT-CAUSE", "title", setting("title", "Root cause: N+1 queries")),
    (
        "G-ROOT-CAUSE",
        "contributing_factors[1].whys[0].answer",
        setting("contributing_factors.1.whys.0.answer", "The ROOT-CAUSE is the dataset"),
    ),
    ("G-ROOT-CAUSE", "what_hurt[1]", setting("what_hurt.1", "no rootcause analysis")),
    (
        "G-ROOT-CAUSE",
        "action_items[0].description",
        setting("action_items.0.description", "Find the root causes"),
    ),
]


def _mutated(mutate: Callable[[Doc], Any]) -> Doc:
    data = completed_dict()
    result = mutate(data)
    if isinstance(result, list):  # a mutation may return a replacement list of factors
        data["contributing_factors"] = result
        data["contributing_factors"][0]["actions"] = ["A1", "A2", "A3", "A4"]
    return data


@pytest.mark.parametrize(("code", "path", "mutate"), FIRING, ids=[f"{c}:{p}" for c, p, _ in FIRING])
def test_gate_fires(code, path, mutate):
    findings = check(Postmortem.model_validate(_mutated(mutate)), CheckContext(NOW))
    hits = [f for f in findings if (f.code, f.path) == (code, path)]
    assert hits, [(f.code, f.path) for f in findings]
    assert all(f.level == "gate" and f.message for f in hits)


def test_every_gate_code_has_a_firing_case():
    gate_codes = {code for code, (level, _) in CODES.items() if level == "gate"}
    assert gate_codes == {code for code, _, _ in FIRING}


def test_sound_document_fires_no_gate():
    assert run(completed_dict()) == []


NOT_FIRING = [
    ("owner Justin", setting("action_items.0.owner", "Justin")),
    ("owner full name", setting("action_items.0.owner", "Alice Smith")),
    ("due on the incident day", setting("action_items.2.due", "2026-01-14")),
    ("equal timeline times", setting("timeline.3.time", "14:41")),
    ("timeline as full timestamps", setting("timeline.5.time", "2026-01-14T14:56:30Z")),
    ("meeting on the incident day", setting("date_of_postmortem", "2026-01-14")),
    ("published at restoration", setting("date_published", "2026-01-14T14:55:00Z")),
    (
        "deferral and an action both",
        setting(
            "contributing_factors.0.deferral",
            {"reason": "r", "decided_by": "alice", "review_date": "2026-03-01"},
        ),
    ),
    (
        "one ready item among unready",
        both(
            setting("contributing_factors.1.actions", ["A4", "A2"]),
            setting("contributing_factors.3.actions", ["A2", "A4"]),
        ),
    ),
    ("why with no question", setting("contributing_factors.2.whys.0.question", "")),
    ("root cause words apart", setting("title", "Roots of the cause")),
]


@pytest.mark.parametrize(("name", "mutate"), NOT_FIRING, ids=[n for n, _ in NOT_FIRING])
def test_gate_stays_silent(name, mutate):
    assert run(_mutated(mutate)) == []


def test_unready_item_blocks_its_factor_and_reports_itself():
    data = completed_dict()
    data["action_items"][0]["owner"] = "alice/bob"
    found = run(data)
    assert ("G-CHAIN-ACTION", "contributing_factors[0].actions") in found
    assert ("G-OWNER-ONE", "action_items[0].owner") in found


def test_timeline_after_midnight_needs_its_date():
    data = completed_dict()
    data["timeline"].append({"time": "00:10", "event": "Backfill completes", "source": "job log"})
    assert run(data) == [("G-TIMELINE-ORDER", "timeline[6].time")]
    data["timeline"][-1]["time"] = "2026-01-15T00:10:00Z"
    assert run(data) == []


def test_root_cause_reports_the_exact_span():
    data = completed_dict()
    data["what_helped"][0] = "Rollback; the Root Cause was found later"
    finding = check(Postmortem.model_validate(data), CheckContext(NOW))[0]
    assert finding.code == "G-ROOT-CAUSE"
    start, end = finding.span
    assert data["what_helped"][0][start:end] == "Root Cause"


def test_gates_cannot_be_waived():
    data = completed_dict()
    data["norms_read_at"] = None
    pm = Postmortem.model_validate(data)
    pm.waivers = [Waiver(code="G-NORMS", path="norms_read_at", reason="we forgot")]
    findings = check(pm, CheckContext(NOW))
    assert [(f.code, f.waived) for f in blocking(findings)] == [
        ("G-NORMS", False),
        ("A-WAIVER-GATE", False),
    ]


def test_gates_come_first_in_document_order():
    data = completed_dict()
    data["action_items"][3]["ticket"] = ""
    data["timeline"][0]["event"] = "Deploy finally completes"
    data["title"] = ""
    found = run(data)
    assert found == [
        ("G-REQUIRED", "title"),
        ("G-CHAIN-ACTION", "contributing_factors[1].actions"),
        ("G-ACTION-TICKET", "action_items[3].ticket"),
        ("A-TIMELINE-JUDGING", "timeline[0].event"),
    ]


NEAR_MISS = {
    "id": "NM-2026-0003",
    "title": "Canary abort caught a bad config push",
    "date_of_incident": "2026-01-10T09:00:00Z",
    "timeline": [
        {"time": "09:00", "event": "Config push to 5% canary", "source": "deploy log"},
        {"time": "09:02", "event": "Canary abort fires on error rate", "source": "canary"},
    ],
    "contributing_factors": [
        {
            "description": "Config schema allows an empty upstream list",
            "whys": [{"question": "Why was it accepted?", "answer": "No schema validation."}],
            "systemic_property": "missing-tool",
            "actions": ["A1"],
        }
    ],
    "what_helped": ["Canary abort on error rate"],
    "action_items": [
        {
            "description": "Validate upstream lists in the config schema",
            "owner": "alice",
            "due": "2026-02-01",
            "ticket": "CFG-7",
            "priority": "medium",
        }
    ],
}


def test_near_miss_needs_less():

    assert run(copy.deepcopy(NEAR_MISS)) == []


@pytest.mark.parametrize(
    ("path", "value", "code"),
    [
        ("title", "", "G-REQUIRED"),
        ("date_of_incident", None, "G-REQUIRED"),
        ("contributing_factors", [], "G-FACTORS-MIN"),
        ("what_helped", [], "G-HELPED-EMPTY"),
        ("timeline", [], "G-TIMELINE-EMPTY"),
    ],
)
def test_near_miss_still_needs(path, value, code):

    data = copy.deepcopy(NEAR_MISS)
    data[path] = value
    if path == "contributing_factors":
        data["action_items"] = []
    assert (code, path) in run(data)
