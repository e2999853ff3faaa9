"""Provides the store's exceptions, each one a sentence a user can act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pmtui.domain.errors import PmtuiError


class StoreError(PmtuiError):
    """Something about the database file or a write to it went wrong."""


class NotAPmtuiDatabase(StoreError):
    """The file exists but is not an SQLite database written by pmtui."""


class CorruptDatabase(StoreError):
    """``PRAGMA quick_check`` failed: the file is never written to."""


class DatabaseTooNew(StoreError):
    """The file was written by a newer pmtui; it is opened read-only."""


class ReadOnlyDatabase(StoreError):
    """A write was attempted on a database opened read-only."""


class NeedsUpgrade(ReadOnlyDatabase):
    """An older schema, opened read-only: it cannot be read until it is migrated."""


class DatabaseBusy(StoreError):
    """Another process held the write lock longer than we were willing to wait."""


class WriteFailed(StoreError):
    """The write could not be made durable (disk full, I/O error); nothing was changed."""


class UnknownPostmortem(StoreError):
    def __init__(self, ident: str) -> None:
        self.ident = ident
        super().__init__(f"no postmortem with id {ident}")


class DuplicatePostmortem(StoreError):
    def __init__(self, ident: str) -> None:
        self.ident = ident
        super().__init__(f"a postmortem with id {ident} already exists")


class DocumentLocked(StoreError):
    """The postmortem is complete or published; reopen it before changing its content."""


class StaleWrite(StoreError):
    """Someone else saved this row first: our edit was not applied.

    ``theirs`` holds the row as it is now in the database (``None`` when the other
    session deleted it), so the caller can show theirs and mine and let the user choose.
    """

    def __init__(
        self,
        what: str,
        expected_version: int,
        current_version: int | None,
        theirs: dict[str, Any] | None,
    ) -> None:
        self.what = what
        self.expected_version = expected_version
        self.current_version = current_version
        self.theirs = theirs
        if theirs is None:
            message = f"{what} was deleted in another session; your edit was not saved"
        else:
            message = (
                f"{what} was changed in another session (version {current_version}, "
                f"you edited version {expected_version}); your edit was not saved"
            )
        super().__init__(message)

    @property
    def deleted(self) -> bool:
        return self.theirs is None


class CompletionRefused(StoreError):
    """``complete()`` found gates or unwaived advisories; the status is unchanged."""

    def __init__(self, ident: str, findings: Sequence[Any]) -> None:
        self.ident = ident
        self.findings = list(findings)
        super().__init__(
            f"{ident} cannot be completed: {len(self.findings)} finding(s) remain "
            "(run `pmtui check` to list them)"
        )
