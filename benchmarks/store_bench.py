"""Provides the store benchmark: save and load latency, YAML import time, size on disk.

    python -m benchmarks.store_bench [--n 10000] [--samples 300] [--import-budget 300]

The generated database and its YAML export are cached under benchmarks/out/ (ignored by
git); every measurement runs on a copy. Each figure is printed with its target and with a
ratio against a reference measured in the same run on the same disk: a bare INSERT and
COMMIT (WAL, synchronous=FULL) for saves, the same SELECTs as ``load`` without building
models for loads.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.generate import GENERATOR_VERSION, OUT, cached
from pmtui.export.yaml_io import dump_postmortem_yaml, read_postmortem_file
from pmtui.store import Store
from pmtui.transfer import import_paths

MB = 1_000_000


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[rank]


def timed(action: Callable[[], Any]) -> float:
    """Milliseconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def verdict(ok: bool) -> str:
    return "ok  " if ok else "MISS"


def line(what: str, figure: str, target: str, ok: bool | None, reference: str = "") -> None:
    mark = "    " if ok is None else verdict(ok)
    print(f"  {mark} {what:<34} {figure:<26} target {target:<14} {reference}")


# ---- saves -------------------------------------------------------------------------


def bare_insert_ms(directory: Path, samples: int) -> list[float]:
    """The floor for a durable save on this disk: one INSERT and COMMIT, WAL + FULL."""
    path = directory / "reference.db"
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    results = []
    for n in range(samples):

        def unit(n: int = n) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (v) VALUES (?)", [f"value {n}"])
            conn.execute("COMMIT")

        results.append(timed(unit))
    conn.close()
    return results


def save_ms(store: Store, idents: list[str]) -> tuple[list[float], list[float]]:
    """(set_field of a title, update_item of a timeline entry), one per document."""
    fields, rows = [], []
    for n, ident in enumerate(idents):
        status, version = store.conn.execute(
            "SELECT status, version FROM postmortems WHERE id = ?", [ident]
        ).fetchone()
        if status in ("complete", "published"):
            store.reopen(ident)
            version += 1
        title = f"Edited title {n}"
        fields.append(
            timed(lambda i=ident, t=title, v=version: store.set_field(i, "title", t, version=v))
        )
        row_id, row_version = store.conn.execute(
            "SELECT id, version FROM timeline_entries WHERE postmortem_id = ? AND position = 3",
            [ident],
        ).fetchone()
        change = {"event": f"Edited event {n}"}
        rows.append(
            timed(
                lambda i=ident, r=row_id, c=change, v=row_version: store.update_item(
                    i, "timeline", r, c, version=v
                )
            )
        )
    return fields, rows


# ---- loads -------------------------------------------------------------------------

_LOAD_SELECTS = [
    "SELECT * FROM postmortems WHERE id = ?",
    *(
        f"SELECT * FROM {table} WHERE postmortem_id = ? ORDER BY position"
        for table in (
            "participants",
            "timeline_entries",
            "contributing_factors",
            "action_items",
            "waivers",
        )
    ),
    "SELECT w.* FROM why_steps w JOIN contributing_factors f ON f.id = w.factor_id "
    "WHERE f.postmortem_id = ? ORDER BY w.position",
    "SELECT l.factor_id, a.ref FROM factor_action_items l JOIN action_items a "
    "ON a.id = l.action_item_id WHERE a.postmortem_id = ? ORDER BY l.position",
    "SELECT id, kind, text, version FROM observations WHERE postmortem_id = ? ORDER BY position",
    "SELECT failure_class FROM postmortem_failure_classes WHERE postmortem_id = ? "
    "ORDER BY position",
    "SELECT related_id FROM related_incidents WHERE postmortem_id = ? ORDER BY position",
]


def bare_select_ms(conn: sqlite3.Connection, idents: list[str]) -> list[float]:
    """The same rows ``load`` reads, fetched as tuples in one read transaction."""

    def read(ident: str) -> None:
        conn.execute("BEGIN")
        for sql in _LOAD_SELECTS:
            conn.execute(sql, [ident]).fetchall()
        conn.execute("COMMIT")

    return [timed(lambda i=i: read(i)) for i in idents]


# ---- import ------------------------------------------------------------------------


def _export_range(args: tuple[str, list[str], str]) -> int:
    db, idents, directory = args
    with Store.open(Path(db), readonly=True) as store:
        for ident in idents:
            text = dump_postmortem_yaml(store.load(ident))
            (Path(directory) / f"{ident}.yaml").write_text(text, encoding="utf-8")
    return len(idents)


