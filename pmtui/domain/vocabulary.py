"""Provides the word lists the rules match against, as plain data that is easy to extend.

Each entry is a literal phrase (a space matches any run of whitespace, matching ignores
case and respects word boundaries, a hyphen counts as part of a word so "just" never
matches "just-in-time") with the suggestion the facilitator is shown. Add a phrase here
and every screen, the CLI and the exports pick it up: :mod:`pmtui.domain.lint` compiles
these lists once, at import.
"""

from __future__ import annotations

from typing import NamedTuple


class Phrase(NamedTuple):
    """A phrase to look for and what to write instead."""

    text: str
    suggestion: str


_DROP = "drop it: the timeline states facts, the timestamp already says when"
_HINDSIGHT = "drop it: what is obvious in hindsight was not obvious at the time"
_LUCK = "drop it: name the defence that helped (add it to what helped)"
_PERSON = "describe the action and the information the person had, not the person"
_HAPPENED = "say what happened instead"

JUDGING: tuple[Phrase, ...] = (
    # The brief's adverbs.
    Phrase("finally", _DROP),
    Phrase("obviously", _HINDSIGHT),
    Phrase("just", _DROP),
    Phrase("simply", _DROP),
    Phrase("clearly", _HINDSIGHT),
    Phrase("unfortunately", _DROP),
    Phrase("luckily", _LUCK),
    # Their close relatives.
    Phrase("fortunately", _LUCK),
    Phrase("thankfully", _LUCK),
    Phrase("of course", _HINDSIGHT),
    Phrase("apparently", "say who observed what, and name the source"),
    Phrase("inexplicably", _HAPPENED),
    Phrase("blindly", _PERSON),
    # The brief's phrases.
    Phrase("lucky guess", "say what the person concluded and from what information"),
    Phrase("should have", "say what happened, not what someone should have done"),
    Phrase("should've", "say what happened, not what someone should have done"),
    Phrase("shouldn't have", "say what happened, not what someone should have done"),
    Phrase("ought to have", "say what happened, not what someone should have done"),
    Phrase("failed to", 'say what happened instead ("did not", "was not")'),
    Phrase("forgot", "say which step the system did not prompt for or check"),
    Phrase("forgotten", "say which step the system did not prompt for or check"),
    Phrase("careless", _PERSON),
    Phrase("carelessly", _PERSON),
    Phrase("human error", "name the system property that made the action possible"),
    # Judgements of a person.
    Phrase("sloppy", _PERSON),
    Phrase("negligent", _PERSON),
    Phrase("negligence", _PERSON),
    Phrase("lazy", _PERSON),
    Phrase("incompetent", _PERSON),
    Phrase("stupid", _PERSON),
    Phrase("reckless", _PERSON),
    Phrase("panicked", _PERSON),
    Phrase("mistakenly", _PERSON),
    Phrase("by mistake", _PERSON),
    Phrase("blunder", _PERSON),
    Phrase("ignored", "say what was seen and what was done at that moment"),
    Phrase("neglected", _PERSON),
)
"""Interpretive or judging words that do not belong in a timeline of facts."""

_SYSTEM = "ask what system property made that action possible, and name it"

BLAME_PHRASES: tuple[Phrase, ...] = (
    Phrase("human error", _SYSTEM),
    Phrase("engineer error", _SYSTEM),
    Phrase("developer error", _SYSTEM),
    Phrase("operator error", _SYSTEM),
    Phrase("user error", _SYSTEM),
    Phrase("pilot error", _SYSTEM),
    Phrase("careless", _SYSTEM),
    Phrase("carelessness", _SYSTEM),
    Phrase("negligence", _SYSTEM),
    Phrase("negligent", _SYSTEM),
    Phrase("incompetence", _SYSTEM),
    Phrase("incompetent", _SYSTEM),
    Phrase("sloppy", _SYSTEM),
    Phrase("lack of attention", _SYSTEM),
    Phrase("not careful enough", _SYSTEM),
    Phrase("should have known", _SYSTEM),
    Phrase("should have been more careful", _SYSTEM),
    Phrase("fault of", _SYSTEM),
)
"""Phrases that stop a why-chain at a person wherever they appear."""

