"""Provides the central gate: every why-chain ends in an owned, dated change or a deferral.

A contributing factor passes when it has at least one why step, every step answered, a
``systemic_property`` where the chain stops, and links at least one *ready* action item
(exactly one owner, a real due date, a ticket, a priority) or carries a complete deferral
(reason, one person who decided, a review date not before the incident).

A due date is "real" when it is on or after the incident's day and at most
:data:`DUE_HORIZON` after it: a 2099 placeholder is a decision not to fix, and the honest
form of that is a deferral.
"""

from __future__ import annotations

import datetime as dt

from pmtui.domain.findings import Finding, gate
from pmtui.domain.lint import owner_problem
from pmtui.domain.models import ActionItem, ContributingFactor, Postmortem

DUE_HORIZON = dt.timedelta(days=3 * 365)


def action_item_gates(item: ActionItem, index: int, incident_day: dt.date | None) -> list[Finding]:
    """What keeps one action item from being an owned, dated, tracked change."""
    base = f"action_items[{index}]"
    found = []
    if not item.description.strip():
        found.append(
            gate("G-ACTION-DESCRIPTION", f"{base}.description", "describe the change to be made")
        )
    problem = owner_problem(item.owner)
    if problem is not None:
        found.append(gate("G-OWNER-ONE", f"{base}.owner", problem))
    if item.due is None:
        found.append(
            gate(
                "G-ACTION-DUE",
                f"{base}.due",
                "set a due date before the meeting ends (no agreed date means it is not "
                "prioritized)",
            )
        )
    elif incident_day is not None and item.due < incident_day:
        found.append(
            gate(
                "G-ACTION-DUE",
                f"{base}.due",
                f"due {item.due.isoformat()} is before the incident ({incident_day.isoformat()}):"
                " set a real due date",
            )
        )
    elif incident_day is not None and item.due > incident_day + DUE_HORIZON:
        found.append(
            gate(
                "G-ACTION-DUE",
                f"{base}.due",
                f"due {item.due.isoformat()} is more than three years away: set a real date, or "
                "record a deferral on the factor if this will not be done",
            )
        )
    if not item.ticket.strip():
        found.append(
            gate(
                "G-ACTION-TICKET",
                f"{base}.ticket",
                "file it in the issue tracker and record the ticket (PLAT-892)",
            )
        )
    if item.priority is None:
        found.append(
            gate(
                "G-ACTION-PRIORITY",
                f"{base}.priority",
                "set a priority: critical, high, medium or low",
            )
        )
    return found


def _deferral(factor: ContributingFactor, base: str, day: dt.date | None) -> list[Finding]:
    deferral = factor.deferral
    if deferral is None:
        return []
    found = []
    if not deferral.reason.strip():
        found.append(
            gate(
                "G-DEFERRAL-FIELD",
                f"{base}.deferral.reason",
                "say why you are choosing not to fix this",
            )
        )
    problem = owner_problem(deferral.decided_by)
    if problem is not None:
        problem = problem.replace("make this change", "decided this")
        found.append(gate("G-DEFERRAL-FIELD", f"{base}.deferral.decided_by", problem))
    if deferral.review_date is None:
        found.append(
            gate(
                "G-DEFERRAL-FIELD",
                f"{base}.deferral.review_date",
                "set the date on which this decision will be reviewed",
            )
        )
    elif day is not None and deferral.review_date < day:
        found.append(
            gate(
                "G-DEFERRAL-FIELD",
                f"{base}.deferral.review_date",
                f"review date {deferral.review_date.isoformat()} is before the incident: set a "
                "future review date",
            )
        )
    return found


def factor_gates(pm: Postmortem, lightweight: bool, ready: set[str]) -> list[Finding]:
    minimum = 1 if lightweight else 2
    found = []
    count = len(pm.contributing_factors)
    if count < minimum:
        need = "one contributing factor" if minimum == 1 else "two contributing factors"
        found.append(
            gate(
                "G-FACTORS-MIN",
                "contributing_factors",
                f"{count} recorded, at least {need} needed: keep asking what else made this "
                "possible",
            )
        )
    day = pm.incident_day
    for i, factor in enumerate(pm.contributing_factors):
        base = f"contributing_factors[{i}]"
        if not factor.description.strip():
            found.append(
                gate("G-FACTOR-EMPTY", f"{base}.description", "describe the contributing factor")
            )
        if not factor.whys:
            found.append(
                gate(
                    "G-CHAIN-WHYS",
                    f"{base}.whys",
                    'ask "why?" about this factor and record the answer; keep asking until you '
                    "reach a system property",
                )
            )
        for j, why in enumerate(factor.whys):
            if not why.answer.strip():
                found.append(
                    gate(
                        "G-WHY-ANSWER",
                        f"{base}.whys[{j}].answer",
                        "answer this why, or remove the step",
                    )
                )
        if factor.systemic_property is None:
            found.append(
                gate(
                    "G-CHAIN-OPEN",
                    f"{base}.systemic_property",
                    "the chain stops before a system property: keep asking why until you reach "
                    "a missing tool, a wrong threshold, a process gap, capacity, design or a "
                    "dependency, and record it",
                )
            )
        found.extend(_deferral(factor, base, day))
        if factor.deferral is None and not any(ref in ready for ref in factor.actions):
            if factor.actions:
                message = (
                    f"no linked action item is ready yet ({', '.join(factor.actions)}): give one "
                    "an owner, a due date, a ticket and a priority"
                )
            else:
                message = (
                    "link the action item that changes this factor's system property, or record "
                    'a deferral ("we are choosing not to fix this": who decided, review date)'
                )
            found.append(gate("G-CHAIN-ACTION", f"{base}.actions", message))
    return found
