"""Provides the checks every importer shares: size cap, text decoding and validation.

A file handed to pmtui is user input. Whatever is wrong with it (too big, not UTF-8,
a field YAML turned into a number) comes back as one :class:`DocumentInvalid` whose
problems read one per line, never as a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pmtui.domain.errors import DocumentInvalid, describe_validation_error
from pmtui.domain.models import Postmortem

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
"""Largest file an importer reads. The article's template is 2 kB; a long postmortem 100 kB."""

_BOM = "\ufeff"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.1f} kB"
    return f"{count} bytes"


def too_large(count: int, source: str) -> DocumentInvalid:
    """The error for a file of ``count`` bytes above :data:`MAX_DOCUMENT_BYTES`."""
    return DocumentInvalid(
        [
            f"the file is {_size(count)}; pmtui imports files up to "
            f"{_size(MAX_DOCUMENT_BYTES)} (is this really a postmortem?)"
        ],
        source,
    )


def decode_document(data: str | bytes, source: str) -> str:
    """Return the text of ``data`` after the size cap; UTF-8 with or without a BOM.

    CRLF line endings become LF. Raises DocumentInvalid for binary or non-UTF-8 data.
    """
    if isinstance(data, str):
        # A character is at least one byte: only measure when the count could be over.
        if len(data) > MAX_DOCUMENT_BYTES:
            raise too_large(len(data.encode("utf-8", "surrogatepass")), source)
        if len(data) * 4 > MAX_DOCUMENT_BYTES:
            size = len(data.encode("utf-8", "surrogatepass"))
            if size > MAX_DOCUMENT_BYTES:
                raise too_large(size, source)
        text = data
    else:
        if len(data) > MAX_DOCUMENT_BYTES:
            raise too_large(len(data), source)
        if b"\x00" in data:
            raise DocumentInvalid(
                ["this is a binary file, not UTF-8 text (it contains NUL bytes)"], source
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DocumentInvalid(
                [
                    f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}); "
                    "save it as UTF-8 and import it again"
                ],
                source,
            ) from None
    if "\x00" in text:
        raise DocumentInvalid(["the text contains NUL characters; it is not a document"], source)
    if text.startswith(_BOM):
        text = text[1:]
    return text.replace("\r\n", "\n")


def read_document_bytes(path: str | Path) -> bytes:
    """Read a file for import, refusing it before reading when it is over the cap."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as handle:
            size = _file_size(handle)
            if size > MAX_DOCUMENT_BYTES:
                raise too_large(size, source)
            # Read one byte past the cap: a file that grew, or a pipe, is still caught.
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except IsADirectoryError:
        raise DocumentInvalid(["this is a directory, not a file"], source) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise DocumentInvalid([f"cannot read the file: {reason}"], source) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise too_large(len(data), source)
    return data


def _file_size(handle: Any) -> int:
    try:
        return os.fstat(handle.fileno()).st_size
    except OSError:
        return 0


LineOf = Callable[[Sequence[Any]], int | None]
"""Maps a pydantic error location to the 1-based line it came from, when known."""


def validate_document(data: Any, source: str, line_of: LineOf | None = None) -> Postmortem:
    """Validate parsed data as a Postmortem; every problem becomes its own line."""
    if data is None:
        raise DocumentInvalid(
            ["the file is empty; a postmortem starts with a line such as id: INC-2026-0114"],
            source,
        )
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else f"the value {data!r:.60}"
        raise DocumentInvalid(
            [
                f"the file holds {found}, not a postmortem; a postmortem is a mapping of "
                "fields such as id:, title: and timeline:"
            ],
            source,
        )
    try:
        return Postmortem.model_validate(data)
    except ValidationError as exc:
        lines = describe_validation_error(exc, Postmortem)
        if line_of is not None:
            errors = exc.errors(include_url=False)
            located = []
            for text, error in zip(lines, errors, strict=True):
                line = line_of(error.get("loc", ()))
                located.append(f"{text} (line {line})" if line else text)
            lines = located
        raise DocumentInvalid(lines, source) from None
    except RecursionError:
        raise DocumentInvalid(["document too deeply nested"], source) from None
