"""Provides validation of one field's value on its own, as a form does while you type.

The store validates a field-level save with exactly the rules the whole document uses,
and a screen can show the same one-line message before anything is saved.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from pmtui.domain.errors import DocumentInvalid, describe_validation_error


@cache
def _adapter(model: type[BaseModel], field: str) -> TypeAdapter[Any]:
    info = model.model_fields[field]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]  # type: ignore[valid-type]
    return TypeAdapter(annotation)


def validate_value(model: type[BaseModel], field: str, value: Any, path: str = "") -> Any:
    """``value`` validated as ``model.field`` would be; raises DocumentInvalid naming ``path``."""
    if field not in model.model_fields:
        raise DocumentInvalid([f"{path or field}: unknown field"])
    try:
        return _adapter(model, field).validate_python(value)
    except ValidationError as exc:
        problems = [
            p if p.startswith((path or field) + ":") else f"{path or field}: {p}"
            for p in describe_validation_error(exc)
        ]
        raise DocumentInvalid(problems) from None
