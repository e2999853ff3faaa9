"""Waivers name exactly what they cover, and follow their item when a list changes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmtui.domain.findings import blocking, moved_path, retarget_paths, retarget_waivers
from pmtui.domain.models import Postmortem, Waiver
from pmtui.domain.rules import CheckContext, check
from tests.domain.article import NOW, completed_dict, inc_2025_0804_dict


def past(ident: str, *undone: str, classes: tuple[str, ...] = ("n+1-query",)) -> Postmortem:
    """An earlier postmortem with one undone action item per description in ``undone``."""
    data = inc_2025_0804_dict()
    data["id"] = ident
    data["failure_classes"] = list(classes)
    data["contributing_factors"] = []
    data["action_items"] = [
        {"description": what, "id": f"A{i + 1}"} for i, what in enumerate(undone)
    ]
    return Postmortem.model_validate(data)


def document(waivers: list[dict[str, Any]] | None = None, **changes: Any) -> Postmortem:
    data = completed_dict() | changes
    data["waivers"] = waivers or []
    return Postmortem.model_validate(data)


def recurrences(pm: Postmortem, *others: Postmortem) -> list[tuple[str, bool]]:
    found = check(pm, CheckContext(NOW, past=list(others)))
    return [(f.subject, f.waived) for f in found if f.code == "A-RECURRENCE"]


TWO_PAST = (past("INC-2025-0804", "improve CI coverage"), past("INC-2025-0901", "add a lint"))


def test_two_recurrences_on_one_path_have_their_own_keys():
    found = check(document(), CheckContext(NOW, past=list(TWO_PAST)))
    keys = [f.key for f in found if f.code == "A-RECURRENCE"]
    assert keys == [
        "A-RECURRENCE@failure_classes[0]#INC-2025-0804/A1",
        "A-RECURRENCE@failure_classes[0]#INC-2025-0901/A1",
    ]
    assert {f.to_dict()["subject"] for f in found if f.code == "A-RECURRENCE"} == {
        "INC-2025-0804/A1",
        "INC-2025-0901/A1",
    }


def test_waiving_one_recurrence_leaves_the_other():
    waiver = {"code": "A-RECURRENCE", "path": "failure_classes[0]#INC-2025-0804/A1", "reason": "A1"}
    assert recurrences(document([waiver]), *TWO_PAST) == [
        ("INC-2025-0804/A1", True),
        ("INC-2025-0901/A1", False),
    ]


def test_two_undone_items_of_one_past_postmortem_are_two_findings():
    other = past("INC-2025-0804", "improve CI coverage", "better alerts")
    waiver = {"code": "A-RECURRENCE", "path": "failure_classes[0]#INC-2025-0804/A2", "reason": "A3"}
    assert recurrences(document([waiver]), other) == [
        ("INC-2025-0804/A1", False),
        ("INC-2025-0804/A2", True),
    ]


@pytest.mark.parametrize("path", ["failure_classes[0]", ""])
def test_a_waiver_without_a_subject_keeps_covering_what_it_covered(path):
    # Waivers stored before subjects existed (the sample's INC-2026-0114 among them).
    waiver = {"code": "A-RECURRENCE", "path": path, "reason": "carried into A1"}
    assert recurrences(document([waiver]), *TWO_PAST) == [
        ("INC-2025-0804/A1", True),
        ("INC-2025-0901/A1", True),
    ]


def test_a_waiver_for_another_subject_or_path_covers_nothing():
    waivers = [
        {"code": "A-RECURRENCE", "path": "failure_classes[0]#INC-2024-0001/A1", "reason": "r"},
        {"code": "A-RECURRENCE", "path": "failure_classes[1]#INC-2025-0804/A1", "reason": "r"},
    ]
    assert recurrences(document(waivers), *TWO_PAST) == [
        ("INC-2025-0804/A1", False),
        ("INC-2025-0901/A1", False),
    ]


def test_a_recurrence_keeps_its_path_when_a_class_is_added():
    other = past("INC-2025-0804", "improve CI coverage", classes=("db-lock", "n+1-query"))
    before = check(document(), CheckContext(NOW, past=[other]))
    after = check(
        document(failure_classes=[*completed_dict()["failure_classes"], "db-lock"]),
        CheckContext(NOW, past=[other]),
    )
    assert [f.key for f in before if f.code == "A-RECURRENCE"] == [
        "A-RECURRENCE@failure_classes[0]#INC-2025-0804/A1"
    ]
    assert [f.key for f in after if f.code == "A-RECURRENCE"] == [
        f.key for f in before if f.code == "A-RECURRENCE"
    ]


def test_a_judging_waiver_names_its_word():
    data = completed_dict()
    data["timeline"][3]["event"] = "Engineer finally saw the obviously wrong graph"
    data["waivers"] = [
        {"code": "A-TIMELINE-JUDGING", "path": "timeline[3].event#finally", "reason": "quoted"}
    ]
    found = check(Postmortem.model_validate(data), CheckContext(NOW))
    judged = [(f.subject, f.waived) for f in found if f.code == "A-TIMELINE-JUDGING"]
    assert judged == [("finally", True), ("obviously", False)]
    assert [f.code for f in blocking(found)] == ["A-TIMELINE-JUDGING"]


def test_a_finding_names_its_own_waiver_path():
    found = check(document(), CheckContext(NOW, past=list(TWO_PAST)))
    for finding in found:
        if finding.level == "advisory":
            waiver = Waiver(code=finding.code, path=finding.waiver_path, reason="r")
            rechecked = check(
                document([waiver.model_dump()]), CheckContext(NOW, past=list(TWO_PAST))
            )
            assert [f.key for f in rechecked if f.waived] == [finding.key]


# Lists that change under their waivers.


@pytest.mark.parametrize(
    ("path", "prefix", "moved", "added", "expected"),
    [
        (
            "action_items[2].description",
            "action_items",
            [0, None, 1],
            -1,
            "action_items[1].description",
        ),
        ("action_items[1].owner", "action_items", [0, None, 1], -1, None),
        ("action_items[0]", "action_items", [1, 0], 0, "action_items[1]"),
        ("action_items[7]", "action_items", [0, None, 1], -1, "action_items[6]"),  # stays beyond
        ("action_items[1]", "action_items", [0, 2], 1, "action_items[2]"),  # inserted at 1
        ("action_items", "action_items", [None], -1, "action_items"),
        ("action_items_extra[0]", "action_items", [None], -1, "action_items_extra[0]"),
        ("timeline[0].event", "action_items", [None], -1, "timeline[0].event"),
        ("", "action_items", [None], -1, ""),
        (
            "contributing_factors[1].whys[2].answer",
            "contributing_factors",
            [1, 0],
            0,
            "contributing_factors[0].whys[2].answer",
        ),
        (
            "contributing_factors[1].whys[2].answer",
            "contributing_factors[1].whys",
            [0, 1, None],
            -1,
            None,
        ),
        (
            "contributing_factors[0].whys[2].answer",
            "contributing_factors[1].whys",
            [0, 1, None],
            -1,
            "contributing_factors[0].whys[2].answer",
        ),
        (
            "failure_classes[1]#INC-1/A2",
            "failure_classes",
            [None, 0],
            -1,
            "failure_classes[0]#INC-1/A2",
        ),
    ],
)
def test_moved_path(path, prefix, moved, added, expected):
    assert moved_path(path, prefix, moved, added) == expected


def test_a_dropped_waiver_takes_the_waivers_of_it_along():
    paths = ["action_items[1].description", "waivers[0].code", "waivers[2].code", "action_items[0]"]
    assert retarget_paths(paths, "action_items", [0, None], -1) == [
        None,
        None,
        "waivers[0].code",
        "action_items[0]",
    ]


# A model of a document's list: items are labels, a waiver points at a label's position.
# After any insert, move or delete, every waiver still points at its own label, and a
# deleted label's waivers are gone.
operations = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 6)),
    st.tuples(st.just("delete"), st.integers(0, 6)),
    st.tuples(st.just("move"), st.integers(0, 6), st.integers(0, 6)),
)


def apply(items: list[str], operation: tuple, step: int) -> tuple[list[str], list[int | None]]:
    """The list after ``operation`` and, for each old position, the new one (or None)."""
    after = list(items)
    if operation[0] == "insert":
        after.insert(min(operation[1], len(after)), f"new{step}")
    elif operation[0] == "delete" and items:
        after.pop(operation[1] % len(items))
    elif operation[0] == "move" and items:
        label = after.pop(operation[1] % len(items))
        after.insert(min(operation[2], len(after)), label)
    return after, [after.index(label) if label in after else None for label in items]


@given(
    st.integers(0, 5),
    st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["", ".owner", "#x/A1"])), max_size=6),
    st.lists(operations, max_size=5),
)
def test_waivers_follow_their_items_through_any_edits(count, targets, edits):
    items = [f"item{i}" for i in range(count)]
    waivers = [
        Waiver(code="A-X", path=f"action_items[{i}]{rest}", reason="r") for i, rest in targets
    ]
    # What each waiver covers: a label, or nothing (beyond the end of the list).
    covered = [(items[i] if i < len(items) else None, rest) for i, rest in targets]
    for step, edit in enumerate(edits):
        after, moved = apply(items, edit, step)
        waivers = retarget_waivers(waivers, "action_items", moved, len(after) - len(items))
        covered = [(label, rest) for label, rest in covered if label is None or label in after]
        items = after
    assert len(waivers) == len(covered)
    for waiver, (label, rest) in zip(waivers, covered, strict=True):
        assert waiver.path.endswith(rest) or not rest
        index = int(waiver.path.split("[", 1)[1].split("]", 1)[0])
        if label is None:
            assert index >= len(items)  # pointing at nothing, never at a new item
        else:
            assert items[index] == label
