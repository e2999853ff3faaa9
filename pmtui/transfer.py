"""Provides moving documents between files and the store: import files, export a directory.

Import is per file and all-or-nothing: a file that does not parse or validate writes
nothing and lists every problem. Documents are matched by id, so importing the same
directory twice changes nothing; an id that exists with *different* content is never
overwritten silently — the caller chooses replace, copy or skip.
"""

from __future__ import annotations

import contextlib
import enum
import gc
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmtui.domain.errors import DocumentInvalid, PmtuiError
from pmtui.domain.models import Postmortem
from pmtui.export.files import ExportError, export_filename, safe_target, write_text_atomic
from pmtui.export.yaml_io import read_postmortem_file
from pmtui.store import DuplicatePostmortem, Store

YAML_SUFFIXES = (".yaml", ".yml")
BATCH_SIZE = 200
PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


class ImportOutcome(enum.Enum):
    CREATED = "created"
    REPLACED = "replaced"
    COPIED = "copied"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    CONFLICT = "conflict"
    FAILED = "failed"


@dataclass
class ImportResult:
    source: str
    outcome: ImportOutcome
    ident: str = ""
    problems: list[str] = field(default_factory=list)
    demoted: list[Any] = field(default_factory=list)
    """Findings that kept a document claiming to be complete out of 'complete'."""

    def __str__(self) -> str:
        if self.outcome is ImportOutcome.FAILED:
            if len(self.problems) == 1:
                return f"{self.source}: {self.problems[0]}"
            return f"{self.source}: not imported, {len(self.problems)} problems\n" + "\n".join(
                f"  {p}" for p in self.problems
            )
        if self.outcome is ImportOutcome.CONFLICT:
            return (
                f"{self.source}: {self.ident} exists and differs; not imported "
                "(use --on-existing replace, copy or skip)"
            )
        line = f"{self.source}: {self.ident} {self.outcome.value}"
        if self.demoted:
            line += (
                f" as in-meeting: {len(self.demoted)} finding(s) block completion "
                f"(`pmtui check {self.ident}` lists them)"
            )
        return line


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus the YAML files inside directories (sorted, no hidden ones)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in YAML_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def _same(a: Postmortem, b: Postmortem) -> bool:
    return a.model_dump(mode="json") == b.model_dump(mode="json")


def import_document(
    store: Store,
    pm: Postmortem,
    *,
    on_existing: str,
    source: str,
    before_write: Callable[[], None] | None = None,
) -> ImportResult:
    """Store one parsed document by the id rule; a savepoint when inside a bulk import.

    ``before_write`` runs just before the document is written, and only if it is.
    """
    if not store.exists(pm.id):
        if before_write is not None:
            before_write()
        demoted = store.write_document(pm)
        return ImportResult(source, ImportOutcome.CREATED, pm.id, demoted=demoted)
    if _same(store.load(pm.id), store.admit(pm)[0]):
        return ImportResult(source, ImportOutcome.UNCHANGED, pm.id)
    if on_existing == "replace":
        if before_write is not None:
            before_write()
        demoted = store.write_document(pm, replace=True)
        return ImportResult(source, ImportOutcome.REPLACED, pm.id, demoted=demoted)
    if on_existing == "copy":
        if before_write is not None:
            before_write()
        year = int(pm.id.split("-")[1])
        copy = pm.model_copy(update={"id": store.next_id(pm.kind, year)})
        demoted = store.write_document(copy)
        return ImportResult(source, ImportOutcome.COPIED, copy.id, demoted=demoted)
    if on_existing == "skip":
        return ImportResult(source, ImportOutcome.SKIPPED, pm.id)
    return ImportResult(source, ImportOutcome.CONFLICT, pm.id)


Parsed = tuple[str, Postmortem | None, list[str]]


def _parse(path: Path) -> Parsed:
    """One file → (source, document or None, problems); runs in a worker process too."""
    try:
        return str(path), read_postmortem_file(path), []
    except PmtuiError as exc:
        return str(path), None, getattr(exc, "problems", None) or [str(exc)]


def parse_files(files: Sequence[Path]) -> Iterator[Parsed]:
    """Parse files in order, in one worker process per core.

    Parsing a document (YAML, then validation) costs more than writing it, so the
    writer shares a core with a parser rather than leaving one parser short.
    """
    if len(files) < PARALLEL_FROM:
        yield from map(_parse, files)
        return
    workers = max(1, min(os.cpu_count() or 1, 8))
    with ProcessPoolExecutor(max_workers=workers, initializer=gc.disable) as pool:
        yield from pool.map(_parse, files, chunksize=32)


def import_paths(
    store: Store, paths: Sequence[Path], *, on_existing: str = "error"
) -> list[ImportResult]:
    """Import every YAML file named or found under ``paths``; one result per file.

    Files are written in batches, one transaction per batch with a savepoint per file:
    a file that fails is rolled back alone, and 10,000 files cost a few hundred fsyncs
    instead of 10,000.
    """
    files = collect_files(paths)
    return import_parsed(store, parse_files(files), on_existing=on_existing, bulk=len(files) > 1)


