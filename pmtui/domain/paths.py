"""Provides document paths (``contributing_factors[1].whys[3].answer``): text walk and order.

Findings point into the document with these paths; :func:`text_fields` yields every text
field with its path, and :func:`path_order` sorts paths in document order (the models'
field order, then list positions), so the rules report findings top to bottom.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel

from pmtui.domain.models import (
    ActionItem,
    ContributingFactor,
    Deferral,
    Impact,
    Participant,
    Postmortem,
    TimelineEntry,
    Waiver,
    WhyStep,
)

_CHILD: dict[str, type[BaseModel]] = {
    "participants": Participant,
    "timeline": TimelineEntry,
    "impact": Impact,
    "contributing_factors": ContributingFactor,
    "whys": WhyStep,
    "deferral": Deferral,
    "action_items": ActionItem,
    "waivers": Waiver,
}
_PART = re.compile(r"([A-Za-z_]\w*)((?:\[\d+\])*)")


@lru_cache(maxsize=4096)
def path_order(path: str) -> tuple[int, ...]:
    """A sort key that puts ``path`` in document order; unknown names sort last."""
    key: list[int] = []
    model: type[BaseModel] | None = Postmortem
    for part in path.split("."):
        match = _PART.fullmatch(part)
        if match is None:
            key.append(10_000)
            break
        name, indexes = match.group(1), match.group(2)
        fields = list(model.model_fields) if model is not None else []
        key.append(fields.index(name) if name in fields else 10_000)
        key.extend(int(i) for i in re.findall(r"\d+", indexes))
        model = _CHILD.get(name)
    return tuple(key)


def text_fields(pm: Postmortem, *, timeline: bool = True) -> Iterator[tuple[str, str]]:
    """Every non-empty free-text field of ``pm`` with its path, in document order.

    ``timeline=False`` leaves out the timeline's entries (the rules check those one by one).
    """
    if pm.title:
        yield "title", pm.title
    if pm.facilitator:
        yield "facilitator", pm.facilitator
    for i, person in enumerate(pm.participants):
        if person.name:
            yield f"participants[{i}].name", person.name
        if person.role:
            yield f"participants[{i}].role", person.role
    for i, entry in enumerate(pm.timeline if timeline else ()):
        if entry.event:
            yield f"timeline[{i}].event", entry.event
        if entry.source:
            yield f"timeline[{i}].source", entry.source
        if entry.context:
            yield f"timeline[{i}].context", entry.context
    if pm.impact.error_rate_peak:
        yield "impact.error_rate_peak", pm.impact.error_rate_peak
    if pm.impact.affected_users_estimate:
        yield "impact.affected_users_estimate", pm.impact.affected_users_estimate
    for i, factor in enumerate(pm.contributing_factors):
        base = f"contributing_factors[{i}]"
        if factor.description:
            yield f"{base}.description", factor.description
        for j, why in enumerate(factor.whys):
            if why.question:
                yield f"{base}.whys[{j}].question", why.question
            if why.answer:
                yield f"{base}.whys[{j}].answer", why.answer
        if factor.deferral is not None:
            if factor.deferral.reason:
                yield f"{base}.deferral.reason", factor.deferral.reason
            if factor.deferral.decided_by:
                yield f"{base}.deferral.decided_by", factor.deferral.decided_by
    for name in ("what_helped", "what_hurt"):
        for i, fact in enumerate(getattr(pm, name)):
            if fact:
                yield f"{name}[{i}]", fact
    for i, item in enumerate(pm.action_items):
        if item.description:
            yield f"action_items[{i}].description", item.description
        if item.owner:
            yield f"action_items[{i}].owner", item.owner
        if item.ticket:
            yield f"action_items[{i}].ticket", item.ticket
    if pm.service:
        yield "service", pm.service
    if pm.team:
        yield "team", pm.team
    for i, slug in enumerate(pm.failure_classes):
        yield f"failure_classes[{i}]", slug
    for i, waiver in enumerate(pm.waivers):
        yield f"waivers[{i}].reason", waiver.reason


def text_values(pm: Postmortem, *, timeline: bool = True) -> Iterator[str]:
    """The texts of :func:`text_fields` without their paths: a cheap whole-document scan.

    Kept in step with :func:`text_fields` (a test compares the two); it exists because
    building every path costs more than the scan it serves.
    """
    yield pm.title
    yield pm.facilitator
    for person in pm.participants:
        yield person.name
        yield person.role
    for entry in pm.timeline if timeline else ():
        yield entry.event
        yield entry.source
        yield entry.context
    yield pm.impact.error_rate_peak
    yield pm.impact.affected_users_estimate
    for factor in pm.contributing_factors:
        yield factor.description
        for why in factor.whys:
            yield why.question
            yield why.answer
        if factor.deferral is not None:
            yield factor.deferral.reason
            yield factor.deferral.decided_by
    yield from pm.what_helped
    yield from pm.what_hurt
    for item in pm.action_items:
        yield item.description
        yield item.owner
        yield item.ticket
    yield pm.service
    yield pm.team
    yield from pm.failure_classes
    for waiver in pm.waivers:
        yield waiver.reason
