"""Provides text-level checks: judging words, blame, vague actions, owners and "root cause".

These run on one string at a time, so the UI can call them as the user types and the
advisories can call them over a whole document. Every match returns its exact span in
the original string. Quoted text (``"…"``, ``“…”``, ``‘…’``, ```…```, and ``'…'`` when
the quotes are not apostrophes) is someone else's words, such as a log line, and is
never judged; only the "root cause" ban reads inside quotes, because it applies anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from pmtui.domain.vocabulary import (
    BLAME_PHRASES,
    BLAME_VERBS,
    COLLECTIVE_OWNERS,
    COLLECTIVE_WORDS,
    JUDGING,
    NAMED_BLAME_VERBS,
    NOT_BLAME_AFTER,
    OWNER_ROLE_WORDS,
    PERSON_ACTIONS,
    PERSON_WORDS,
    PLACEHOLDER_OWNERS,
    PLACEHOLDER_WORDS,
    POSSESSIVE_BLAME,
    POSSESSIVE_COMPOUNDS,
    ROOT_CAUSE,
    STRONG_BLAME_VERBS,
    VAGUE_ACTIONS,
    Phrase,
)


class Span(NamedTuple):
    """A match in a string: ``text[start:end]`` is ``phrase`` as written."""

    start: int
    end: int
    phrase: str
    suggestion: str


# A hyphen belongs to the word: "just-in-time" is not "just", "on-call" is one word.
_START = r"(?<![\w-])"
_END = r"(?![\w-])"


def _literal(text: str) -> str:
    """A phrase as a regex: spaces match any whitespace, an apostrophe either kind."""
    parts = [re.escape(word) for word in text.split()]
    return r"\s+".join(parts).replace("'", "['’]")


def _alternation(phrases: Iterable[str]) -> str:
    # Longest first, so "forgot to" wins over "forgot" and spans cover the whole phrase.
    return "|".join(_literal(p) for p in sorted(set(phrases), key=len, reverse=True))


# Prefilter: a phrase can match only where each of its words is a token of the text, so
# set lookups skip the costly patterns for most strings (check() must stay under 1 ms).
# Tokens split where the patterns' word boundaries do; a property test holds them equal.
_TOKEN = re.compile(r"[\w-]+")


def _tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower()))


class _Prefilter:
    """Whether a string can contain one of ``phrases``: every word of one must be a token.

    Indexed by each phrase's longest word, so the usual string costs one set
    intersection.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        by_trigger: dict[str, list[frozenset[str]]] = {}
        for phrase in phrases:
            words = _TOKEN.findall(phrase.lower())
            by_trigger.setdefault(max(words, key=len), []).append(frozenset(words))
        self._by_trigger = by_trigger
        self._triggers = frozenset(by_trigger)

    @property
    def triggers(self) -> frozenset[str]:
        return self._triggers

    def may_match(self, tokens: set[str]) -> bool:
        if self._triggers.isdisjoint(tokens):
            return False
        return any(
            words <= tokens
            for trigger in self._triggers.intersection(tokens)
            for words in self._by_trigger[trigger]
        )


def _phrase_pattern(phrases: Iterable[Phrase]) -> tuple[re.Pattern[str], dict[str, str]]:
    entries = list(phrases)
    pattern = re.compile(
        _START + "(?:" + _alternation(p.text for p in entries) + ")" + _END, re.IGNORECASE
    )
    suggestions = {_key(p.text): p.suggestion for p in entries}
    return pattern, suggestions


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


_JUDGING, _JUDGING_SUGGESTIONS = _phrase_pattern(JUDGING)
_BLAME, _BLAME_SUGGESTIONS = _phrase_pattern(BLAME_PHRASES)
_VAGUE, _VAGUE_SUGGESTIONS = _phrase_pattern(VAGUE_ACTIONS)
_PERSON_ACTION, _PERSON_ACTION_SUGGESTIONS = _phrase_pattern(PERSON_ACTIONS)

