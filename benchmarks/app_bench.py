"""Provides the app benchmark: cold start, memory, step switches, the other terminal, idle cost.

    python -m benchmarks.app_bench [--runs 5] [--edits 100] [--only timeline ...]

Every figure is printed with its target and a reference measured in the same run:

- cold start to the first painted Home (sample.db and 10,000 postmortems) against a
  minimal Textual app with one Static, each a fresh process, medians of ``--runs``;
- peak memory (max RSS) of those processes against the minimal app's;
- moving between meeting steps in Pilot (warm), against an empty Pilot pause;
- another terminal's edit painted, p95 over ``--edits`` edits written by a second Store
  while the app polls on its own timer (nothing called by hand);
- CPU used while idle for 10 s, in a child process, against the minimal app idle;
- a keystroke in a multi-line field holding 1 MB, against the same field holding a line;
- a timeline of 10,000 entries: opening its step, moving the cursor and toggling a
  decision point, each timed to the frame that shows it, against the same at 10 entries.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.generate import OUT, cached
from pmtui.live import POLL_SECONDS
from pmtui.sample import build_sample_database

NOW = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def line(what: str, figure: str, target: str, ok: bool | None, reference: str = "") -> None:
    mark = "    " if ok is None else ("ok  " if ok else "MISS")
    print(f"  {mark} {what:<40} {figure:<22} target {target:<12} {reference}")


# ---- cold start and memory ---------------------------------------------------------


def child(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds to the first frame and to the exit, and peak resident memory (KB), of
    one ``benchmarks.startup_child``.

    The peak is the child's own ``VmHWM``, which starts afresh at exec: ``ru_maxrss``
    from ``wait4`` keeps the high-water mark of the forked copy of this (larger)
    process, which puts the same floor under both apps and flatters the ratio.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.startup_child", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    framed = time.perf_counter() - started
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - started
    if proc.returncode != 0 or first != "FRAME\n":
        raise RuntimeError(f"startup child {args} failed with status {proc.returncode}")
    return framed, elapsed, int(out.split("VmHWM_KB=")[1].split()[0])


def cold_start(runs: int, sample: Path, big: Path) -> None:
    # As installed: pmtui's bytecode compiled, as pip compiles an installed package's (and
    # Textual's is, in site-packages). Without it, a machine that sets
    # PYTHONDONTWRITEBYTECODE compiles every pmtui module from source at every start.
    # Its stylesheet cache written the same way (pmtui/stylesheet_cache.py), as `make run`
    # does and as the first start writes it where bytecode is written.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pmtui")], check=True)
    subprocess.run([sys.executable, "-m", "pmtui.stylesheet_cache"], cwd=ROOT, check=True)
    print("Cold start to the first whole frame of Home (fresh process, median of", runs, "runs)")
    print("  (pmtui's bytecode compiled and its stylesheet cache written first, as `make run`")
    print("  leaves them)")
    figures: dict[str, list[tuple[float, float, int]]] = {
        name: [] for name in ("minimal", "sample", "10k", "command", "uncached")
    }
    for _ in range(runs):  # interleaved, so load on the machine hits all alike
        figures["minimal"].append(child(["minimal"]))
        figures["sample"].append(child(["pmtui", str(sample)]))
        figures["10k"].append(child(["pmtui", str(big)]))
        figures["command"].append(child(["command", str(sample)]))
        figures["uncached"].append(child(["pmtui-uncached", str(sample)]))
    wall = {k: statistics.median(t for t, _, _ in v) for k, v in figures.items()}
    whole = {k: statistics.median(t for _, t, _ in v) for k, v in figures.items()}
    rss = {k: max(m for _, _, m in v) for k, v in figures.items()}
    ref = f"minimal app {wall['minimal']:.2f} s"
    for name, limit in (("sample", 1.3), ("10k", 1.5)):
        ratio = wall[name] / wall["minimal"]
        line(
            f"start on {name}",
            f"{wall[name]:.2f} s = {ratio:.2f}×",
            f"≤ {limit}×",
            ratio <= limit,
            ref,
        )
    ratio = wall["command"] / wall["minimal"]
    line(
        "the pmtui command on sample",
        f"{wall['command']:.2f} s = {ratio:.2f}×",
        "",
        None,
        "the above, with its argument parsing (click)",
    )
    ratio = wall["uncached"] / wall["minimal"]
    line(
        "start on sample, no stylesheet cache",
        f"{wall['uncached']:.2f} s = {ratio:.2f}×",
        "",
        None,
        "the first start after an install that writes no bytecode",
    )
    ratio = whole["sample"] / whole["minimal"]
    line(
        "start on sample, to the process's end",
        f"{whole['sample']:.2f} s = {ratio:.2f}×",
        "",
        None,
        f"minimal app {whole['minimal']:.2f} s; each exits at once",
    )
    ratio = rss["10k"] / rss["minimal"]
    line(
        "peak memory on 10k",
        f"{rss['10k'] / 1024:.0f} MB = {ratio:.2f}×",
        "≤ 1.5×",
        ratio <= 1.5,
        f"minimal app {rss['minimal'] / 1024:.0f} MB",
    )


# ---- in-process figures ----------------------------------------------------------


async def steps_and_live(sample: Path, edits: int) -> None:
    from pmtui.app import APP_BUSY_TIMEOUT_S, PmtuiApp
    from pmtui.screens.base import StepScreen
    from pmtui.store import Store
    from pmtui.widgets.field import FieldEditor
    from pmtui.widgets.stepbar import StepBar

    store = Store.open(sample, clock=lambda: NOW, timeout=APP_BUSY_TIMEOUT_S)
    app = PmtuiApp(store)
    steps = [
        "setup",
        "norms",
        "past",
        "timeline",
        "impact",
        "factors",
        "lessons",
        "actions",
        "review",
    ]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_postmortem("INC-2026-1126", "setup")
        await pilot.pause()
        painted = Painted(app)

        def shown(step: str) -> Callable[[], bool]:
            """The step's screen is the one painted, its bar on the step, drawn from the doc."""

            def check() -> bool:
                screen = app.screen
                return (
                    isinstance(screen, StepScreen)
                    and step == screen.STEP
                    and screen.query_one(StepBar).current == step
                    and screen._shown == screen._shown_key()
                )

            return check

        def screen_text() -> str:
            return "\n".join(strip.text for strip in app.screen._compositor.render_strips())

        unfinished: list[str] = []

        async def switch(step: str) -> float:
            """To the first frame painting the whole step, which must be what it settles on."""
            figure = await painted.after(lambda: app.go(step), shown(step), full=True)
            painted_text = "\n".join(
                "".join(strip.text for strip in line)
                for line in painted.frame.strips  # type: ignore[attr-defined]
            )
            await pilot.pause()  # settle before the next one (not timed)
            if painted_text != screen_text():
                unfinished.append(step)
            return figure

        first = [await switch(step) for step in steps[1:]]  # each screen composed once
        moves, idle, pauses = [], [], []
        for _ in range(3):
            for step in steps:
                moves.append(await switch(step))
            for step in steps:  # the same switches, until Pilot finds the app idle
                started = time.perf_counter()
                app.go(step)
                await pilot.pause()
                idle.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                await pilot.pause()
                pauses.append((time.perf_counter() - started) * 1000)
        print("Moving between steps (Pilot; app.go(step) → the first frame painting the step)")
        p95, ref = percentile(moves, 95), statistics.median(pauses)
        line(
            "step switch, warm, p95",
            f"{p95:.0f} ms (p50 {statistics.median(moves):.0f})",
            "< 50 ms",
            p95 < 50,
            f"an empty pause {ref:.1f} ms",
        )
        line(
            "step switch, first visit, p95",
            f"{percentile(first, 95):.0f} ms (p50 {statistics.median(first):.0f})",
            "",
            None,
            f"{len(first)} steps (Setup opens with the postmortem)",
        )
        line(
            "step switch, warm, until Pilot idle, p95",
            f"{percentile(idle, 95):.0f} ms (p50 {statistics.median(idle):.0f})",
            "",
            None,
            f"an empty pause {ref:.1f} ms",
        )
        line(
            "first frames not the settled screen",
            f"{len(unfinished)} of {len(first) + len(moves)}",
            "0",
            not unfinished,
            ", ".join(sorted(set(unfinished))),
        )

        # The other terminal: a second handle writes; the app's own poll timer paints it.
        app.go("setup")
        await pilot.pause()
        other = Store.open(sample, clock=lambda: NOW)
        title = next(e for e in app.screen.query(FieldEditor) if e.field == "title")
        latencies = []
        for n in range(edits):
            text = f"Edited in the other terminal #{n}"
            version = other.load("INC-2026-1126").version
            other.set_field("INC-2026-1126", "title", text, version=version)
            committed = time.perf_counter()
            while title.value != text:
                await asyncio.sleep(0.005)
                if time.perf_counter() - committed > 5:
                    raise RuntimeError("the edit never appeared")
            await pilot.pause()  # painted
            latencies.append(time.perf_counter() - committed)
        other.close()
        print(f"Another terminal's edit painted ({edits} edits, poll every {POLL_SECONDS} s)")
        line(
            "commit → painted p95",
            f"{percentile(latencies, 95):.2f} s (p50 {statistics.median(latencies):.2f})",
            "≤ 1.5 s",
            percentile(latencies, 95) <= 1.5,
            f"poll interval {POLL_SECONDS:.2f} s",
        )
    store.close()


