"""Provides the postmortem as JSON, written in a stable order and read back strictly.

The JSON export has the same keys, in the same order, as the YAML export. Reading
refuses what ``json.loads`` would quietly accept: a duplicate key (last one wins),
``NaN`` and ``Infinity`` (not JSON at all).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.models import Postmortem
from pmtui.export.documents import decode_document, read_document_bytes, validate_document


class _Refused(ValueError):
    """A valid-looking JSON construct that a postmortem file may not contain."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(
                f'duplicate key "{key:.60}"; JSON readers keep only the last one, '
                "so keep one and remove the other"
            )
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number; write a finite number or null")


def dump_postmortem_json(pm: Postmortem) -> str:
    """The postmortem as indented JSON in the document's field order, UTF-8 kept as is."""
    return json.dumps(pm.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def parse_postmortem_json(text: str | bytes, source: str = "<json>") -> Postmortem:
    """Parse one postmortem from JSON text or bytes.

    Raises:
        DocumentInvalid: one line per problem.
    """
    text = decode_document(text, source)
    if not text.strip():
        raise DocumentInvalid(["the file is empty; expected a JSON object"], source)
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise DocumentInvalid(
            [f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"], source
        ) from None
    except _Refused as exc:
        raise DocumentInvalid([str(exc)], source) from None
    except RecursionError:
        raise DocumentInvalid(["document too deeply nested"], source) from None
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        raise DocumentInvalid([f"cannot read the JSON: {exc}"], source) from None
    return validate_document(data, source)


def read_postmortem_json_file(path: str | Path) -> Postmortem:
    """Read one postmortem from a JSON file (size-capped before reading)."""
    return parse_postmortem_json(read_document_bytes(path), str(path))