_JUDGING_FILTER = _Prefilter(p.text for p in JUDGING)
_BLAME_FILTER = _Prefilter(p.text for p in BLAME_PHRASES)
_VERB_FILTER = _Prefilter(BLAME_VERBS)
_STRONG_FILTER = _Prefilter(STRONG_BLAME_VERBS)
_NAMED_FILTER = _Prefilter(NAMED_BLAME_VERBS)
_POSSESSIVE_FILTER = _Prefilter(f"s {word}" for word in POSSESSIVE_BLAME)
_VAGUE_FILTER = _Prefilter(p.text for p in (*VAGUE_ACTIONS, *PERSON_ACTIONS))
_BLAME_FILTERS = (_BLAME_FILTER, _VERB_FILTER, _STRONG_FILTER, _NAMED_FILTER, _POSSESSIVE_FILTER)
_ANY_BLAME = (
    _BLAME_FILTER.triggers
    | _VERB_FILTER.triggers
    | _STRONG_FILTER.triggers
    | _NAMED_FILTER.triggers
    | _POSSESSIVE_FILTER.triggers
)

_SYSTEM_QUESTION = "ask what system property made that action possible, and name it"
_PERSON_BLAME = re.compile(
    _START
    + "(?:"
    + _alternation(PERSON_WORDS)
    + r")\s+(?:"
    + _alternation(BLAME_VERBS)
    + ")"
    + _END,
    re.IGNORECASE,
)
# A bare name only with the strong verbs, and only when it looks like a name: an @handle
# or a capitalised word ("Alice forgot"); "Monitoring missed the spike" stays silent.
_NAME_BLAME = re.compile(
    r"(?<![\w@-])(?:@[\w.-]+|[A-Z][a-z]+)\s+(?i:" + _alternation(STRONG_BLAME_VERBS) + ")" + _END
)
# A participant by name, or any @handle, with the common verbs too ("Bob missed the alert").
_NAMED_VERBS = (
    r"\s+(?:"
    + _alternation(NAMED_BLAME_VERBS)
    + ")"
    + _END
    + r"(?!\s+(?:"
    + "|".join(NOT_BLAME_AFTER)
    + r")\b)"
)
_HANDLE_NAME = r"@[\w.-]*\w"


_ROLE_WORDS = (
    OWNER_ROLE_WORDS
    | COLLECTIVE_WORDS
    | frozenset(PERSON_WORDS)
    | frozenset({"owner", "product", "oncall", "sre", "service", "system"})
)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _name_forms(people: Iterable[str]) -> tuple[str, ...]:
    """How the text may name each person: "Alice Smith" as written and as "Alice"."""
    forms: set[str] = set()
    for person in people:
        name = " ".join(person.split()).lstrip("@").lower()
        if len(name) < 2 or not any(c.isalpha() for c in name):
            continue
        forms.add(name)
        words = name.split(" ")
        # A first name alone, but not the first word of a role ("Payments Lead").
        if (
            len(words) > 1
            and len(words[0]) > 1
            and _ROLE_WORDS.isdisjoint(words)
            and all(_NAME_WORD.fullmatch(word) for word in words)
        ):
            forms.add(words[0])
    return tuple(sorted(forms))


@lru_cache(maxsize=64)
def _named_blame(forms: tuple[str, ...]) -> re.Pattern[str]:
    names = [_HANDLE_NAME, *(_literal(f) for f in sorted(forms, key=len, reverse=True))]
    return re.compile(r"(?<![\w@-])(?:" + "|".join(names) + ")" + _NAMED_VERBS, re.IGNORECASE)


# "the canary's error threshold" names a system's setting, not a person's mistake: the
# blame word must not be the first half of a compound noun.
_COMPOUND = r"(?!\s+(?:" + "|".join(POSSESSIVE_COMPOUNDS) + r")\b)"
_POSSESSIVE = re.compile(
    r"(?<![\w-])[\w.@-]+['’]s\s+(?:" + _alternation(POSSESSIVE_BLAME) + ")" + _END + _COMPOUND,
    re.IGNORECASE,
)

_ROOT_CAUSE = re.compile(r"(?<![\w])" + ROOT_CAUSE + r"(?![\w])", re.IGNORECASE)

