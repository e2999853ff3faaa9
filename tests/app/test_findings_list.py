"""T25: a step's findings list shows the first findings and counts the rest, cheaply.

An imported log of 10,000 timeline entries without sources has 10,000 gates. Building a
line for each after every save blocked the app for a second, and nobody reads them there:
the list shows :data:`SHOWN` and a last line that opens Review (which lists them all);
its top border counts them.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from pmtui.domain.findings import Finding, gate
from pmtui.widgets.findings import MORE, SHOWN, FindingsList


def sources(count: int, start: int = 0) -> list[Finding]:
    return [
        gate("G-TIMELINE-FIELD", f"timeline[{i}].source", "add where the fact comes from")
        for i in range(start, start + count)
    ]


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield FindingsList(id="findings")

    def on_findings_list_show_all(self, message: FindingsList.ShowAll) -> None:
        self.messages.append(message)

    def on_findings_list_jump(self, message: FindingsList.Jump) -> None:
        self.messages.append(message)


def prompts(listing: FindingsList) -> list[str]:
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


# T25: 10,000 findings under a step: the first SHOWN and a count; Enter on it opens Review.
async def test_a_long_list_shows_the_first_findings_and_counts_the_rest() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 20)) as pilot:
        listing = app.query_one(FindingsList)
        findings = sources(10_000)
        listing.show(findings)
        assert listing.option_count == SHOWN + 1
        assert prompts(listing)[0] == "✗ timeline[0].source: add where the fact comes from"
        assert prompts(listing)[-1] == str(MORE)
        assert listing.border_title == f"10,000 findings: the first {SHOWN} here"
        first = listing.get_option_at_index(0)

        # One more finding past the first lines: the count changes, the lines stay.
        listing.show([*findings, *sources(1, 10_000)])
        assert listing.border_title == f"10,001 findings: the first {SHOWN} here"
        assert listing.get_option_at_index(0) is first

        # A change among the lines shown rebuilds them.
        listing.show(sources(10_000, 1))
        assert prompts(listing)[0] == "✗ timeline[1].source: add where the fact comes from"
        assert listing.border_title == f"10,000 findings: the first {SHOWN} here"

        listing.focus()
        listing.highlighted = SHOWN
        await pilot.press("enter")
        assert [type(m) for m in app.messages] == [FindingsList.ShowAll]
        listing.highlighted = 0
        await pilot.press("enter")
        jump = app.messages[-1]
        assert isinstance(jump, FindingsList.Jump)
        assert jump.finding.path == "timeline[1].source"


async def test_a_short_list_shows_every_finding_and_no_count() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 20)):
        listing = app.query_one(FindingsList)
        listing.show(sources(SHOWN))
        assert listing.option_count == SHOWN
        assert str(MORE) not in prompts(listing)
        assert not listing.border_title
        listing.show([])
        assert listing.option_count == 0
        assert listing.has_class("-empty")
