"""Properties: the rules never raise on any valid document, and their output is well formed."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmtui.domain import lint
from pmtui.domain.budget import service_budget
from pmtui.domain.findings import CODES, blocking, findings_to_dict, render_findings
from pmtui.domain.lint import (
    blame_spans,
    could_blame,
    could_judge,
    judging_spans,
    owner_problem,
    vague_action,
    vague_span,
)
from pmtui.domain.metrics import practice_metrics, render_metrics
from pmtui.domain.models import Service
from pmtui.domain.paths import text_fields, text_values
from pmtui.domain.rules import CheckContext, check
from pmtui.domain.severity import add_business_days, deadline_state
from pmtui.domain.vocabulary import BLAME_PHRASES, JUDGING, NAMED_BLAME_VERBS, PERSON_WORDS
from tests.strategies import postmortems, text, utc_datetimes

SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(postmortems(), st.lists(postmortems(max_items=2), max_size=2), utc_datetimes)
def test_check_never_raises_and_is_well_formed(pm, past, now):
    findings = check(pm, CheckContext(now, past=past, service=Service(name=pm.service or "x")))
    levels = [f.level for f in findings]
    assert levels == sorted(levels, key=lambda level: level != "gate")  # gates first
    texts = dict(text_fields(pm))
    for finding in findings:
        assert CODES[finding.code][0] == finding.level
        assert finding.message and finding.path
        if finding.span is not None:
            start, end = finding.span
            assert 0 <= start < end <= len(texts[finding.path])
        assert finding.level == "advisory" or not finding.waived
    assert (blocking(findings) == []) == findings_to_dict(findings)["can_complete"]
    render_findings(findings, texts, pm.id)
    deadline_state(pm, now)


@SLOW
@given(st.lists(postmortems(max_items=2), max_size=4), utc_datetimes, st.none() | text)
def test_budget_and_metrics_never_raise(docs, now, team):
    for pm in docs:
        service_budget(Service(name=pm.service or "x"), docs, now)
    render_metrics(practice_metrics(docs, now, team=team, since=now.date() - dt.timedelta(days=90)))


@settings(max_examples=300, deadline=None)
@given(text)
def test_text_checks_return_exact_spans(value):
    for span in [*judging_spans(value), *blame_spans(value), *blame_spans(value, ["Bob"])]:
        assert value[span.start : span.end] == span.phrase
    owner_problem(value)
    vague = vague_span(value)
    if vague is not None:
        assert value[vague.start : vague.end] == vague.phrase
    assert vague_action(value) == (f'"{vague.phrase}": {vague.suggestion}' if vague else None)


@given(utc_datetimes, st.integers(0, 30))
def test_business_days_land_on_weekdays(start, days):
    end = add_business_days(start, days)
    assert end >= start
    if days:
        assert end.weekday() < 5
        calendar = (end.date() - start.date()).days
        assert days <= calendar <= days + days // 5 * 2 + 3


@SLOW
@given(postmortems())
def test_text_values_walk_the_same_fields_as_text_fields(pm):
    assert [t for t in text_values(pm) if t] == [t for _, t in text_fields(pm)]
    outside = [(p, t) for p, t in text_fields(pm) if not p.startswith("timeline[")]
    assert list(text_fields(pm, timeline=False)) == outside
    assert [t for t in text_values(pm, timeline=False) if t] == [t for _, t in outside]


_VOCABULARY = sorted(
    {p.text for p in (*JUDGING, *BLAME_PHRASES)}
    | set(NAMED_BLAME_VERBS)
    | set(PERSON_WORDS)
    | {"Alice", "@bob", "Bob", "Jones", "Bob's", "just-in-time", "Justin", "error", "the", "'s"}
)
vocabulary_text = st.lists(
    st.one_of(
        st.sampled_from(_VOCABULARY), st.sampled_from([" ", "  ", "\n", "-", "'", '"', ", "])
    ),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(vocabulary_text)
def test_prefilter_never_hides_a_match(value):
    people = ["Alice", "Bob Jones"]
    filtered = (
        judging_spans(value),
        blame_spans(value, people),
        could_judge(value),
        could_blame(value),
    )
    with patch.object(lint._Prefilter, "may_match", lambda self, tokens: True):
        unfiltered = (judging_spans(value), blame_spans(value, people))
    assert filtered[:2] == unfiltered
    assert filtered[2] or not unfiltered[0]
    assert filtered[3] or not unfiltered[1]