async def keystrokes() -> None:
    from textual.app import App, ComposeResult

    from pmtui.widgets.safe_text_area import SafeTextArea

    big = ("14:32 ERROR pool exhausted [/] 中 retry scheduled in 250 ms\n" * 20_000)[:1_000_000]

    class Field(App[None]):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def compose(self) -> ComposeResult:
            yield SafeTextArea(self.text)

    async def per_key(text: str) -> list[float]:
        app = Field(text)
        async with app.run_test(size=(100, 30)) as pilot:
            area = app.query_one(SafeTextArea)
            area.focus()
            area.move_cursor((len(text.splitlines()) // 2, 0))
            await pilot.pause()
            times = []
            for key in "abcdefghijklmnopqrst":
                started = time.perf_counter()
                await pilot.press(key)
                times.append((time.perf_counter() - started) * 1000)
        return times

    small, large = await per_key("a short line"), await per_key(big)
    extra = statistics.median(large) - statistics.median(small)
    print("A keystroke in a multi-line field holding 1 MB (Pilot press, echo included)")
    line(
        "extra latency over a small field",
        f"{extra:.0f} ms (p95 {percentile(large, 95):.0f})",
        "< 100 ms",
        extra < 100,
        f"small field {statistics.median(small):.0f} ms per press",
    )


# ---- a long timeline ---------------------------------------------------------------

LONG_TIMELINE = 10_000
DRAFT = "INC-2026-1126"


def with_timeline(sample: Path, dest: Path, count: int) -> Path:
    """A copy of ``sample`` whose draft has ``count`` timeline entries (an imported log)."""
    from pmtui.domain.models import TimelineEntry
    from pmtui.store import Store

    shutil.copy(sample, dest)
    store = Store.open(dest, clock=lambda: NOW)
    try:
        doc = store.load(DRAFT)
        entries = []
        for i in range(count):
            hour, minute = divmod(i * 1440 // count, 60)
            words = "just retried" if i % 100 == 50 else "retried"
            entries.append(TimelineEntry(
                time=f"{hour:02d}:{minute:02d}",
                event=f"log line {i}: consumer {words} batch {i * 7}",
                source="application log",
            ))
        store.replace(doc.model_copy(update={"timeline": entries}))
    finally:
        store.close()
    return dest


class Painted:
    """When the app next composed a frame in which ``condition()`` held: key → on screen.

    Wraps the app's ``_display`` (called with every compositor update, headless too),
    so the figure is the time to the frame itself, not to Pilot's idle detection.
    ``frame`` keeps that update. A frame composed while updates are held (``batch``)
    is not drawn, so it does not count.
    """

    def __init__(self, app: object) -> None:
        from textual._compositor import LayoutUpdate

        self.condition: Callable[[], bool] = lambda: False
        self.at: float | None = None
        self.full = False
        self.frame: object = None
        original = app._display  # type: ignore[attr-defined]

        def display(screen: object, renderable: object) -> None:
            original(screen, renderable)
            if (
                renderable is not None
                and self.at is None
                and not app._batch_count  # type: ignore[attr-defined]  # else not drawn
                and (not self.full or isinstance(renderable, LayoutUpdate))
                and self.condition()
            ):
                self.at = time.perf_counter()
                self.frame = renderable

        app._display = display  # type: ignore[attr-defined]

    async def after(
        self, start: Callable[[], None], condition: Callable[[], bool], *, full: bool = False
    ) -> float:
        """Milliseconds from ``start()`` to the first frame where ``condition()`` holds.

        ``full``: only a frame that repaints the whole screen counts (a switch of screens:
        the terminal shows the old one until then, whatever the new one updates).
        """
        self.at, self.condition, self.full = None, condition, full
        started = time.perf_counter()
        start()
        while self.at is None:
            await asyncio.sleep(0.001)
            if time.perf_counter() - started > 60:
                raise RuntimeError("the change never reached the screen")
        return (self.at - started) * 1000


async def timeline_once(db: Path, count: int) -> dict[str, list[float]]:
    """Open the Timeline step once on ``db``; move the cursor and toggle a decision point."""
    from textual import events

    from pmtui.app import APP_BUSY_TIMEOUT_S, PmtuiApp
    from pmtui.screens.timeline import TimelineScreen
    from pmtui.store import Store

    store = Store.open(db, clock=lambda: NOW, timeout=APP_BUSY_TIMEOUT_S)
    app = PmtuiApp(store)
    figures: dict[str, list[float]] = {"open": [], "move": [], "toggle": []}
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.open_postmortem(DRAFT, "setup")
            await pilot.pause()
            painted = Painted(app)

            def timeline_shown() -> bool:
                screen = app.screen
                return isinstance(screen, TimelineScreen) and screen.table.row_count == count

            # Until the step is painted and the app idle again: a table that lays its rows
            # out on idle (as a DataTable does) is not open before that.
            started = time.perf_counter()
            app.go("timeline")
            await pilot.pause()
            assert timeline_shown()
            figures["open"].append((time.perf_counter() - started) * 1000)
            screen = app.screen
            assert isinstance(screen, TimelineScreen)
            table = screen.table

            def press(key: str) -> Callable[[], None]:
                char = " " if key == "space" else None
                return lambda: app._driver.send_message(events.Key(key, char))  # type: ignore[union-attr]

            row = max(0, count // 2 - 4)
            table.move_cursor(row=row)
            await pilot.pause()
            for _ in range(8):  # 10 entries leave room for 8 moves down
                row += 1
                figures["move"].append(await painted.after(
                    press("down"), lambda row=row: table.cursor_row == row))  # type: ignore[misc]
                await pilot.pause()
            for mark in ("◆", "", "◆", ""):  # on and off again: the document ends as it was
                figures["toggle"].append(await painted.after(
                    press("space"),
                    lambda mark=mark: table.get_row_at(row)[1].plain == mark,  # type: ignore[misc]
                ))
                await pilot.pause()
    finally:
        store.close()
    return figures


async def long_timeline(sample: Path, work: Path, runs: int) -> None:
    small = with_timeline(sample, work / "timeline-10.db", 10)
    large = with_timeline(sample, work / "timeline-10k.db", LONG_TIMELINE)
    figures: dict[int, dict[str, list[float]]] = {
        10: {"open": [], "move": [], "toggle": []},
        LONG_TIMELINE: {"open": [], "move": [], "toggle": []},
    }
    for _ in range(runs):  # interleaved, so load on the machine hits both alike
        for count, db in ((10, small), (LONG_TIMELINE, large)):
            for name, values in (await timeline_once(db, count)).items():
                figures[count][name].extend(values)
    print(f"A timeline of {LONG_TIMELINE:,} entries (Pilot; keys timed to the frame showing them)")
    for name, what, stat, target in (
        ("open", "open the step (first visit) until idle", "median", 1000.0),
        ("move", "cursor down, p95", "p95", 100.0),
        ("toggle", "toggle a decision point (saved), p95", "p95", 100.0),
    ):
        big, ref = figures[LONG_TIMELINE][name], figures[10][name]
        value = statistics.median(big) if stat == "median" else percentile(big, 95)
        base = statistics.median(ref) if stat == "median" else percentile(ref, 95)
        line(what, f"{value:.0f} ms", f"< {target:.0f} ms", value < target,
             f"10 entries {base:.0f} ms")


IDLE_CHILD = """
import os, sys, time
from pathlib import Path
kind, seconds = sys.argv[1], float(sys.argv[2])
from textual.app import App
from textual.widgets import Static
if kind == "minimal":
    base = App
    args = ()
else:
    from pmtui.app import PmtuiApp
    from pmtui.store import Store
    base = PmtuiApp
    args = (Store.open(Path(sys.argv[3])),)
class Idle(base):
    def compose(self):
        if kind == "minimal":
            yield Static("x")
        else:
            yield from super().compose()
    def on_mount(self):
        if kind != "minimal":
            self.set_timer(0.5, lambda: self.open_postmortem("INC-2026-1126"))
        self.set_timer(2.0, self.start)
    def start(self):
        self.cpu0 = sum(os.times()[:2])
        self.set_timer(seconds, self.stop)
    def stop(self):
        print(sum(os.times()[:2]) - self.cpu0)
        self.exit()
Idle(*args).run(headless=True, size=(100, 30))
"""


def idle_cost(seconds: float, sample: Path) -> None:
    """CPU seconds spent in ``seconds`` of idling, measured inside each child process."""
    cpu = {}
    for kind in ("minimal", "pmtui"):
        out = subprocess.run(
            [sys.executable, "-c", IDLE_CHILD, kind, str(seconds), str(sample)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        cpu[kind] = float(out.strip().splitlines()[-1])
    share = cpu["pmtui"] / seconds * 100
    print(f"Idle for {seconds:.0f} s with a meeting open (poll every {POLL_SECONDS} s)")
    line(
        "CPU while idle",
        f"{share:.2f} % of a core",
        "< 1 %",
        share < 1.0,
        f"minimal app idle {cpu['minimal'] / seconds * 100:.2f} %",
    )


FIGURES = ("start", "steps", "keys", "timeline", "idle")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--idle", type=float, default=12.0)
    parser.add_argument("--only", choices=FIGURES, action="append",
                        help="measure only these figures (repeatable; default: all)")
    args = parser.parse_args(argv)
    only = set(args.only or FIGURES)
    work = Path(tempfile.mkdtemp(prefix="pmtui-app-bench-"))
    try:
        sample = work / "sample.db"
        build_sample_database(sample)
        if "start" in only:
            big_source = cached(10_000)
            big = work / "big.db"
            shutil.copy(big_source, big)
            cold_start(args.runs, sample, big)
        if "steps" in only:
            asyncio.run(steps_and_live(sample, args.edits))
        if "keys" in only:
            asyncio.run(keystrokes())
        if "timeline" in only:
            asyncio.run(long_timeline(sample, work, args.runs))
        if "idle" in only:
            idle_cost(args.idle, sample)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["OUT"]
