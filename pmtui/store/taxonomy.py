"""Provides the failure-class taxonomy: describe, rename, merge, suggest — across all postmortems.

A failure class is only useful when one name means one thing: ``n+1-query`` and
``n-plus-one`` split the history that recurrence looks for. A rename or a merge
therefore rewrites the tag on every postmortem that carries it, in one transaction,
complete and published ones included: it changes the knowledge base's vocabulary, not
what the postmortem says. Each touched postmortem's revision is bumped (so a meeting
open in another terminal reloads) and its full-text row refreshed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.fields import validate_value
from pmtui.domain.models import Postmortem
from pmtui.domain.text import clean_text
from pmtui.store.edits import EditsMixin
from pmtui.store.errors import StoreError

DESCRIPTION_LIMIT = 200
_SQUASH = re.compile(r"[^a-z0-9+]+")
_NUMBER_WORDS = {"zero": "0", "one": "1", "two": "2", "three": "3", "plus": "+"}
_NUMBER_WORD = re.compile("|".join(_NUMBER_WORDS))


class UnknownFailureClass(StoreError):
    """A slug that no postmortem and no taxonomy entry uses."""

    def __init__(self, slug: str) -> None:
        super().__init__(f'no failure class "{slug}"')
        self.slug = slug


class NothingChanged(StoreError):
    """A rename or merge that would leave every postmortem as it is (same name)."""


@dataclass(frozen=True)
class FailureClass:
    slug: str
    description: str
    count: int
    """How many postmortems carry it."""


def normalise_slug(text: str) -> str:
    """``text`` as a slug, the way a postmortem's failure_classes would store it."""
    return validate_value(Postmortem, "failure_classes", [text], "failure class")[0]


def one_line_description(text: str) -> str:
    """A description as the taxonomy keeps it: one line, no control characters, bounded."""
    flat = " ".join(clean_text(text).split())
    if len(flat) > DESCRIPTION_LIMIT:
        raise DocumentInvalid(
            [f"description: at most {DESCRIPTION_LIMIT} characters (this one has {len(flat)})"]
        )
    return flat


def _squashed(slug: str) -> str:
    """``n-plus-one`` and ``n+1`` alike: numbers as digits, letters and digits only."""
    spelled = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(0)], slug.lower())
    return _SQUASH.sub("", spelled)