def import_files(
    open_store: Callable[[], AbstractContextManager[Store]],
    paths: Sequence[Path],
    *,
    on_existing: str = "error",
) -> list[ImportResult]:
    """:func:`import_paths`, opening the store only once a file has parsed and validated.

    When every file fails, the database is never opened: a missing one is not created
    and an existing one is not touched.
    """
    files = collect_files(paths)
    parsed = parse_files(files)
    failed: list[Parsed] = []
    for item in parsed:
        if item[1] is None:
            failed.append(item)
            continue
        with open_store() as store:
            return import_parsed(
                store,
                itertools.chain(failed, [item], parsed),
                on_existing=on_existing,
                bulk=len(files) > 1,
            )
    return [
        ImportResult(source, ImportOutcome.FAILED, problems=problems)
        for source, _, problems in failed
    ]


class _BackupFirst(Exception):
    """Raised inside a batch's transaction to take the pre-import backup outside it."""


@dataclass
class _PreImportBackup:
    """A backup taken just before the first document of a bulk import is written.

    SQLite's backup cannot run inside the connection's own write transaction, so the
    first write aborts its batch (nothing in it was written yet), the backup is taken,
    and the batch runs again.
    """

    store: Store
    pending: bool

    def before_write(self) -> None:
        if self.pending:
            raise _BackupFirst

    def take(self) -> None:
        self.store.backup(reason="before-import")
        self.pending = False


def import_parsed(
    store: Store, parsed: Iterable[Parsed], *, on_existing: str, bulk: bool
) -> list[ImportResult]:
    """Write parsed files in batches; back up first when ``bulk`` would change a non-empty store."""
    backup = _PreImportBackup(store, bulk and store.path is not None and store.count() > 0)
    with _no_collection_while(bulk):
        return _import_batches(store, parsed, on_existing, backup)


@contextlib.contextmanager
def _no_collection_while(bulk: bool) -> Iterator[None]:
    """No garbage collection during a bulk import (nor in its parsing workers).

    A parsed document is a tree of a few hundred objects without cycles, freed by
    reference counting once written; the collector would only rescan every live object
    of the process again and again.
    """
    paused = bulk and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _import_batches(
    store: Store, parsed: Iterable[Parsed], on_existing: str, backup: _PreImportBackup
) -> list[ImportResult]:
    results: list[ImportResult] = []
    batch: list[Parsed] = []
    for item in parsed:
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            results += _write_batch(store, batch, on_existing, backup)
            batch = []
    if batch:
        results += _write_batch(store, batch, on_existing, backup)
    return results


def _write_batch(
    store: Store, batch: list[Parsed], on_existing: str, backup: _PreImportBackup
) -> list[ImportResult]:
    def unit() -> list[ImportResult]:
        done = []
        for source, pm, problems in batch:
            if pm is None:
                done.append(ImportResult(source, ImportOutcome.FAILED, problems=problems))
                continue
            try:
                done.append(
                    import_document(
                        store,
                        pm,
                        on_existing=on_existing,
                        source=source,
                        before_write=backup.before_write,
                    )
                )
            except (DocumentInvalid, DuplicatePostmortem) as exc:
                done.append(
                    ImportResult(
                        source,
                        ImportOutcome.FAILED,
                        pm.id,
                        problems=getattr(exc, "problems", None) or [str(exc)],
                    )
                )
        return done

    try:
        return store.write(unit)
    except _BackupFirst:
        backup.take()
        return store.write(unit)


class Exported(enum.Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    KEPT = "exists and differs; not written (use --force)"


def make_export_directory(directory: Path) -> None:
    """Create the export folder (and its parents); a failure is one sentence."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ExportError(f"{directory} exists and is not a folder") from None
    except OSError as exc:
        raise ExportError(f"cannot create {directory}: {exc.strerror or exc}") from None


def export_directory(
    store: Store, directory: Path, *, overwrite: bool, fmt: str = "yaml"
) -> list[tuple[Path, Exported]]:
    """Write every postmortem as ``<ID>.<ext>`` of ``fmt`` in ``directory``; one row per file.

    A file whose content is already identical is left alone (a git working tree shows
    only real changes); one that differs is replaced only with ``overwrite``.
    """
    from pmtui.export.formats import get_format  # not needed by import, nor its workers

    render = get_format(fmt)
    make_export_directory(directory)
    rows = []
    for ident in store.ids():
        text = render.render(store.load(ident))
        target = safe_target(directory, export_filename(ident, render.extension))
        if target.exists():
            if target.read_bytes() == text.encode("utf-8"):
                rows.append((target, Exported.UNCHANGED))
                continue
            if not overwrite:
                rows.append((target, Exported.KEPT))
                continue
        write_text_atomic(target, text, overwrite=overwrite)
        rows.append((target, Exported.WRITTEN))
    return rows
