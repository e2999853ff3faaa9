"""Provides the five-whys ladder: one factor's chain, step by step, down to the change.

The ladder is an OptionList so the cursor can rest on any rung: the factor, a why
step, the systemic property where the chain stops, a linked action item, or the
deferral. Each rung knows what it is (:class:`Rung`), so the screen's keys act on it.
Blame in answers is underlined; each linked item shows its own problems under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Spacing
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pmtui.domain.findings import Finding
from pmtui.domain.lint import blame_spans
from pmtui.domain.models import ActionItem, ContributingFactor, Postmortem
from pmtui.widgets import redraw
from pmtui.widgets.text import highlighted, literal, one_line

BLAME_QUESTION = "What system property made that action possible?"
BLAME_STYLE = "bold underline $text-warning"

# value -> (key, label, what it means): plain English for the room.
PROPERTIES: dict[str, tuple[str, str, str]] = {
    "missing-tool": ("m", "A missing tool", "nothing existed to see it coming or do it safely"),
    "wrong-threshold": (
        "w",
        "A wrong threshold",
        "an alert, limit or timeout set where it cannot help",
    ),
    "process-gap": ("p", "A process gap", "no step, check or review in how the work is done"),
    "capacity": ("c", "Capacity", "not enough of something: machines, connections, people"),
    "design": ("d", "Design", "the system is built in a way that allows this"),
    "dependency": ("a", "A dependency", "something we rely on behaved in a way we did not plan"),
    "other": ("o", "Other", "another property of the system; name it in the last answer"),
}


def property_label(value: str | None) -> str:
    return PROPERTIES[value][1] if value in PROPERTIES else (value or "")


class Blocks(Visual):
    """Lines of content, each block with its own left indent: a hanging indent that
    survives wrapping ("Because …" continues under "Because", not at the margin)."""

    def __init__(self, *blocks: tuple[int, Content]) -> None:
        self._blocks = [(indent, block) for indent, block in blocks if block]

    def drawn(self) -> object:
        """What it draws, to compare (see ``pmtui.widgets.redraw``)."""
        return tuple((indent, redraw.drawn(block)) for indent, block in self._blocks)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(
            (
                indent + block.get_optimal_width(rules, container_width)
                for indent, block in self._blocks
            ),
            default=0,
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(
            block.get_height(rules, max(1, width - indent)) for indent, block in self._blocks
        )

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for indent, block in self._blocks:
            visual = Padding(block, Spacing(0, 0, 0, indent)) if indent else block
            strips.extend(visual.render_strips(width, None, style, options))
        return strips[:height] if height is not None else strips


class Hanging(Visual):
    """``mark`` then ``content``, wrapped lines indented under the content, not the mark."""

    def __init__(self, mark: str, content: Content) -> None:
        self._mark = mark
        self._body = Padding(content, Spacing(0, 0, 0, len(mark)))
        self._content = content

    def drawn(self) -> object:
        """What it draws, to compare (see ``pmtui.widgets.redraw``)."""
        return (self._mark, redraw.drawn(self._content))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return len(self._mark) + self._content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._content.get_height(rules, max(1, width - len(self._mark)))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips = self._body.render_strips(width, height, style, options)
        if strips:
            mark = Strip([Segment(self._mark, style.rich_style)])
            strips[0] = Strip.join([mark, strips[0].crop(len(self._mark))])
        return strips


@dataclass(frozen=True)
class Rung:
    """What a ladder row is: ``factor``, ``why`` (``index``), ``property``, ``item`` (``ref``),
    ``deferral`` or ``change`` (the missing change)."""

    kind: str
    index: int = -1
    ref: str = ""


def under(findings: Iterable[Finding], prefix: str) -> list[Finding]:
    """Findings at ``prefix`` or below it (as ``MeetingSession.findings_for``)."""
    return [
        f for f in findings if f.path == prefix or f.path.startswith((prefix + ".", prefix + "["))
    ]


def is_closed(findings: Iterable[Finding], index: int) -> bool:
    """A chain is closed when no gate remains anywhere under its factor."""
    return not any(f.level == "gate" for f in under(findings, f"contributing_factors[{index}]"))


def factor_line(index: int, factor: ContributingFactor, closed: bool) -> Content:
    """``✓ F1  description`` for the list of factors."""
    mark = Content.styled(
        "✓ " if closed else "○ ", "bold $text-success" if closed else "bold $text-error"
    )
    name = Content.styled(f"F{index + 1}  ", "bold")
    text = factor.description.strip() or "(no description yet)"
    return mark.append(name).append(literal(one_line(text)))


def people_of(doc: Postmortem) -> tuple[str, ...]:
    """Who the document names as people: its participants and the facilitator.

    The live highlight passes them to ``blame_spans`` as the A-BLAME advisory does, so
    "Bob ignored the alert" is marked as they type it, not only at Review.
    """
    names = [p.name for p in doc.participants]
    if doc.facilitator:
        names.append(doc.facilitator)
    return tuple(names)


def blamed(text: str, people: Sequence[str] = ()) -> Content:
    """``text`` with the words that stop at a person underlined."""
    return highlighted(text, [(s.start, s.end) for s in blame_spans(text, people)], BLAME_STYLE)


def stops_at_person(factor: ContributingFactor, people: Sequence[str] = ()) -> bool:
    """Whether the chain's latest answer (or the factor itself) stops at a person."""
    answers = [w.answer for w in factor.whys if w.answer.strip()]
    return bool(blame_spans(answers[-1] if answers else factor.description, people))


