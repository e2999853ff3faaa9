"""Provides the domain's exceptions and the one-line wording of validation errors.

A validation error reads ``action_items[2].due: "2026-02-30" is not a calendar date``:
where, what value, what is wrong. Pydantic's own messages are reworded here so that
every screen, the CLI and the importer say the same thing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only named here: the app's first screen paints before pydantic loads
    from pydantic import BaseModel, ValidationError


class PmtuiError(Exception):
    """A problem caused by the user or a file, shown as one line without a traceback."""


class DocumentInvalid(PmtuiError):
    """A document, or a value for one of its fields, did not validate."""

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(self.problems))


def format_path(loc: Iterable[Any]) -> str:
    """``("action_items", 2, "due")`` → ``action_items[2].due``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif str(part).startswith(("function-", "constrained-")):
            continue  # pydantic's internal validator names, not places in the document
        else:
            path += ("." if path else "") + str(part)
    return path


def _show(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _is_model(candidate: Any) -> bool:
    """A pydantic model class (told by its ``model_fields``, without importing pydantic)."""
    fields = getattr(candidate, "model_fields", None)
    return isinstance(candidate, type) and isinstance(fields, dict)


def _known_fields(model: type[BaseModel] | None, loc: Sequence[Any]) -> list[str]:
    """The field names allowed at ``loc``'s parent, for a did-you-mean hint."""
    if model is None:
        return []
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if _is_model(candidate):
                current = candidate
                break
            for inner in getattr(candidate, "__args__", ()):
                if _is_model(inner):
                    current = inner
                    break
    return list(getattr(current, "model_fields", {}))


def describe_error(error: dict[str, Any], model: type[BaseModel] | None = None) -> str:
    """One error from ``ValidationError.errors()`` as a line."""
    loc = [p for p in error.get("loc", ()) if not str(p).startswith(("function-", "constrained-"))]
    path = format_path(loc)
    kind = error.get("type", "")
    value = error.get("input")
    message = error.get("msg", "")
    if kind == "missing":
        text = "field required"
    elif kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        known = _known_fields(model, loc)
        close = difflib.get_close_matches(name, known, n=1)
        text = "unknown field" + (f" (did you mean {close[0]}?)" if close else "")
        if known and not close:
            text += f"; known fields are {', '.join(known)}"
    elif kind == "literal_error":
        text = f"{_show(value)} is not allowed; {message[0].lower() + message[1:]}"
    elif kind in {"bool_type", "bool_parsing"}:
        text = f"{_show(value)} is not yes or no"
    elif kind in {"int_type", "int_parsing", "int_from_float", "float_type", "float_parsing"}:
        text = (
            f"{_show(value)} is not a whole number"
            if "int" in kind
            else f"{_show(value)} is not a number"
        )
    elif kind in {"list_type"}:
        text = f"{_show(value)} is not a list"
    elif kind in {"model_type", "model_attributes_type", "dict_type"}:
        text = f"{_show(value)} is not a mapping of fields"
    elif error.get("ctx") is not None or kind.startswith(("text_", "calendar_", "timestamp")):
        # Our own PydanticCustomError messages already name the value.
        text = message
    else:
        text = f"{_show(value)}: {message[0].lower() + message[1:]}" if message else _show(value)
    # A value error raised in a model validator carries its own path in its message.
    return f"{path}: {text}" if path else text


def describe_validation_error(
    exc: ValidationError, model: type[BaseModel] | None = None
) -> list[str]:
    """Every error of ``exc`` as its own line, in document order."""
    return [describe_error(e, model) for e in exc.errors(include_url=False)]
