"""Provides moving documents between files and the store: import files, export a directory.

Import is per file and all-or-nothing: a file that does not parse or validate writes
nothing and lists every problem. Documents are matched by id, so importing the same
directory twice changes nothing; an id that exists with *different* content is never
overwritten silently — the caller chooses replace, copy or skip.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmtui.domain.errors import DocumentInvalid, PmtuiError
from pmtui.domain.models import Postmortem
from pmtui.export.files import export_filename, write_text_atomic
from pmtui.export.yaml_io import dump_postmortem_yaml, read_postmortem_file
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


def import_document(store: Store, pm: Postmortem, *, on_existing: str, source: str) -> ImportResult:
    """Store one parsed document by the id rule; a savepoint when inside a bulk import."""
    if not store.exists(pm.id):
        demoted = store.write_document(pm)
        return ImportResult(source, ImportOutcome.CREATED, pm.id, demoted=demoted)
    if _same(store.load(pm.id), store.admit(pm)[0]):
        return ImportResult(source, ImportOutcome.UNCHANGED, pm.id)
    if on_existing == "replace":
        demoted = store.write_document(pm, replace=True)
        return ImportResult(source, ImportOutcome.REPLACED, pm.id, demoted=demoted)
    if on_existing == "copy":
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
    """Parse files in order, in worker processes on every core but one.

    The remaining core is the writer's: writing a document costs about as much as
    parsing one, so one more parser would only take turns with the writer.
    """
    if len(files) < PARALLEL_FROM:
        yield from map(_parse, files)
        return
    workers = max(1, min((os.cpu_count() or 1) - 1, 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
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
    if len(files) > 1 and store.path is not None and store.count():
        store.backup(reason="before-import")
    results: list[ImportResult] = []
    batch: list[Parsed] = []
    for parsed in parse_files(files):
        batch.append(parsed)
        if len(batch) >= BATCH_SIZE:
            results += _write_batch(store, batch, on_existing)
            batch = []
    if batch:
        results += _write_batch(store, batch, on_existing)
    return results


def _write_batch(store: Store, batch: list[Parsed], on_existing: str) -> list[ImportResult]:
    def unit() -> list[ImportResult]:
        done = []
        for source, pm, problems in batch:
            if pm is None:
                done.append(ImportResult(source, ImportOutcome.FAILED, problems=problems))
                continue
            try:
                done.append(import_document(store, pm, on_existing=on_existing, source=source))
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

    return store.write(unit)


def export_directory(store: Store, directory: Path, *, overwrite: bool) -> list[str]:
    """Write every postmortem as ``<ID>.yaml`` in ``directory``; report one line per file."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = []
    for ident in store.ids():
        text = dump_postmortem_yaml(store.load(ident))
        target = directory / export_filename(ident, "yaml")
        if target.exists() and not target.is_symlink():
            if target.read_text(encoding="utf-8") == text:
                lines.append(f"{target}: unchanged")
                continue
            if not overwrite:
                lines.append(f"{target}: exists and differs; not written (use --force)")
                continue
        write_text_atomic(target, text, overwrite=overwrite)
        lines.append(f"{target}: written")
    return lines
