"""Provides safe reading and stable, round-tripping writing of postmortem YAML files.

Reading trusts nothing: the size is capped before parsing, the event stream is scanned
for aliases, anchors, unknown tags, extra documents and deep nesting before anything is
built, and duplicate keys are refused instead of silently keeping the last. Writing
keeps the article's key order and block style, quotes every string YAML 1.1 would turn
into something else, and checks that what it wrote reads back as the same document.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pmtui.domain.errors import DocumentInvalid
from pmtui.domain.models import Postmortem
from pmtui.domain.types import WrittenInt
from pmtui.export.documents import decode_document, read_document_bytes, validate_document

MAX_NESTING = 32
"""Deepest nesting accepted; a postmortem needs 5 levels (factors → whys → step)."""

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {"!"} | {
    _CORE + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}
_OPENERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSERS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Refused(yaml.MarkedYAMLError):
    """Something valid YAML that a postmortem file may not contain."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _line(mark: Any) -> str:
    return f" (line {mark.line + 1})" if mark is not None else ""


class _StrictLoader(_Base):  # type: ignore[misc]
    """The safe loader whose composed tree :func:`_build` checks and builds."""


def _construct_plain_text(loader: Any, node: Node) -> Any:
    return loader.construct_scalar(node)


def _construct_written_int(loader: Any, node: Node) -> Any:
    """An int that keeps its literal, so a refusal can say that ``0123`` was read as 83."""
    return WrittenInt(loader.construct_yaml_int(node), node.value)


_StrictLoader.add_constructor(_CORE + "int", _construct_written_int)

# PyYAML resolves a bare "=" (and "<<" outside a key) to tags its safe loader cannot build.
_StrictLoader.add_constructor(_CORE + "value", _construct_plain_text)
_StrictLoader.add_constructor(_CORE + "merge", _construct_plain_text)