PERSON_WORDS: tuple[str, ...] = (
    "engineer",
    "engineers",
    "developer",
    "developers",
    "dev",
    "programmer",
    "operator",
    "on-call",
    "oncall",
    "on-caller",
    "admin",
    "administrator",
    "reviewer",
    "author",
    "intern",
    "new hire",
    "he",
    "she",
    "someone",
    "somebody",
    "team",
)
"""Words that name a person (or people) as the subject of a blaming verb."""

STRONG_BLAME_VERBS: tuple[str, ...] = (
    "forgot",
    "forgot to",
    "neglected",
    "messed up",
    "screwed up",
    "made a mistake",
    "made an error",
    "was careless",
    "should have known",
    "didn't bother",
    "did not bother",
    "wasn't paying attention",
    "was not paying attention",
    "blundered",
)
"""Verbs that blame whoever is their subject, including a bare name ("Alice forgot")."""

BLAME_VERBS: tuple[str, ...] = (
    *STRONG_BLAME_VERBS,
    "failed to",
    "missed",
    "ignored",
    "overlooked",
    "should have",
    "didn't check",
    "did not check",
    "didn't notice",
    "did not notice",
    "didn't test",
    "did not test",
    "didn't follow",
    "did not follow",
)
"""Verbs that blame a person word ("the engineer missed"), too common to blame any name."""

NAMED_BLAME_VERBS: tuple[str, ...] = (
    *BLAME_VERBS,
    "skipped",
    "dismissed",
    "misread",
    "mistyped",
    "misconfigured",
    "did not",
    "didn't",
    "never checked",
)
"""Verbs that blame a participant by name or an @handle ("Bob ignored the alert"); any
other capitalised word takes only the strong verbs ("Payments failed to respond")."""

NOT_BLAME_AFTER: tuple[str, ...] = ("have", "receive", "get", "got")
"""After "did not", what the system did not give a person ("Ana did not get paged")."""

POSSESSIVE_BLAME: tuple[str, ...] = ("mistake", "fault", "error", "oversight")
"""``<someone>'s mistake``: a possessive that pins the factor on a person."""

POSSESSIVE_COMPOUNDS: tuple[str, ...] = (
    "rate",
    "rates",
    "threshold",
    "thresholds",
    "budget",
    "budgets",
    "count",
    "counts",
    "log",
    "logs",
    "message",
    "messages",
    "code",
    "codes",
    "handling",
    "handler",
    "path",
    "page",
    "pages",
    "spike",
    "signal",
    "metric",
    "metrics",
    "alert",
    "alerts",
    "response",
    "responses",
    "tolerance",
    "domain",
    "injection",
    "detection",
    "reporting",
    "bars",
)
"""Nouns that turn a blame word into a system's setting: "the canary's error threshold"."""

_CHANGE = "vague without a target: name the change and its target (a tool, a threshold, a number)"
_INVESTIGATION = "an investigation is not a change: name the change it should lead to"
_BEHAVIOUR = "this asks people to behave better; change the system property instead"

VAGUE_ACTIONS: tuple[Phrase, ...] = (
    Phrase("improve", _CHANGE),
    Phrase("enhance", _CHANGE),
    Phrase("better", _CHANGE),
    Phrase("more monitoring", _CHANGE),
    Phrase("more alerts", _CHANGE),
    Phrase("more tests", _CHANGE),
    Phrase("more testing", _CHANGE),
    Phrase("strengthen", _CHANGE),
    Phrase("harden", _CHANGE),
    Phrase("ensure", _CHANGE),
    Phrase("make sure", _CHANGE),
    Phrase("revisit", _CHANGE),
    Phrase("monitor closely", _CHANGE),
    Phrase("investigate", _INVESTIGATION),
    Phrase("look into", _INVESTIGATION),
    Phrase("look at", _INVESTIGATION),
    Phrase("explore", _INVESTIGATION),
    Phrase("consider", _INVESTIGATION),
    Phrase("think about", _INVESTIGATION),
    Phrase("figure out", _INVESTIGATION),
    Phrase("discuss", _INVESTIGATION),
    Phrase("follow up", _INVESTIGATION),
)
"""Action phrases that are vague unless the item names a concrete target."""

