"""Provides StylesheetCache: the rules Textual parsed for the first frame, kept between runs
beside pmtui's bytecode and read back at the next start.

Textual parses its stylesheets from text at every start: pmtui.tcss and the DEFAULT_CSS of
each widget on the first screen took 23 ms of pmtui's start-up, where the minimal app's
one Static takes 7 ms. Unpickling the parsed rule sets takes 4 ms.

Like bytecode, the cache is derived and cannot go stale: an entry is found under Textual's
own parse key (the CSS text itself, where it was read from, its scope and precedence) and
used only under the theme variables, Textual and Python it was written with. Anything
else (another theme, edited CSS, a file another version wrote, a truncated or foreign
file) is parsed as before, and the file is rewritten at exit. It is written where Python
writes bytecode, and not at all where Python does not (``PYTHONDONTWRITEBYTECODE``).
Reading it unpickles, which can run code, as importing the bytecode beside it does: it is
trusted as that bytecode is.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import textual
from textual.css.stylesheet import Stylesheet

FORMAT = 1
_ParseKey = tuple[Any, ...]
_Entries = dict[_ParseKey, list[Any]]

# The modules whose classes the pickled rules are made of, and Textual's package itself.
_TEXTUAL_MODULES = (
    "__init__.py",
    "color.py",
    "css/model.py",
    "css/parse.py",
    "css/scalar.py",
    "css/styles.py",
    "css/_style_properties.py",
    "css/stylesheet.py",
)


def default_cache_path() -> Path:
    """``pmtui/__pycache__/pmtui.tcss.pickle`` (or its mirror under
    ``PYTHONPYCACHEPREFIX``): beside the bytecode of ``pmtui/__init__.py``."""
    package = Path(__file__).parent
    bytecode = Path(importlib.util.cache_from_source(str(package / "__init__.py")))
    return bytecode.with_name("pmtui.tcss.pickle")


def textual_stamp() -> tuple[tuple[str, int, int], ...] | None:
    """The modification time and size of the Textual modules the rules are made of, as
    bytecode is stamped with its source's: another Textual installed changes them.

    Not ``textual.__version__``: Textual looks that up in the installed packages'
    metadata, 24 ms here, more than the cache saves. None where they cannot be read.
    """
    root = Path(textual.__file__).parent
    try:
        return tuple(
            (name, stat.st_mtime_ns, stat.st_size)
            for name in _TEXTUAL_MODULES
            for stat in ((root / name).stat(),)
        )
    except OSError:
        return None


class StylesheetCache:
    """The parsed rules of one app's start, read before it and written after it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._header: tuple[Any, ...] = ()
        self._loaded: _Entries = {}
        self._first_frame: _Entries = {}

    def seed(self, stylesheet: Stylesheet) -> None:
        """Give ``stylesheet`` the rules stored for its variables; call before it parses."""
        stamp = textual_stamp()
        if stamp is None:
            return  # nothing to tell this Textual from another: no cache
        self._header = (FORMAT, stamp, sys.implementation.cache_tag, dict(stylesheet._variables))
        self._loaded = self._read()
        parsed = stylesheet._parse_cache
        parsed.grow(len(self._loaded))
        for key, rules in self._loaded.items():
            parsed.set(key, rules)

    def note_first_frame(self, stylesheet: Stylesheet) -> None:
        """Remember what was parsed for the first frame: what the next start needs."""
        if not self._header or stylesheet._variables != self._header[-1]:
            return  # not seeded, or the theme changed: not what the next start parses
        parsed = stylesheet._parse_cache
        self._first_frame = {key: parsed.get(key) for key in list(parsed.keys())}

    def save(self, *, force: bool = False) -> bool:
        """Write the stored rules with those of this start's first frame, when that adds
        any. Never raises: the cache only saves time. True when the file was written.

        Not where Python writes no bytecode, unless ``force`` (as ``compileall`` does).
        """
        if (sys.dont_write_bytecode and not force) or not self._first_frame:
            return False
        if self._first_frame.keys() <= self._loaded.keys():
            return False
        entries = {**self._loaded, **self._first_frame}
        temp: str | None = None
        try:
            data = pickle.dumps((self._header, entries), protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tcss-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temp, 0o644)  # readable by whoever can read the bytecode beside it
            os.replace(temp, self.path)  # whole or not at all, even with two apps exiting
            temp = None
        except Exception:  # a cache that cannot be written is a slower next start, no more
            return False
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
        self._loaded = entries
        return True

    def _read(self) -> _Entries:
        try:
            header, entries = pickle.loads(self.path.read_bytes())
        except Exception:  # missing, unreadable, truncated, foreign: parse as without it
            return {}
        if header != self._header or not isinstance(entries, dict):
            return {}
        return {
            key: rules
            for key, rules in entries.items()
            if isinstance(key, tuple) and isinstance(rules, list)
        }


def prime(path: Path | None = None) -> bool:
    """Start the app headless on an empty database to its first frame and write the cache,
    as ``compileall`` writes bytecode: ``make run`` does both before it opens the app."""
    from textual.pilot import Pilot

    from pmtui.app import APP_BUSY_TIMEOUT_S, PmtuiApp
    from pmtui.store import Listing

    async def to_first_frame(pilot: Pilot[int]) -> None:
        await pilot.pause()
        pilot.app.exit()

    cache = StylesheetCache(path or default_cache_path())
    with tempfile.TemporaryDirectory(prefix="pmtui-prime-") as work:
        store = Listing.open(Path(work) / "prime.db", create=True, timeout=APP_BUSY_TIMEOUT_S)
        try:
            # run(), not run_test(): a test app has no tooltips, whose CSS a start parses.
            app = PmtuiApp(store, stylesheet_cache=cache)
            app.run(headless=True, size=(100, 30), auto_pilot=to_first_frame)
        finally:
            store.close()
    return cache.save(force=True)


if __name__ == "__main__":
    prime()  # a cache that cannot be written is not an error: `make run` goes on
