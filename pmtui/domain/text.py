"""Provides the one function that cleans user text on the way in.

Every string that reaches a model passes through :func:`clean_text`, so text from a
YAML file, a paste or another terminal can never carry a terminal escape sequence
(an ``ESC]0;`` that retitles the terminal, an OSC 52 that rewrites the clipboard)
or a bidi override that makes a line read differently from what it stores.
"""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, C1 controls, and the bidi embedding/override/isolate
# characters (U+202A-U+202E, U+2066-U+2069). \r is dropped too: CRLF files become LF.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# A whole ANSI/VT escape sequence (CSI ... final byte, OSC ... BEL/ST, or a two-byte ESC x),
# removed in one piece so that no printable residue such as "[2J" or "]0;title" is left.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, terminated by BEL or ST (or unterminated)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC
    r"|\x1b[@-_]"  # two-byte sequences
)


def clean_text(value: str) -> str:
    """Return ``value`` without escape sequences, control characters or bidi overrides.

    Tabs and newlines are kept; a CRLF line ending becomes LF.
    """
    if not _UNSAFE.search(value):
        return value
    value = value.replace("\r\n", "\n")
    value = _ESCAPE_SEQUENCE.sub("", value)
    return _UNSAFE.sub("", value)


def has_unsafe_characters(value: str) -> bool:
    """True when :func:`clean_text` would change ``value``."""
    return _UNSAFE.search(value) is not None