_QUOTE_CHARS = frozenset("\"`“‘'")
_QUOTED = re.compile(
    r'"[^"\n]*"'
    r"|“[^”\n]*”"
    r"|‘[^’\n]*’"
    r"|`[^`\n]*`"
    # A single-quoted passage opens after a non-word character and closes before one;
    # an apostrophe inside a word ("didn't", "team's") is neither.
    r"|(?<![\w'])'(?=\S)[^'\n]*?(?<=[^\s'])'(?![\w])"
)


def mask_quoted(text: str) -> str:
    """``text`` with every quoted passage replaced by spaces of the same length."""
    if _QUOTE_CHARS.isdisjoint(text):
        return text
    return _QUOTED.sub(lambda m: " " * (m.end() - m.start()), text)


def _spans(
    pattern: re.Pattern[str], text: str, suggestions: dict[str, str], default: str = ""
) -> list[Span]:
    return [
        Span(m.start(), m.end(), text[m.start() : m.end()], suggestions.get(_key(m[0]), default))
        for m in pattern.finditer(text)
    ]


def could_judge(text: str) -> bool:
    """False when :func:`judging_spans` is sure to find nothing (a cheap test for many texts)."""
    return _JUDGING_FILTER.may_match(_tokens(text))


def could_blame(text: str) -> bool:
    """False when :func:`blame_spans` is sure to find nothing (a cheap test for many texts)."""
    tokens = _tokens(text)
    return any(f.may_match(tokens) for f in _BLAME_FILTERS)


def judging_spans(text: str) -> list[Span]:
    """Interpretive or judging words in ``text`` (outside quotes), in order."""
    if not text or not _JUDGING_FILTER.may_match(_tokens(text)):
        return []
    return _spans(_JUDGING, mask_quoted(text), _JUDGING_SUGGESTIONS)


def blame_spans(text: str, people: Iterable[str] = ()) -> list[Span]:
    """Places where ``text`` stops at a person rather than a system property.

    Args:
        text: a factor's description or a why-answer.
        people: the document's participants. Named, they are blamed by the common
            verbs too ("Bob ignored the alert"), as any @handle is; any other
            capitalised word only by the strong ones ("Alice forgot"), so that
            "Payments failed to respond" stays a system's doing.
    """
    if not text:
        return []
    tokens = _tokens(text)
    if _ANY_BLAME.isdisjoint(tokens):
        return []
    patterns = [
        (pattern, suggestions)
        for pattern, prefilter, suggestions in (
            (_BLAME, _BLAME_FILTER, _BLAME_SUGGESTIONS),
            (_PERSON_BLAME, _VERB_FILTER, None),
            (_NAME_BLAME, _STRONG_FILTER, None),
            (_POSSESSIVE, _POSSESSIVE_FILTER, None),
        )
        if prefilter.may_match(tokens)
    ]
    if _NAMED_FILTER.may_match(tokens):
        forms = _name_forms(people)
        if forms or "@" in text:
            patterns.append((_named_blame(forms), None))
    if not patterns:
        return []
    masked = mask_quoted(text)
    found: list[Span] = []
    for pattern, suggestions in patterns:
        found.extend(_spans(pattern, masked, suggestions or {}, _SYSTEM_QUESTION))
    found.sort(key=lambda span: (span.start, -span.end))
    # Keep the first of overlapping matches, the longest where two start together
    # ("Alice forgot to" over "Alice forgot", "engineer error" over "error").
    kept: list[Span] = []
    for span in found:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def root_cause_spans(text: str) -> list[Span]:
    """Every "root cause" in ``text``, quoted or not, in any case or spelling."""
    if not text or "oot" not in text.lower():
        return []
    return [
        Span(m.start(), m.end(), m[0], 'write "contributing factor" instead')
        for m in _ROOT_CAUSE.finditer(text)
    ]


_CONCRETE = re.compile(r"\d|`|\"|“|https?://|\bfrom\b.+\bto\b", re.IGNORECASE)