def _scan(text: str) -> None:
    """Walk the event stream and refuse what must not be built, before building anything."""
    depth = 0
    documents = 0
    for event in yaml.parse(text, Loader=_StrictLoader):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                f"YAML aliases (*{event.anchor}) are not supported; write the value out in full",
                mark,
            )
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise _Refused(
                f"YAML anchors (&{event.anchor}) are not supported; write the value out in full",
                mark,
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            raise _Refused(f"unsupported YAML tag {_short_tag(tag)}", mark)
        if isinstance(event, _OPENERS):
            depth += 1
            if depth > MAX_NESTING:
                raise _Refused(f"document too deeply nested (over {MAX_NESTING} levels)", mark)
        elif isinstance(event, _CLOSERS):
            depth -= 1
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused("one postmortem per file: a second YAML document starts", mark)


# Characters without which a file cannot hold an anchor, an alias, an explicit tag or a
# second document: most postmortems contain none, and skip the event scan entirely.
_SCAN_TRIGGERS = ("&", "*", "!", "---", "...")


def _build(loader: Any, root: Node) -> Any:
    """Check the composed tree and build its data in one walk.

    Refuses shared nodes (aliases), unknown tags and deep nesting. Composing never
    expands an alias — the bomb is only built by construction — and a node met a second
    time is refused before it is built again. Text, lists and mappings are built here
    directly (most of a postmortem); other scalars go to the loader's constructors, so
    YAML 1.1 numbers, booleans, nulls and timestamps read as PyYAML reads them.
    """
    seen: set[int] = set()
    construct = loader.construct_object

    def build(node: Node, depth: int) -> Any:
        if id(node) in seen:
            raise _Refused(
                "YAML aliases are not supported; write the value out in full", node.start_mark
            )
        seen.add(id(node))
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _TREE_TAGS:
            raise _Refused(f"unsupported YAML tag {_short_tag(tag)}", node.start_mark)
        if isinstance(node, ScalarNode):
            try:
                return construct(node)
            except (ValueError, TypeError, OverflowError) as exc:
                # e.g. an unquoted 2026-02-30 matches YAML's timestamp pattern but is no date.
                problem = f'cannot read "{node.value:.60}": {exc}'
                raise _Refused(
                    f"{problem}; put the value in quotes or correct it", node.start_mark
                ) from None
        if depth >= MAX_NESTING:
            raise _Refused(
                f"document too deeply nested (over {MAX_NESTING} levels)", node.start_mark
            )
        if isinstance(node, SequenceNode):
            return [build(child, depth + 1) for child in node.value]
        if not isinstance(node, MappingNode):
            raise _Refused(f"expected a mapping, found {node.id}", node.start_mark)
        mapping: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                raise _Refused(
                    "merge keys (<<) are not supported; write the fields out", key_node.start_mark
                )
            key = build(key_node, depth + 1)
            if not isinstance(key, str):
                raise _Refused(
                    f"the key {key!r:.60} is not a field name (YAML read it as "
                    f"{type(key).__name__}); put the key in quotes",
                    key_node.start_mark,
                )
            if key in lines:
                raise _Refused(
                    f'duplicate key "{key:.60}" (first at line {lines[key]}); YAML would keep '
                    "only the last one, so keep one and remove the other",
                    key_node.start_mark,
                )
            lines[key] = key_node.start_mark.line + 1
            mapping[key] = build(value_node, depth + 1)
        return mapping

    return build(root, 0)


_STR = _CORE + "str"
_TREE_TAGS = _ALLOWED_TAGS | {_CORE + "value", _CORE + "merge"}


def _describe_yaml_error(exc: yaml.YAMLError, text: str) -> str:
    if isinstance(exc, _Refused):
        return f"{exc.problem}{_line(exc.problem_mark)}"
    if isinstance(exc, ConstructorError):
        problem = exc.problem or "cannot build this value"
        if "could not determine a constructor" in problem:
            tag = problem.split("tag", 1)[-1].strip(" '")
            problem = f"unsupported YAML tag {_short_tag(tag)}"
        return f"{problem}{_line(exc.problem_mark)}"
    if isinstance(exc, yaml.MarkedYAMLError) and "maximum nesting depth" in str(exc.problem):
        return f"document too deeply nested{_line(exc.problem_mark)}"  # libyaml's own limit
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        context = f" ({exc.context})" if exc.context else ""
        return f"YAML syntax error{where}: {exc.problem or 'invalid YAML'}{context}"
    position = getattr(exc, "position", None)
    if isinstance(position, int):  # a ReaderError: a character YAML does not allow
        # libyaml counts bytes of the UTF-8 text; the pure-Python reader counts characters.
        if getattr(exc, "encoding", None) == "unicode":
            line = text.count("\n", 0, position) + 1
        else:
            line = text.encode("utf-8", "surrogatepass")[:position].count(b"\n") + 1
        character = getattr(exc, "character", None)
        code = character if isinstance(character, int) else ord(character or "\0")
        return f"the character U+{code:04X} at line {line} is not allowed in YAML"
    return f"invalid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"


def _line_of(root: Node | None, loc: Sequence[Any]) -> int | None:
    """The line of the YAML node at a pydantic error location (or its nearest parent)."""
    node = root
    for part in loc:
        if isinstance(node, MappingNode) and isinstance(part, str):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                break
            node = match
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
        else:
            break
    return node.start_mark.line + 1 if node is not None else None


def _load_data(text: str) -> tuple[Any, Node | None]:
    """The data of one YAML document and its composed tree (for error lines)."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        return (_build(loader, node) if node is not None else None), node
    finally:
        loader.dispose()


def parse_postmortem_yaml(text: str | bytes, source: str = "<yaml>") -> Postmortem:
    """Parse one postmortem from YAML text or bytes.

    Raises:
        DocumentInvalid: one line per problem, each naming where it is.
    """
    text = decode_document(text, source)
    try:
        if any(trigger in text for trigger in _SCAN_TRIGGERS):
            _scan(text)
        data, node = _load_data(text)
    except yaml.YAMLError as exc:
        raise DocumentInvalid([_describe_yaml_error(exc, text)], source) from None
    except RecursionError:
        raise DocumentInvalid(["document too deeply nested"], source) from None
    return validate_document(data, source, lambda loc: _line_of(node, loc))


def read_postmortem_file(path: str | Path) -> Postmortem:
    """Read one postmortem from a YAML file (size-capped before reading)."""
    return parse_postmortem_yaml(read_document_bytes(path), str(path))


# Writing.


class _Dumper(yaml.SafeDumper):
    """Block style with indented sequences, like the article's template."""

    literal_blocks = True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_OTHER_BREAKS = "\x85\u2028\u2029"  # line breaks to YAML 1.1; only escapes carry them


def _printable(ch: str) -> bool:
    # The characters PyYAML's emitter writes as they are (with allow_unicode).
    return (
        ch == "\n"
        or "\x20" <= ch <= "\x7e"
        or "\xa0" <= ch <= "\ud7ff"
        or ("\ue000" <= ch <= "\ufffd" and ch != "\ufeff")
        or "\U00010000" <= ch < "\U0010ffff"
    )


def _literal_ok(value: str) -> bool:
    """Whether a multi-line string reads back exactly from a ``|`` block."""
    return (
        not value.startswith((" ", "\n"))
        and not value.endswith((" ", "\n\n"))
        and " \n" not in value
        and not any(ch in value for ch in _OTHER_BREAKS)
        and all(_printable(ch) for ch in value)
    )


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value or any(ch in value for ch in _OTHER_BREAKS):
        style = "|" if dumper.literal_blocks and _literal_ok(value) else '"'
    return dumper.represent_scalar(_CORE + "str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _spaced(text: str) -> str:
    """Put a blank line around each multi-line top-level entry, as the article does."""
    entries: list[list[str]] = []
    for line in text.splitlines():
        if line[:1] not in ("", " ") or not entries:
            entries.append([line])
        else:
            entries[-1].append(line)
    out: list[str] = []
    for index, entry in enumerate(entries):
        if index and (len(entry) > 1 or len(entries[index - 1]) > 1):
            out.append("")
        out.extend(entry)
    return "\n".join(out) + "\n"


def _emit(data: dict[str, Any], literal_blocks: bool) -> str:
    dumper = type("_Dumper", (_Dumper,), {"literal_blocks": literal_blocks})
    text = yaml.dump(
        data,
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,
    )
    return _spaced(text)


def _reads_back(text: str, data: dict[str, Any]) -> bool:
    try:
        return bool(_load_data(text)[0] == data)
    except yaml.YAMLError:
        return False


def dump_postmortem_yaml(pm: Postmortem) -> str:
    """The postmortem as YAML: the article's keys in its order, then pmtui's additions."""
    data = pm.model_dump(mode="json")
    text = _emit(data, literal_blocks=True)
    if not _reads_back(text, data):
        # Correctness over looks: a string a | block cannot carry goes double-quoted.
        text = _emit(data, literal_blocks=False)
    return text
