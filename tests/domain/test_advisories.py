"""Every advisory firing and staying silent, and waivers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmtui.domain.findings import CODES, blocking, render_findings
from pmtui.domain.models import Postmortem, Service, Waiver
from pmtui.domain.paths import text_fields
from pmtui.domain.rules import CheckContext, check
from tests.domain.article import NOW, completed_dict, inc_2025_0804, inc_2025_0804_dict

Doc = dict[str, Any]


def advisories(data: Doc, context: CheckContext | None = None) -> list[tuple[str, str]]:
    pm = Postmortem.model_validate(data)
    return [
        (f.code, f.path) for f in check(pm, context or CheckContext(NOW)) if f.level == "advisory"
    ]


def with_(**changes: Any) -> Doc:
    data = completed_dict()
    data.update(changes)
    return data


def timeline_event(index: int, event: str) -> Doc:
    data = completed_dict()
    data["timeline"][index]["event"] = event
    return data


def why_answer(factor: int, step: int, answer: str) -> Doc:
    data = completed_dict()
    data["contributing_factors"][factor]["whys"][step]["answer"] = answer
    return data


def action(index: int, description: str) -> Doc:
    data = completed_dict()
    data["action_items"][index]["description"] = description
    return data


def factor_description(index: int, description: str) -> Doc:
    data = completed_dict()
    data["contributing_factors"][index]["description"] = description
    return data


def owner(index: int, name: str) -> Doc:
    data = completed_dict()
    data["action_items"][index]["owner"] = name
    return data


def past_with_items_done() -> CheckContext:
    past = inc_2025_0804_dict()
    for item in past["action_items"]:
        item.update(status="done", completed_on="2025-08-30")
    return CheckContext(NOW, past=[Postmortem.model_validate(past)])


def involved_facilitator() -> Doc:
    data = completed_dict()
    data["participants"].append({"name": "platform-sre-lead", "directly_involved": True})
    return data


def participants(*names: str) -> Doc:
    return with_(participants=list(names))


def decision_point(context: str) -> Doc:
    data = completed_dict()
    data["timeline"][3].update(decision_point=True, context=context)
    return data


FIRING: list[tuple[str, str, Doc, CheckContext | None]] = [
    (
        "A-TIMELINE-JUDGING",
        "timeline[3].event",
        timeline_event(3, "Engineer finally realized the obvious"),
        None,
    ),
    (
        "A-TIMELINE-JUDGING",
        "timeline[3].event",
        timeline_event(3, "Engineer made a lucky guess"),
        None,
    ),
    (
        "A-TIMELINE-JUDGING",
        "timeline[2].event",
        timeline_event(2, "On-call forgot the runbook"),
        None,
    ),
    (
        "A-TIMELINE-JUDGING",
        "timeline[3].context",
        decision_point("Dashboard clearly showed it"),
        None,
    ),
    ("A-DECISION-CONTEXT", "timeline[3].context", decision_point(""), None),
    (
        "A-BLAME",
        "contributing_factors[0].whys[1].answer",
        why_answer(0, 1, "Human error in review"),
        None,
    ),
    (
        "A-BLAME",
        "contributing_factors[0].whys[1].answer",
        why_answer(0, 1, "Alice forgot to check"),
        None,
    ),
    (
        "A-BLAME",
        "contributing_factors[2].description",
        factor_description(2, "Operator error during canary rollout"),
        None,
    ),
    ("A-ACTION-VAGUE", "action_items[0].description", action(0, "improve CI coverage"), None),
    ("A-ACTION-VAGUE", "action_items[0].description", action(0, "Investigate"), None),
    ("A-ACTION-VAGUE", "action_items[0].description", action(0, "better alerts"), None),
    ("A-FACILITATOR-INVOLVED", "participants[3].directly_involved", involved_facilitator(), None),
    ("A-ATTENDEE-LEAD", "participants", participants("platform-sre", "product-owner"), None),
    ("A-ATTENDEE-PO", "participants", participants("platform-sre", "payments-team-lead"), None),
    ("A-MEETING-LATE", "date_of_postmortem", with_(date_of_postmortem="2026-01-18"), None),
    (
        "A-MEETING-LATE",
        "date_of_postmortem",
        with_(date_of_postmortem=None, date_published=None, status="draft"),
        None,
    ),
    (
        "A-PUBLISH-LATE",
        "date_published",
        with_(date_published="2026-01-21T15:00:00Z"),
        CheckContext(NOW + dt.timedelta(days=2)),
    ),
    (
        "A-PUBLISH-LATE",
        "date_published",
        with_(date_published=None),
        CheckContext(NOW + dt.timedelta(days=2)),
    ),
    (
        "A-RECURRENCE",
        "failure_classes[0]",
        with_(related_incidents=[]),
        CheckContext(NOW, past=[inc_2025_0804()]),
    ),
    (
        "A-WAIVER-GATE",
        "waivers[0].code",
        with_(waivers=[{"code": "G-ROOT-CAUSE", "reason": "x"}]),
        None,
    ),
]


@pytest.mark.parametrize(
    ("code", "path", "data", "context"), FIRING, ids=[f"{c}:{p}" for c, p, _, _ in FIRING]
)
def test_advisory_fires(code, path, data, context):
    pm = Postmortem.model_validate(data)
    found = [f for f in check(pm, context or CheckContext(NOW)) if f.level == "advisory"]
    hits = [f for f in found if (f.code, f.path) == (code, path)]
    assert hits, [(f.code, f.path) for f in found]
    assert all(f.message and not f.waived for f in hits)


@pytest.mark.parametrize(
    ("description", "phrase"),
    [("improve CI coverage", "improve"), ("Add more monitoring to it", "more monitoring")],
)
def test_a_vague_action_points_at_its_phrase(description, phrase):
    pm = Postmortem.model_validate(action(1, description))
    (vague,) = [f for f in check(pm, CheckContext(NOW)) if f.code == "A-ACTION-VAGUE"]
    start, end = vague.span
    assert description[start:end] == phrase
    assert vague.to_dict()["span"] == [start, end]
    assert f'"{phrase}"' in render_findings([vague], dict(text_fields(pm)))


def test_every_advisory_code_has_a_firing_case():
    codes = {code for code, (level, _) in CODES.items() if level == "advisory"}
    assert codes == {code for code, _, _, _ in FIRING}


NOT_FIRING: list[tuple[str, Doc, CheckContext | None]] = [
    (
        "just-in-time compiler",
        timeline_event(0, "Deploy of the just-in-time compiler completes"),
        None,
    ),
    ("Justin", timeline_event(2, "Justin paged; starts investigation"), None),
    ("rollback finished", timeline_event(4, "the rollback finished at 14:55"), None),
    ("quoted log line", timeline_event(1, 'Log shows "ERROR: job failed to start"'), None),
    ("backticked log line", timeline_event(1, "Log shows `failed to connect`"), None),
    ("owner Justin", owner(0, "Justin"), None),
    ("system-level why", why_answer(0, 1, "Code review did not catch it."), None),
    ("decision point with context", decision_point("Only the pool dashboard was red"), None),
    (
        "uninvolved facilitator listed",
        participants("payments-team-lead", "product-owner", "platform-sre-lead"),
        None,
    ),
    (
        "roles name the lead and PO",
        with_(participants=[{"name": "dana", "role": "Team Lead"}, {"name": "eli", "role": "PO"}]),
        None,
    ),
    ("lead of the service's team", with_(participants=["payments-lead", "product-manager"]), None),
    ("SEV-3 needs no lead or PO", with_(severity="SEV-3", participants=["platform-sre"]), None),
    ("meeting on the deadline day", with_(date_of_postmortem="2026-01-17"), None),
    (
        "SEV-2 published on the 5th business day",
        with_(date_published="2026-01-21T14:00:00Z"),
        CheckContext(NOW + dt.timedelta(days=5)),
    ),
    ("unpublished before the deadline", with_(date_published=None), None),
    ("past incident with its items done", with_(related_incidents=[]), past_with_items_done()),
    ("waiver of an advisory", with_(waivers=[{"code": "A-ACTION-VAGUE", "reason": "x"}]), None),
]


@pytest.mark.parametrize(("name", "data", "context"), NOT_FIRING, ids=[n for n, _, _ in NOT_FIRING])
def test_advisory_stays_silent(name, data, context):
    assert advisories(data, context) == []


def test_blame_of_a_participant_by_name():
    data = why_answer(0, 1, "Dana ignored the pool alert")
    data["participants"].append({"name": "Dana Reyes", "role": "on-call"})
    found = [f for f in check(Postmortem.model_validate(data), CheckContext(NOW))]
    (blame,) = [f for f in found if f.code == "A-BLAME"]
    assert (blame.path, blame.span) == ("contributing_factors[0].whys[1].answer", (0, 12))
    # The same words about someone who is not in the room are not read as blame.
    assert advisories(why_answer(0, 1, "Dana ignored the pool alert")) == []


def test_judging_finding_carries_the_span():
    data = timeline_event(3, "Engineer finally realized the obvious")
    finding = check(Postmortem.model_validate(data), CheckContext(NOW))[0]
    assert finding.span == (9, 16)
    assert data["timeline"][3]["event"][9:16] == "finally"


def test_recurrence_ignores_later_incidents_and_items_still_in_flight():
    pm = Postmortem.model_validate(with_(related_incidents=[]))
    later = inc_2025_0804_dict() | {
        "id": "INC-2026-0300",
        "date_of_incident": "2026-03-01T00:00:00Z",
    }
    in_flight = inc_2025_0804_dict() | {"id": "INC-2026-0101"}
    in_flight["action_items"][0].update(owner="sam", due="2026-02-01")
    past = [Postmortem.model_validate(later), Postmortem.model_validate(in_flight)]
    assert advisories(with_(related_incidents=[]), CheckContext(NOW, past=past)) == []
    assert pm.related_incidents == []


def test_linking_a_past_incident_does_not_hide_its_unfinished_items():
    # Linking INC-2025-0804 records the relation; its undone item still needs a decision.
    pm = with_(related_incidents=["INC-2025-0804"])
    found = advisories(pm, CheckContext(NOW, past=[inc_2025_0804()]))
    assert found == [("A-RECURRENCE", "failure_classes[0]")]


def test_a_recurrence_carried_into_an_item_is_waived_not_blocking():
    waiver = {"code": "A-RECURRENCE", "reason": "carried into A1 (PLAT-892)"}
    pm = Postmortem.model_validate(with_(waivers=[waiver]))
    findings = check(pm, CheckContext(NOW, past=[inc_2025_0804()]))
    recurrence = [f for f in findings if f.code == "A-RECURRENCE"]
    assert len(recurrence) == 1 and recurrence[0].waived
    assert blocking(findings) == []


def test_lead_matches_the_service_team_from_context():
    data = with_(team="", service="", participants=["checkout-lead", "product-owner"])
    context = CheckContext(NOW, service=Service(name="payments", team="checkout"))
    assert advisories(data, context) == []
    assert advisories(data) == [("A-ATTENDEE-LEAD", "participants")]


# Waivers.


def vague() -> Postmortem:
    return Postmortem.model_validate(action(0, "improve CI coverage"))


@pytest.mark.parametrize("path", ["action_items[0].description", ""])
def test_waived_advisory_does_not_block(path):
    pm = vague()
    pm.waivers = [Waiver(code="A-ACTION-VAGUE", path=path, reason="target is in PLAT-892")]
    findings = check(pm, CheckContext(NOW))
    assert [(f.code, f.waived) for f in findings] == [("A-ACTION-VAGUE", True)]
    assert findings[0].waiver.reason == "target is in PLAT-892"
    assert blocking(findings) == []
    assert findings[0].to_dict()["waived"]["reason"] == "target is in PLAT-892"


@pytest.mark.parametrize(
    ("code", "path"),
    [("A-ACTION-VAGUE", "action_items[1].description"), ("A-BLAME", "")],
)
def test_waiver_for_something_else_does_not_apply(code, path):
    pm = vague()
    pm.waivers = [Waiver(code=code, path=path, reason="r")]
    assert [f.code for f in blocking(check(pm, CheckContext(NOW)))] == ["A-ACTION-VAGUE"]


def test_waiver_needs_a_reason():
    with pytest.raises(ValueError):
        Waiver(code="A-ACTION-VAGUE", reason="  ")
