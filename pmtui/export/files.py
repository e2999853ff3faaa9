"""Provides safe export to files: whitelisted names, paths kept inside the export folder,
atomic writes that never follow a planted symlink and never overwrite unasked.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pmtui.domain.errors import PmtuiError
from pmtui.domain.models import Postmortem
from pmtui.export.yaml_io import dump_postmortem_yaml

MAX_STEM = 100
"""Longest file name stem; with an extension the name stays far below 255 bytes."""

_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in range(10)}
    | {f"LPT{n}" for n in range(10)}
)
_FALLBACK_STEM = "postmortem"


class ExportError(PmtuiError):
    """An export could not be written where it was asked to go."""


class TargetExists(ExportError):
    """The export file exists already and overwriting was not allowed.

    The message names no way to overwrite: each caller knows its own (the CLI's
    ``--force``, the app's "Replace it?" dialog) and says it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} exists already; not replaced")


def _slug(value: str) -> str:
    return _UNSAFE_RUN.sub("_", value.replace("\x00", ""))


def export_filename(ident: str, ext: str) -> str:
    """A safe file name for ``ident``: ``INC-2026-0114`` + ``yaml`` → ``INC-2026-0114.yaml``.

    Only ``A-Z a-z 0-9 . _ -`` survive (other runs become ``_``); no leading dot or
    dash, no trailing dot, at most :data:`MAX_STEM` characters, never a Windows device
    name such as ``CON`` or ``COM1``, never empty.
    """
    stem = _slug(ident).lstrip(".-")[:MAX_STEM].rstrip(". ")
    if not stem.strip("_"):
        stem = _FALLBACK_STEM
    if stem.split(".", 1)[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    suffix = _slug(ext).strip(".")[:16].rstrip(".")
    return f"{stem}.{suffix}" if suffix else stem


def safe_target(base_dir: str | Path, name: str) -> Path:
    """``base_dir / name``, refusing any name that could leave ``base_dir``.

    ``name`` must be one plain path component; the result is checked to resolve
    inside ``base_dir`` and must not be a symbolic link.
    """
    base = Path(base_dir).resolve()
    if (
        not name
        or name in {".", ".."}
        or "\x00" in name
        or "/" in name
        or "\\" in name
        or Path(name).is_absolute()
    ):
        raise ExportError(f"{name!r} is not a plain file name; refusing to export there")
    target = base / name
    if target.is_symlink():
        raise ExportError(f"{target} is a symbolic link; refusing to write through it")
    if not target.resolve().is_relative_to(base):
        raise ExportError(f"{target} is outside {base}; refusing to export there")
    return target


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform/filesystem.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text_atomic(path: str | Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` (UTF-8, line endings as given) to ``path`` all at once.

    A crash leaves the old file or the new one, never a truncated one: the text goes
    to a temporary file in the same directory, is fsynced, then renamed into place.

    Raises:
        TargetExists: ``path`` exists and ``overwrite`` is false.
        ExportError: ``path`` is a symlink or a directory, or the write failed.
    """
    path = Path(path)
    if path.is_symlink():
        raise ExportError(f"{path} is a symbolic link; refusing to write through it")
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise ExportError(f"{path} exists and is not a regular file")
        if not overwrite:
            raise TargetExists(path)
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o644
    directory = path.parent
    temp_name = ""
    try:
        fd, temp_name = tempfile.mkstemp(
            dir=directory, prefix=f".{path.name[:100]}.", suffix=".tmp"
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        if overwrite:
            # rename() replaces whatever is at path, a symlink included, without following it.
            os.replace(temp_name, path)
        else:
            _link_new(Path(temp_name), path)
        temp_name = ""
        _fsync_directory(directory)
    except PmtuiError:
        raise
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if temp_name:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)


def _link_new(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` only if nothing is there, atomically when possible."""
    try:
        os.link(temp, path)  # fails with EEXIST if anything (even a symlink) appeared
    except FileExistsError:
        raise TargetExists(path) from None
    except OSError:
        # Filesystems without hard links: check, then rename (a narrow race remains).
        if os.path.lexists(path):
            raise TargetExists(path) from None
        os.replace(temp, path)
        return
    os.unlink(temp)


def export_all(
    documents: Iterable[Postmortem], directory: str | Path, *, overwrite: bool = True
) -> list[Path]:
    """Write one ``<ID>.yaml`` per postmortem into ``directory``; returns the files written.

    Export is idempotent: a file whose content is already identical is left untouched
    (so a git working tree shows only real changes) and is not in the returned list.
    """
    base = Path(directory)
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {base}: {exc.strerror or exc}") from None
    written: list[Path] = []
    names: dict[str, str] = {}
    for pm in documents:
        name = export_filename(pm.id, "yaml")
        if name in names:
            raise ExportError(f"{pm.id} and {names[name]} would both be written to {name}")
        names[name] = pm.id
        target = safe_target(base, name)
        text = dump_postmortem_yaml(pm)
        if target.is_file():
            with contextlib.suppress(OSError):
                if target.read_bytes() == text.encode("utf-8"):
                    continue
        write_text_atomic(target, text, overwrite=overwrite)
        written.append(target)
    return written
