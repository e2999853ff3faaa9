"""Text-level checks: what they must find, with exact spans, and what they must not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmtui.domain.lint import (
    blame_spans,
    judging_spans,
    mask_quoted,
    owner_problem,
    root_cause_spans,
    vague_action,
    vague_span,
)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("14:53 — on-call engineer finally realized the obvious", "finally"),
        ("Obviously the deploy was at fault", "Obviously"),
        ("On-call just restarted the pod", "just"),
        ("Rollback simply fixed it", "simply"),
        ("Dashboard clearly showed the spike", "clearly"),
        ("Unfortunately the page went to voicemail", "Unfortunately"),
        ("Luckily the canary aborted", "Luckily"),
        ("engineer made a lucky guess", "lucky guess"),
        ("The reviewer should have noticed", "should have"),
        ("The reviewer should   have noticed", "should   have"),
        ("Alert failed to fire", "failed to"),
        ("On-call forgot the runbook", "forgot"),
        ("A careless deploy", "careless"),
        ("Human error during failover", "Human error"),
        ("FINALLY the alert fired", "FINALLY"),
    ],
)
def test_judging_words_are_found_with_their_span(text, phrase):
    spans = judging_spans(text)
    assert [text[s.start : s.end] for s in spans] == [phrase]
    assert spans[0].phrase == phrase
    assert spans[0].suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Deploy of the just-in-time compiler completes",
        "Justin restarts the pod",
        "the rollback finished at 14:55",
        'Log line "ERROR: job failed to start" appears',
        "Worker logs `failed to connect` every second",
        "Pager says “finally reachable” in its subject",
        "The runbook's step 'just retry' was followed",
        "Simplify the query plan; the adjustment completes",
        "14:53 deploy identified as likely cause",
        "",
    ],
)
def test_judging_words_stay_silent_on(text):
    assert judging_spans(text) == []


def test_judging_reports_every_match_in_order():
    text = "It finally worked; it obviously should have"
    assert [(s.start, s.end) for s in judging_spans(text)] == [(3, 10), (22, 31), (32, 43)]


def test_masking_keeps_offsets_and_apostrophes():
    text = "didn't see \"failed to\" in team's log"
    masked = mask_quoted(text)
    assert len(masked) == len(text)
    assert "failed" not in masked
    assert "didn't" in masked and "team's" in masked


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Human error", "Human error"),
        ("Engineer error during the deploy", "Engineer error"),
        ("The engineer forgot to run the migration", "engineer forgot to"),
        ("Alice forgot the feature flag", "Alice forgot"),
        ("@bob screwed up the config", "@bob screwed up"),
        ("The on-call engineer missed the page", "engineer missed"),
        ("It was Bob's mistake", "Bob's mistake"),
        ("The reviewer overlooked the N+1 pattern", "reviewer overlooked"),
        ("Carelessness in review", "Carelessness"),
    ],
)
def test_blame_is_found(text, phrase):
    assert [text[s.start : s.end] for s in blame_spans(text)] == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "Code review did not catch it. No automated query analysis exists in CI.",
        "Monitoring missed the spike because of a 10-minute average",
        "Justin restarted the pod from the runbook",
        'The action item read "engineer forgot" with no owner',
        "Jenkins failed to start the job",
        "The alert threshold was set at 85%",
        "stayed under the canary's error threshold for 6 minutes",
        "the service's error rate doubled",
    ],
)
def test_blame_stays_silent_on(text):
    assert blame_spans(text) == []


PEOPLE = ["Bob", "Alice Smith", "payments-oncall", "Justin", "Payments Lead", "ana"]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Bob ignored the alert", "Bob ignored"),
        ("Alice failed to check the dashboard", "Alice failed to"),
        ("Bob missed the alert", "Bob missed"),
        ("Alice Smith missed the page", "Alice Smith missed"),
        ("because bob skipped the canary step", "bob skipped"),
        ("Alice did not run the migration", "Alice did not"),
        ("Alice didn't check the flag", "Alice didn't check"),
        ("Ana overlooked the warning", "Ana overlooked"),
        ("payments-oncall dismissed the page", "payments-oncall dismissed"),
        ("Justin missed the page", "Justin missed"),
        ("Payments Lead failed to approve it", "Payments Lead failed to"),
        ("@carol ignored the page", "@carol ignored"),
        ("then @dave.k did not roll back", "@dave.k did not"),
    ],
)
def test_a_participant_or_handle_with_a_common_verb_is_blame(text, phrase):
    assert [text[s.start : s.end] for s in blame_spans(text, PEOPLE)] == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        # Not a participant: a capitalised word is often a system.
        "Payments failed to respond within 2 s",
        "Jenkins failed to start the job",
        "Carol missed the page",
        "Bobby missed nothing: the alert never fired",
        # A participant, but no blaming verb, or a verb the system owns.
        "Justin restarted the pod from the runbook",
        "Ana did not get paged: the rotation was empty",
        "Bob did not have access to the dashboard",
        "Alice received the page at 14:40",
        # The existing must-not cases, participants or not.
        "Deploy of the just-in-time compiler completes",
        "the rollback finished at 14:55",
        'Bob pasted the log line "job failed to start"',
        "Bob's log showed `alice missed heartbeat`",
        "Monitoring missed the spike because of a 10-minute average",
    ],
)
def test_named_blame_stays_silent_on(text):
    assert blame_spans(text, PEOPLE) == []


@pytest.mark.parametrize(
    "text", ["Bob ignored the alert", "Alice failed to check", "Bob missed the alert"]
)
def test_a_name_that_is_no_participant_needs_a_strong_verb(text):
    assert blame_spans(text) == []
    assert blame_spans(text, ["Carol"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "improve CI coverage",
        "Improve monitoring",
        "investigate",
        "Look into connection pool sizing",
        "better alerts",
        "Add more monitoring",
        "Be more careful with deploys",
        "Remind engineers to check the dashboard at 5 pm",
    ],
)
def test_vague_actions(text):
    assert vague_action(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("improve CI coverage", "improve"),
        ("  Improve monitoring", "Improve"),
        ("Add more monitoring", "more monitoring"),
        ("We will look   into connection pool sizing", "look   into"),
        ("Investigate the 'slow' queries", "Investigate"),
        ("Deploys: be more careful", "be more careful"),
        ("Improve CI to 80%, and remind reviewers", "remind"),
    ],
)
def test_a_vague_action_has_the_span_of_its_phrase(text, phrase):
    span = vague_span(text)
    assert (span.start, span.end) == (text.index(phrase), text.index(phrase) + len(phrase))
    assert span.phrase == phrase
    assert vague_action(text) == f'"{phrase}": {span.suggestion}'


@pytest.mark.parametrize(
    "text",
    [
        "Add sqlfluff + query-count middleware to CI pipeline",
        "Lower DB connection pool alert threshold from 85% to 70%",
        "Raise canary percentage for payments service from 5% to 20%",
        "Seed pre-prod DB with production-scale anonymised dataset",
        "Improve query coverage in CI to 80% of payment endpoints",
        "Investigate `pool_timeout` and set it from 30 s to 5 s",
        "",
    ],
)
def test_concrete_actions(text):
    assert vague_action(text) is None


@pytest.mark.parametrize(
    "owner",
    [
        "",
        "   ",
        "team",
        "The team",
        "we",
        "We",
        "everyone",
        "TBD",
        "tbd",
        "?",
        "payments-team",
        "payments team",
        "alice and bob",
        "alice, bob",
        "alice/bob",
        "alice & bob",
        "@a @b",
        "alice or bob",
        # Placeholders, whatever the case and punctuation around them.
        "TBD.",
        "(TBD)",
        "t.b.d.",
        "N/A",
        "n.a.",
        "???",
        "—",
        "no-one",
        "Unassigned!",
        "and",
        # A placeholder or a group word anywhere in the owner.
        "tbd (alice)",
        "alice (TBD)",
        "alice - tbd",
        "someone from payments",
        "we will",
        "The Team (Ana)",
        "Ana (payments team)",
        "Ana's squad",
        "engineering",
        "Everyone!",
        "@payments-team",
    ],
)
def test_owner_is_not_exactly_one_person(owner):
    assert owner_problem(owner)


@pytest.mark.parametrize(
    ("owner", "says"),
    [
        ("TBD.", '"TBD." is a placeholder: name the one person'),
        ("tbd (alice)", '"tbd (alice)" is a placeholder ("tbd"): name the one person'),
        ("payments-team", '"payments-team" is a group, and a group owns nothing'),
        ("we will", '"we will" names a group ("we"), and a group owns nothing: keep only'),
        ("alice and bob", '"alice and bob" names more than one owner'),
    ],
)
def test_owner_problem_says_what_is_wrong(owner, says):
    assert owner_problem(owner).startswith(says)


@pytest.mark.parametrize(
    "owner",
    [
        "Justin",
        "alice",
        "@alice",
        "Alice Smith",
        "payments-team-lead",
        "platform-sre",
        "on-call-lead",
        "data-platform",
        "Teamwork Tina",
        # A group word followed by a role is one person's role.
        "Team Lead Ana",
        "Teams Lead Ana",
        "the team lead",
        "engineering manager",
        "@payments-squad-lead",
        # Names that only contain a placeholder or group word's letters.
        "Wes",
        "Usman",
        "Tony Nobodi",
        "O'Brien",
        "Na Li",
        "Alice Smith.",
        "product owner",
    ],
)
def test_owner_is_one_person(owner):
    assert owner_problem(owner) is None


_OWNER_PARTS = ["alice", "Bob", "@carol", "team", "lead", "tbd", "we", "and", "-", ",", "x"]


@given(st.lists(st.sampled_from(_OWNER_PARTS), min_size=1, max_size=4).map(" ".join))
def test_owner_problem_ignores_case_and_the_punctuation_around_it(owner):
    for variant in (owner.upper(), owner.lower(), f"{owner}.", f"({owner})", f"  {owner}!  "):
        assert (owner_problem(variant) is None) == (owner_problem(owner) is None), variant


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The root cause was a bad deploy", "root cause"),
        ("ROOT CAUSE", "ROOT CAUSE"),
        ("Root-Cause analysis", "Root-Cause"),
        ("rootcause", "rootcause"),
        ("two root causes", "root causes"),
        ('quoted: "root cause" still counts', "root cause"),
    ],
)
def test_root_cause_is_found_anywhere(text, phrase):
    spans = root_cause_spans(text)
    assert [text[s.start : s.end] for s in spans] == [phrase]


@pytest.mark.parametrize("text", ["contributing factors", "rooted in causes", "uprooted"])
def test_root_cause_not_found(text):
    assert root_cause_spans(text) == []