class TaxonomyMixin(EditsMixin):
    # ---- reading -------------------------------------------------------------------

    def failure_classes(self) -> list[FailureClass]:
        """Every class with its description and count, most used first."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT f.slug, f.description, count(c.postmortem_id) FROM failure_classes f "
                "LEFT JOIN postmortem_failure_classes c ON c.failure_class = f.slug "
                "GROUP BY f.slug ORDER BY count(c.postmortem_id) DESC, f.slug"
            ).fetchall()
        return [FailureClass(*row) for row in rows]

    def failure_class(self, slug: str) -> FailureClass | None:
        return next((c for c in self.failure_classes() if c.slug == slug), None)

    def suggest_classes(self, typed: str, limit: int = 8) -> list[FailureClass]:
        """Existing classes for what is being typed: prefix matches first, then look-alikes.

        Look-alikes catch ``n-plus-one`` when ``n+1-query`` exists, so a second name for
        the same thing is offered the first one instead.
        """
        text = clean_text(typed).strip().lower()
        known = self.failure_classes()
        if not text:
            return known[:limit]
        squashed = _squashed(text)
        prefix = [c for c in known if c.slug.startswith(text)]
        inside = [c for c in known if c not in prefix and text in c.slug]
        close_slugs = set(
            difflib.get_close_matches(text, [c.slug for c in known], n=limit, cutoff=0.6)
        )
        alike = [
            c
            for c in known
            if c not in prefix
            and c not in inside
            and (
                c.slug in close_slugs
                or (squashed and _squashed(c.slug).startswith(squashed))
                or text in c.description.lower()
            )
        ]
        return (prefix + inside + alike)[:limit]

    # ---- writing -------------------------------------------------------------------

    def describe_class(self, slug: str, description: str) -> FailureClass:
        """Set (or create) a class's one-line description."""
        value = normalise_slug(slug)
        text = one_line_description(description)

        def unit() -> None:
            self.conn.execute(
                "INSERT INTO failure_classes (slug, description) VALUES (?, ?) "
                "ON CONFLICT (slug) DO UPDATE SET description = excluded.description",
                [value, text],
            )

        self.write(unit)
        found = self.failure_class(value)
        assert found is not None
        return found

    def rename_class(self, old: str, new: str) -> int:
        """Rename a class everywhere; refuse a name already taken (merge it instead).

        Returns how many postmortems were changed.

        Raises:
            UnknownFailureClass: no class is named ``old``.
            NothingChanged: ``new`` is ``old`` once written as a slug.
        """
        source, target = old.strip(), normalise_slug(new)

        def unit() -> int:
            if not self._class_exists(source):
                raise UnknownFailureClass(source)
            if source == target:
                raise NothingChanged(f"already named {target}; nothing changed")
            if self._class_exists(target):
                raise DocumentInvalid(
                    [f'"{target}" already exists: merge "{source}" into it instead of renaming']
                )
            return self._merge_in_tx([source], target)

        return self.write(unit)

    def merge_classes(self, sources: Sequence[str], into: str) -> int:
        """Fold every class in ``sources`` into ``into`` on every postmortem, in one transaction.

        A postmortem tagged with both keeps ``into`` once, at the earlier position. The
        merged classes leave the taxonomy; ``into`` keeps its description (or takes the
        first source's when it had none). Returns how many postmortems were changed.

        Raises:
            UnknownFailureClass: a class in ``sources`` does not exist.
            NothingChanged: every source is ``into`` once written as a slug.
        """
        target = normalise_slug(into)
        named = [s.strip() for s in dict.fromkeys(sources) if s.strip()]
        if not named:
            return 0
        merged = [s for s in named if s != target]

        def unit() -> int:
            for source in named:
                if not self._class_exists(source):
                    raise UnknownFailureClass(source)
            if not merged:
                raise NothingChanged(f"cannot merge {target} into itself; nothing changed")
            return self._merge_in_tx(merged, target)

        return self.write(unit)

    def _class_exists(self, slug: str) -> bool:
        return bool(
            self.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM failure_classes WHERE slug = ?) "
                "OR EXISTS (SELECT 1 FROM postmortem_failure_classes WHERE failure_class = ?)",
                [slug, slug],
            ).fetchone()[0]
        )

    def _merge_in_tx(self, sources: list[str], target: str) -> int:
        for source in sources:
            if not self._class_exists(source):
                raise UnknownFailureClass(source)
        marks = ",".join("?" * len(sources))
        touched = [
            row[0]
            for row in self.conn.execute(
                "SELECT DISTINCT postmortem_id FROM postmortem_failure_classes "
                f"WHERE failure_class IN ({marks}) ORDER BY postmortem_id",
                sources,
            )
        ]
        described = self.conn.execute(
            f"SELECT description FROM failure_classes WHERE slug IN ({marks}) "
            "AND description != '' ORDER BY slug LIMIT 1",
            sources,
        ).fetchone()
        self.conn.execute(
            "INSERT INTO failure_classes (slug, description) VALUES (?, ?) "
            "ON CONFLICT (slug) DO UPDATE SET description = CASE WHEN description = '' "
            "THEN excluded.description ELSE description END",
            [target, described[0] if described else ""],
        )
        for ident in touched:
            rows = self.conn.execute(
                "SELECT failure_class, position FROM postmortem_failure_classes "
                "WHERE postmortem_id = ? ORDER BY position",
                [ident],
            ).fetchall()
            # The first of the merged names (or the target itself) keeps its place.
            first = next(pos for slug, pos in rows if slug in sources or slug == target)
            self.conn.execute(
                f"DELETE FROM postmortem_failure_classes WHERE postmortem_id = ? "
                f"AND (failure_class IN ({marks}) OR failure_class = ?)",
                [ident, *sources, target],
            )
            self.conn.execute(
                "INSERT INTO postmortem_failure_classes (postmortem_id, failure_class, position) "
                "VALUES (?, ?, ?)",
                [ident, target, first],
            )
            self._touch(ident)
        self.conn.execute(f"DELETE FROM failure_classes WHERE slug IN ({marks})", sources)
        return len(touched)

    def similar_classes(self, slug: str) -> list[str]:
        """Existing slugs that look like another name for ``slug`` (never ``slug`` itself)."""
        text = slug.strip().lower()
        squashed = _squashed(text)
        known = [c.slug for c in self.failure_classes() if c.slug != text]
        close = difflib.get_close_matches(text, known, n=5, cutoff=0.75)
        same = [
            s
            for s in known
            if len(squashed) >= 3
            and (_squashed(s).startswith(squashed) or squashed.startswith(_squashed(s)))
        ]
        return list(dict.fromkeys(same + close))