PERSON_ACTIONS: tuple[Phrase, ...] = (
    Phrase("be more careful", _BEHAVIOUR),
    Phrase("pay more attention", _BEHAVIOUR),
    Phrase("remind", _BEHAVIOUR),
    Phrase("retrain", _BEHAVIOUR),
    Phrase("raise awareness", _BEHAVIOUR),
    Phrase("double-check", _BEHAVIOUR),
    Phrase("double check", _BEHAVIOUR),
)
"""Action phrases that target individual behaviour: vague whatever target they name."""

COLLECTIVE_OWNERS: frozenset[str] = frozenset(
    {
        "team",
        "the team",
        "our team",
        "teams",
        "we",
        "us",
        "everyone",
        "everybody",
        "all",
        "all of us",
        "anyone",
        "anybody",
        "engineering",
        "engineers",
        "developers",
        "devs",
        "ops",
        "management",
    }
)
"""Owners that are a group: nobody in particular will do the work."""

PLACEHOLDER_OWNERS: frozenset[str] = frozenset(
    {
        "tbd",
        "tba",
        "tbc",
        "todo",
        "n/a",
        "na",
        "none",
        "nobody",
        "no one",
        "someone",
        "somebody",
        "unknown",
        "unassigned",
        "owner",
        "?",
        "??",
        "???",
        "-",
        "--",
        "x",
        "xxx",
    }
)
"""Owners that stand in for a name not yet chosen."""

COLLECTIVE_SUFFIXES: frozenset[str] = frozenset({"team", "teams", "squad", "group"})
"""A handle ending in one of these (``payments-team``) is a group; ``payments-team-lead`` is not."""

COLLECTIVE_WORDS: frozenset[str] = frozenset(
    {
        *COLLECTIVE_SUFFIXES,
        "squads",
        "groups",
        "we",
        "everyone",
        "everybody",
        "engineering",
        "engineers",
        "developers",
        "devs",
        "ops",
        "management",
        "folks",
    }
)
"""Words that make an owner a group wherever they appear ("Ana's team", "we (Ana)"),
unless a role word follows ("team lead Ana", "engineering manager")."""

PLACEHOLDER_WORDS: frozenset[str] = frozenset(
    {
        "tbd",
        "tba",
        "tbc",
        "todo",
        "none",
        "nobody",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "whoever",
        "unknown",
        "unassigned",
    }
)
"""Words that make an owner a placeholder wherever they appear ("TBD (alice)")."""

OWNER_ROLE_WORDS: frozenset[str] = frozenset(
    {"lead", "leader", "manager", "head", "captain", "director", "chief", "coordinator"}
)
"""After a group word, a role held by one person: "team lead", "payments-team-lead"."""

ROOT_CAUSE = r"root[\s_-]*caus(?:e|es|ed|ing)"
"""The banned phrase (a regular expression): the section is "contributing factors"."""

TEAM_LEAD_WORDS: tuple[str, ...] = ("team-lead", "team lead", "teamlead", "tech-lead", "tech lead")
"""Roles or handles that make a participant the service's team lead."""

PRODUCT_OWNER_WORDS: tuple[str, ...] = (
    "product-owner",
    "product owner",
    "productowner",
    "po",
    "product-manager",
    "product manager",
)
"""Roles or handles that make a participant a product owner."""