def vague_span(text: str) -> Span | None:
    """Where the action ``text`` is vague (the phrase's exact span), or None.

    Phrases that target individual behaviour ("be more careful") are always vague.
    Other vague phrases ("improve monitoring", "investigate") are fine when the item
    also names a concrete target: a number, a quoted or backticked name, a link, or a
    "from … to …" change.
    """
    if not text.strip() or not _VAGUE_FILTER.may_match(_tokens(text)):
        return None
    match = _PERSON_ACTION.search(text)
    if match:
        return Span(
            match.start(), match.end(), match[0], _PERSON_ACTION_SUGGESTIONS[_key(match[0])]
        )
    match = _VAGUE.search(mask_quoted(text))
    if match and not _CONCRETE.search(text):
        phrase = text[match.start() : match.end()]
        return Span(match.start(), match.end(), phrase, _VAGUE_SUGGESTIONS[_key(phrase)])
    return None


def vague_action(text: str) -> str | None:
    """Why the action ``text`` is vague, or None when it names a concrete change.

    See :func:`vague_span` for the phrase and where it is.
    """
    span = vague_span(text)
    return None if span is None else f'"{span.phrase}": {span.suggestion}'


_OWNER_SEPARATORS = re.compile(r"\s*(?:[,;/&+]|\band\b|\bor\b)\s*", re.IGNORECASE)
_OWNER_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_HANDLE = re.compile(r"(?<![\w])@[\w.-]+")


def _squashed(text: str) -> str:
    """Letters and digits only, lower case: "TBD.", "(tbd)" and "t.b.d" all read "tbd"."""
    return "".join(_OWNER_WORD.findall(text.lower())).replace("'", "")


_PLACEHOLDERS = frozenset(_squashed(p) for p in PLACEHOLDER_OWNERS)
_COLLECTIVES = frozenset(" ".join(_OWNER_WORD.findall(c)) for c in COLLECTIVE_OWNERS)
_ROLE_NEXT = [[word] for word in OWNER_ROLE_WORDS]


def owner_problem(owner: str) -> str | None:
    """Why ``owner`` is not exactly one person, or None when it is.

    Case and punctuation do not matter ("TBD.", "(tbd)"). A placeholder word anywhere
    ("TBD (alice)", "unassigned") or a group word anywhere ("we", "the team (ana)",
    "payments-team", "Ana's squad") fails, except a group word followed by a role
    ("team lead Ana", "payments-team-lead", "engineering manager"): a role is held by
    one person. Two names ("alice and bob", "alice, bob", "alice/bob", "@a @b") fail.
    A full name ("Alice Smith") and a role handle are one owner.
    """
    text = " ".join(owner.split())
    if not text:
        return "no owner: name the one person who will make this change"
    lowered = text.lower()
    words = _OWNER_WORD.findall(lowered)  # a handle's parts too: "payments-team" is 2
    placeholder = next((w for w in words if w in PLACEHOLDER_WORDS), None)
    if _squashed(lowered) in _PLACEHOLDERS or placeholder is not None:
        said = f' ("{placeholder}")' if placeholder and placeholder != _squashed(lowered) else ""
        return f'"{text}" is a placeholder{said}: name the one person who will make this change'
    group = next(
        (
            (i, w)
            for i, w in enumerate(words)
            if w in COLLECTIVE_WORDS and words[i + 1 : i + 2] not in _ROLE_NEXT
        ),
        None,
    )
    # "payments-team", "payments team": the whole owner is the group's name.
    whole = group is not None and group[0] == len(words) - 1 and len(text.split()) <= 2
    if " ".join(words) in _COLLECTIVES or whole:
        return (
            f'"{text}" is a group, and a group owns nothing: name one person '
            "(or record a deferral if nobody will own it)"
        )
    if group is not None:
        return (
            f'"{text}" names a group ("{group[1]}"), and a group owns nothing: keep only the '
            "name of the one person who will make this change"
        )
    if len(_HANDLE.findall(text)) > 1:
        return f'"{text}" names more than one owner: keep exactly one'
    parts = [part for part in _OWNER_SEPARATORS.split(text) if _OWNER_WORD.search(part)]
    if not parts:  # only separators: "and", "/"
        return f'"{text}" is a placeholder: name the one person who will make this change'
    if len(parts) > 1:
        return f'"{text}" names more than one owner: keep exactly one'
    return None