MAX_ABOUT = 10_000  # one line, not cut: a why's answer is a sentence or two


def next_question(factor: ContributingFactor, people: Sequence[str] = ()) -> str:
    """The question the ``w`` prompt proposes (the facilitator may reword it): the blame
    question, or "Why: …?" about the latest answer, whole.

    The answer is a statement, so "Why " before it does not make a question ("Why the
    client caches the answer?"). Most proposals are kept as they are, so an answer cut
    to fit the prompt was saved, and exported, cut.
    """
    if stops_at_person(factor, people):
        return BLAME_QUESTION
    answers = [w.answer for w in factor.whys if w.answer.strip()]
    about = one_line(answers[-1] if answers else factor.description, MAX_ABOUT)
    about = about.rstrip(" .!?;:")
    if not about:
        return "Why?"
    return f"Why: {_lower_plain_start(about)}?"


_LOWER_STARTS = frozenset(
    ("the", "a", "an", "it", "its", "we", "our", "they", "their", "there", "this", "that")
)


def _lower_plain_start(text: str) -> str:
    """Lowers "The consumer…" to "the consumer…": a plain first word only, never a name."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first.lower() in _LOWER_STARTS else text


def _because(answer: str, people: Sequence[str]) -> Content:
    """``Because the consumer…``."""
    text = one_line(answer, 500)
    if text.lower().startswith("because"):
        return blamed(text, people)
    text = _lower_plain_start(text)
    return Content.styled("Because ", "$text-muted").append(blamed(text, people))


def _problems(findings: Sequence[Finding]) -> list[Content]:
    lines = []
    for f in findings:
        mark, style = ("✗ ", "$text-error") if f.level == "gate" else ("! ", "$text-warning")
        if f.waiver is not None:
            mark, style = "~ ", "$text-muted"
        where = f.path.rsplit(".", 1)[-1] + ": " if "." in f.path else ""
        lines.append(
            Content.styled(mark, "bold " + style).append(
                Content.styled(one_line(where + f.message, 300), style)
            )
        )
    return lines


def _why(index: int, question: str, answer: str, people: Sequence[str]) -> Blocks:
    q = one_line(question) or "Why?"
    if not q.lower().startswith("why") and not q.endswith("?"):
        q = "Why? " + q  # a note rather than a question still reads as the why it answers
    head = Content.styled(f"{index + 1:>2}  ", "bold $text-accent").append(
        Content.styled(q, "bold")
    )
    if answer.strip():
        body = _because(answer, people)
    else:
        body = Content.styled("Because … (not answered yet: e to answer)", "$text-error")
    return Blocks((0, head), (4, body))


def _item(item: ActionItem | None, ref: str, problems: Sequence[Finding]) -> Visual:
    if item is None:
        return Content.styled(f"→ {ref}  (this action item no longer exists)", "$text-error")
    ready = not any(p.level == "gate" for p in problems)
    head = Content.styled(f"→ {item.id}  ", "bold $text-success" if ready else "bold $text-error")
    head = head.append(literal(one_line(item.description) or "(no description)"))
    facts = "owner {} · due {} · ticket {} · {}".format(
        one_line(item.owner, 40) or "—",
        item.due.isoformat() if item.due else "—",
        one_line(item.ticket, 30) or "—",
        item.priority or "no priority",
    )
    if item.status == "done":
        facts += " · done" + (f" {item.completed_on.isoformat()}" if item.completed_on else "")
    lines = [(5, Content.styled(facts, "$text-muted"))]
    return Blocks((0, head), *lines, *((5, line) for line in _problems(problems)))


def _deferral(factor: ContributingFactor, problems: Sequence[Finding]) -> Blocks:
    d = factor.deferral
    assert d is not None
    head = Content.styled("Deferred: ", "bold $text-warning").append(
        literal(one_line(d.reason, 500) or "(no reason)")
    )
    who = "decided by {} · review {}".format(
        one_line(d.decided_by, 40) or "—", d.review_date.isoformat() if d.review_date else "—"
    )
    return Blocks(
        (0, head),
        (5, Content.styled(who, "$text-muted")),
        *((5, line) for line in _problems(problems)),
    )


Row = tuple["Rung | None", Visual]


def ladder_rows(doc: Postmortem, index: int, findings: Sequence[Finding]) -> list[Row]:
    """The rungs of factor ``index``'s ladder; a ``None`` rung draws a divider below the
    row before it."""
    factor = doc.contributing_factors[index]
    base = f"contributing_factors[{index}]"
    people = people_of(doc)
    rows: list[Row] = []
    title = Content.styled(f"F{index + 1}  ", "bold $text-primary").append(
        blamed(one_line(factor.description, 500) or "(no description yet: e to describe)", people)
    )
    rows.append((Rung("factor"), title))
    rows.append((None, Content()))
    for j, why in enumerate(factor.whys):
        rows.append((Rung("why", j), _why(j, why.question, why.answer, people)))
    if not factor.whys:
        rows.append(
            (
                Rung("change"),
                Content.styled("No whys yet: press w to ask the first why.", "$text-warning"),
            )
        )
    rows.append((None, Content()))
    if factor.systemic_property:
        known = PROPERTIES.get(factor.systemic_property)
        label, meaning = known[1:] if known else (factor.systemic_property, "")
        stop: Visual = Blocks(
            (
                0,
                Content.styled("Stops at: ", "bold").append(
                    Content.styled(label, "bold $text-success")
                ),
            ),
            (5, Content.styled(meaning, "$text-muted")),
        )
    else:
        stop = Content.styled(
            "Stops at: not a system property yet — keep asking why, then c to close the chain",
            "$text-error",
        )
    rows.append((Rung("property"), stop))
    for ref in factor.actions:
        item = doc.action_item(ref)
        position = doc.action_items.index(item) if item is not None else -1
        problems = under(findings, f"action_items[{position}]") if item is not None else []
        rows.append((Rung("item", ref=ref), _item(item, ref, problems)))
    if factor.deferral is not None:
        rows.append((Rung("deferral"), _deferral(factor, under(findings, f"{base}.deferral"))))
    if not factor.actions and factor.deferral is None:
        rows.append(
            (
                Rung("change"),
                Content.styled(
                    "Change: none yet — c to create or link an action item, or record a deferral",
                    "$text-error",
                ),
            )
        )
    return rows


class Ladder(OptionList):
    """The selected factor's chain; ``rung`` is what the cursor is on."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rungs: list[Rung] = []

    def show(self, rows: Sequence[Row], keep: bool = True) -> None:
        """Redraw with ``rows``; the cursor stays on the same rung when it still exists."""
        current = self.rung if keep else None
        options: list[Option | None] = []
        self._rungs = []
        for rung, content in rows:
            if rung is None:
                options.append(None)
            else:
                self._rungs.append(rung)
                options.append(Option(content))
        redraw.set_options(self, options)
        if current is not None and current in self._rungs:
            self.highlighted = self._rungs.index(current)
        elif self._rungs:
            self.highlighted = 0

    @property
    def rung(self) -> Rung | None:
        index = self.highlighted
        return self._rungs[index] if index is not None and index < len(self._rungs) else None

    @property
    def rungs(self) -> list[Rung]:
        return list(self._rungs)

    def select(self, rung: Rung) -> bool:
        """Put the cursor on ``rung`` (or on the first rung of its kind)."""
        for index, candidate in enumerate(self._rungs):
            loose = rung.index < 0 and not rung.ref and candidate.kind == rung.kind
            if candidate == rung or loose:
                self.highlighted = index
                return True
        return False