def exported(db: Path, n: int) -> tuple[Path, float | None]:
    """The database exported to one YAML file per postmortem (cached); export seconds."""
    directory = OUT / f"yaml-v{GENERATOR_VERSION}-n{n}"
    if directory.exists() and len(list(directory.glob("*.yaml"))) == n:
        return directory, None
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    with Store.open(db, readonly=True) as store:
        idents = store.ids()
    workers = os.cpu_count() or 1
    chunks = [(str(db), idents[i::workers], str(directory)) for i in range(workers)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        assert sum(pool.map(_export_range, chunks)) == n
    return directory, time.perf_counter() - started


def _import_worker(db: str, directory: str, report: str) -> None:
    with Store.open(Path(db), create=True) as store:
        results = import_paths(store, [Path(directory)])
    outcomes = Counter(r.outcome.value for r in results)
    demoted = sum(1 for r in results if r.demoted)
    Path(report).write_text(json.dumps({"outcomes": outcomes, "demoted": demoted}))


def import_run(directory: Path, work: Path, budget: float) -> dict[str, Any]:
    """Import the directory into a fresh database in a child; stop it at ``budget`` seconds."""
    db, report = work / "imported.db", work / "import-report.json"
    child = multiprocessing.get_context("fork").Process(
        target=_import_worker, args=(str(db), str(directory), str(report))
    )
    started = time.perf_counter()
    child.start()
    progress: list[tuple[float, int]] = []
    while child.is_alive() and time.perf_counter() - started < budget:
        child.join(2.0)  # a progress poll, not synchronisation: the join ends the wait
        if db.exists():
            try:
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                count = conn.execute("SELECT count(*) FROM postmortems").fetchone()[0]
                conn.close()
                progress.append((time.perf_counter() - started, count))
            except sqlite3.Error:
                pass
    elapsed = time.perf_counter() - started
    finished = not child.is_alive()
    if not finished:
        child.kill()
        child.join()
    result: dict[str, Any] = {"seconds": elapsed, "finished": finished, "progress": progress}
    if finished and report.exists():
        result |= json.loads(report.read_text())
    return result


def projected_seconds(progress: list[tuple[float, int]], total: int) -> float | None:
    """Fit t = a·k + b·k² (each import checks against all earlier ones) and solve for total."""
    points = [(t, k) for t, k in progress if k > 0]
    if len(points) < 3:
        return None
    # Least squares on t/k = a + b·k.
    xs = [k for _, k in points]
    ys = [t / k for t, k in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    b = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var if var else 0
    a = mean_y - b * mean_x
    return max(a * total + b * total * total, 0)


# ---- size --------------------------------------------------------------------------


def sizes(db: Path) -> tuple[int, int | None]:
    """(file size, bytes of the full-text index: search_text and its FTS tables)."""
    conn = sqlite3.connect(str(db))
    try:
        fts = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_text%'"
        ).fetchone()[0]
    except sqlite3.Error:
        fts = None
    conn.close()
    return db.stat().st_size, fts


# ---- main --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store_bench", description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="postmortems in the database")
    parser.add_argument("--samples", type=int, default=300, help="saves and loads to time")
    parser.add_argument(
        "--import-budget", type=float, default=300, help="stop the import after this many s"
    )
    parser.add_argument("--seed", type=int, default=20260129)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    print(f"pmtui store benchmark: {args.n} postmortems, sqlite {sqlite3.sqlite_version}")
    started = time.perf_counter()
    source = cached(args.n, args.seed)
    print(f"  database {source} ({time.perf_counter() - started:.1f} s to get it)")

    with tempfile.TemporaryDirectory(dir=OUT, prefix="work-") as temp:
        work = Path(temp)
        db = work / "bench.db"
        shutil.copyfile(source, db)

        size, fts = sizes(db)
        with Store.open(db) as store:
            idents = rng.sample(store.ids(), min(args.samples, args.n))
            field_ms, row_ms = save_ms(store, idents)
            reference_save = bare_insert_ms(work, len(idents))
            load_targets = rng.sample(store.ids(), min(args.samples, args.n))
            store.load(load_targets[0])  # warm the page cache once, as the app would be
            load_ms = [timed(lambda i=i: store.load(i)) for i in load_targets]
            reference_load = bare_select_ms(store.conn, load_targets)
            list_ms = [timed(store.summaries) for _ in range(5)]
            published = [s.id for s in store.summaries(statuses=["published"])]
            door_ms, door_past = [], []
            for ident in rng.sample(published, 5):
                pm = store.reopen(ident)
                door_past.append(len(store.past_postmortems(pm)))
                door_ms.append(timed(lambda i=ident: store.complete(i)))

        save_p50, save_p95 = percentile(field_ms, 50), percentile(field_ms, 95)
        ref_save95 = percentile(reference_save, 95)
        load_p50, load_p95 = percentile(load_ms, 50), percentile(load_ms, 95)
        ref_load95 = percentile(reference_load, 95)

        print("\nSaving and loading (synchronous=FULL, WAL)")
        line(
            "save one field (set_field)",
            f"p50 {save_p50:.2f} ms, p95 {save_p95:.2f} ms",
            "p95 ≤ 5 ms",
            save_p95 <= 5,
            f"bare INSERT+COMMIT p95 {ref_save95:.2f} ms → {save_p95 / ref_save95:.1f}×",
        )
        line(
            "save one row (update_item)",
            f"p50 {percentile(row_ms, 50):.2f} ms, p95 {percentile(row_ms, 95):.2f} ms",
            "—",
            None,
            f"→ {percentile(row_ms, 95) / ref_save95:.1f}× the bare INSERT",
        )
        line(
            "load into models (load)",
            f"p50 {load_p50:.2f} ms, p95 {load_p95:.2f} ms",
            "p95 ≤ 2 ms",
            load_p95 <= 2,
            f"bare SELECTs p95 {percentile(reference_load, 95):.2f} ms → "
            f"{load_p95 / ref_load95:.1f}×",
        )
        line(
            "list all (summaries)",
            f"median {statistics.median(list_ms):.1f} ms",
            "—",
            None,
        )
        line(
            "complete() (the one door)",
            f"median {statistics.median(door_ms):.0f} ms",
            "—",
            None,
            f"loads {min(door_past)}–{max(door_past)} past postmortems each",
        )

        print("\nSize on disk")
        fts_text = f"{fts / MB:.1f} MB of it search text + FTS" if fts else "FTS size unknown"
        line("database file", f"{size / MB:.1f} MB", "< 200 MB", size < 200 * MB, fts_text)

        print("\nImport")
        directory, export_s = exported(source, args.n)
        files = sorted(directory.glob("*.yaml"))
        if export_s is not None:
            print(f"  (exported {args.n} YAML files in {export_s:.0f} s on {os.cpu_count()} cores)")
        parse_ms = [timed(lambda f=f: read_postmortem_file(f)) for f in rng.sample(files, 100)]
        with Store.open(db) as store:
            complete = [store.load(i) for i in rng.sample(store.ids(), 40)]
            complete = [pm for pm in complete if pm.status in ("complete", "published")][:10]
            admit_ms = [timed(lambda pm=pm: store.admit(pm)) for pm in complete]
        print(
            f"  per file: parse {statistics.median(parse_ms):.1f} ms; admit() of a complete "
            f"document at {args.n} stored: {statistics.median(admit_ms):.0f} ms"
        )
        run = import_run(directory, work, args.import_budget)
        if run["finished"]:
            line(
                f"import {args.n} YAML files",
                f"{run['seconds']:.1f} s",
                "< 30 s",
                run["seconds"] < 30,
                f"outcomes {run.get('outcomes')}, demoted {run.get('demoted')}",
            )
        else:
            done = run["progress"][-1][1] if run["progress"] else 0
            projected = projected_seconds(run["progress"], args.n)
            projection = f"projected {projected / 60:.0f} min" if projected else "no projection"
            line(
                f"import {args.n} YAML files",
                f"stopped at {run['seconds']:.0f} s",
                "< 30 s",
                False,
                f"{done} imported by then; {projection} (fit t = a·k + b·k²)",
            )
            if len(run["progress"]) >= 2:
                (t0, k0), (t1, k1) = run["progress"][0], run["progress"][-1]
                print(
                    f"  rate: {k0 / t0 if t0 else 0:.0f} files/s at first, "
                    f"{(k1 - k0) / (t1 - t0) if t1 > t0 else 0:.1f} files/s on average since"
                )
        print(f"\nreference floor: {statistics.median(reference_save):.2f} ms per durable commit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
