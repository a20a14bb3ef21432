"""Reading YAML safely, keeping the source line of every value.

The text is *composed* with PyYAML's safe loader (nothing is ever constructed from a
tag) and the node graph is walked here into plain dicts, lists and scalars. The walk:

* records ``lines[path] = line`` for every mapping entry (the line of its key) and
  every sequence element, with paths such as ``("evidence", 3, "likelihoods", "direct")``;
* accepts only the standard tags (str, int, float, bool, null, map, seq, timestamp)
  and keeps timestamps as the text written, since dates display as written;
* reports duplicate keys, which PyYAML would silently collapse;
* caps the number of expanded nodes and the nesting depth (alias bombs, recursive
  aliases).

Whatever is rejected becomes :data:`INVALID` in the data, so later checks can skip it
without reporting the same place twice. Every problem is a located
:class:`~analysis.errors.Problem`; nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from analysis.errors import Problem

#: Most nodes a document may expand to (aliases included) and deepest nesting.
MAX_NODES = 200_000
MAX_DEPTH = 64

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
#: Tags the resolver gives to plain ``=`` and ``<<``; as values they are just text.
_TEXT_TAGS = {f"{_YAML}value", f"{_YAML}merge"}
_MAP_TAG = f"{_YAML}map"
_SEQ_TAG = f"{_YAML}seq"

Path_ = tuple[str | int, ...]


class _Invalid:
    """Marks a value already reported as a problem (rejected tag, cut-off alias bomb)."""

    _instance: _Invalid | None = None

    def __new__(cls) -> _Invalid:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@dataclass(frozen=True)
class Document:
    """One parsed YAML file: its plain data, the line of every path, and its problems.

    ``data`` is None for an empty document and :data:`INVALID` when the text could not
    be parsed at all.
    """

    path: str
    data: Any = None
    lines: Mapping[Path_, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def usable(self) -> bool:
        """True when there is data to validate (parsed, not empty)."""
        return self.data is not None and self.data is not INVALID

    def line(self, path: Path_) -> int:
        """The line of ``path``, else of its nearest recorded ancestor (0 if none)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return 0

    def renamed(self, path: str) -> Document:
        """The same document shown under another display path."""
        problems = tuple(replace(p, path=path) for p in self.problems)
        return replace(self, path=path, problems=problems)


def where(path: Path_) -> str:
    """A path as readable text, e.g. ``evidence[3].likelihoods.direct``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    if len(text) > 60:
        text = text[:57] + "..."
    return text or "the top level"


def read_yaml(file: str | Path, display: str) -> Document:
    """Read and parse ``file``; a file that cannot be read becomes a problem."""
    try:
        raw = Path(file).read_bytes()
    except FileNotFoundError:
        return failed_document(display, 0, "file not found")
    except IsADirectoryError:
        return failed_document(display, 0, "is a directory, not a YAML file")
    except OSError as exc:
        return failed_document(display, 0, f"cannot be read ({exc.strerror or exc})")
    return parse_yaml(raw, display)


def parse_yaml(text: str | bytes, display: str) -> Document:
    """Parse one YAML document from ``text`` (bytes must be UTF-8)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = text[: exc.start].count(b"\n") + 1
            byte = text[exc.start : exc.start + 1].hex()
            return failed_document(
                display, line, f"is not UTF-8 text (byte 0x{byte}); save the file as UTF-8"
            )
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else 0
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        return failed_document(
            display,
            line,
            f"contains a character YAML does not allow (U+{code:04X}); remove it",
        )
    except yaml.MarkedYAMLError as exc:
        return failed_document(display, *_syntax_message(exc))
    except yaml.YAMLError as exc:
        return failed_document(display, 0, f"YAML syntax error: {exc}")
    except RecursionError:
        return failed_document(display, 0, "nesting is too deep to read; flatten the document")
    if root is None:
        return Document(display)
    walker = _Walker(display)
    walker.lines[()] = root.start_mark.line + 1
    data = walker.value(root, (), 0)
    return Document(display, data, walker.lines, tuple(walker.problems))


def failed_document(display: str, line: int, message: str) -> Document:
    """A document that could not be read or parsed, carrying the one problem why."""
    return Document(display, INVALID, {}, (Problem(display, line, message),))


def _syntax_message(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 0
    if "single document" in str(exc.context):
        return line, "holds more than one YAML document (a second '---'); keep only one"
    message = f"YAML syntax error: {exc.problem or exc.context or 'cannot be parsed'}"
    if exc.context and exc.problem:
        message += f" ({exc.context}"
        if exc.context_mark is not None and exc.context_mark.line != (mark.line if mark else -1):
            message += f" on line {exc.context_mark.line + 1}"
        message += ")"
    return line, message + "; check the indentation, colons and quotes"


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Walker:
    """Turns a composed node graph into plain data, recording lines and problems."""

    def __init__(self, display: str):
        self.display = display
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.cut_off = False
        self.constructor = yaml.constructor.SafeConstructor()

    def problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.display, node.start_mark.line + 1, message))

    def value(self, node: Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            if not self.cut_off:
                self.cut_off = True
                what = (
                    f"expands to more than {MAX_NODES} values"
                    if self.count > MAX_NODES
                    else f"nests deeper than {MAX_DEPTH} levels"
                )
                self.problem(node, f"the document {what} (at {where(path)}); check its aliases")
            return INVALID
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode) and node.tag == _SEQ_TAG:
            items = []
            for index, child in enumerate(node.value):
                self.lines[(*path, index)] = child.start_mark.line + 1
                items.append(self.value(child, (*path, index), depth + 1))
            return items
        if isinstance(node, MappingNode) and node.tag == _MAP_TAG:
            return self.mapping(node, path, depth)
        return self.reject(node, path)

    def reject(self, node: Node, path: Path_) -> Any:
        self.problem(
            node,
            f"YAML tag {_show_tag(node.tag)} is not allowed (at {where(path)}); "
            "case files hold only plain text, numbers, lists and mappings",
        )
        return INVALID

    def scalar(self, node: ScalarNode, path: Path_) -> Any:
        if node.tag in _TEXT_TAGS or node.tag == f"{_YAML}str":
            return node.value
        if node.tag == f"{_YAML}timestamp":
            return node.value  # dates display exactly as written
        if node.tag not in _SCALAR_TAGS:
            return self.reject(node, path)
        kind = node.tag[len(_YAML) :]
        try:
            return getattr(self.constructor, f"construct_yaml_{kind}")(node)
        except (ValueError, LookupError, TypeError, ArithmeticError):
            self.problem(
                node, f"{node.value!r} cannot be read as !!{kind} (at {where(path)}); fix the value"
            )
            return INVALID

    def mapping(self, node: MappingNode, path: Path_, depth: int) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, path)
            if key is None:
                continue
            line = key_node.start_mark.line + 1
            if key in result:
                first = self.lines.get((*path, key), 0)
                self.problem(
                    key_node,
                    f"key {key!r} appears twice in {where(path)} (first on line {first}); "
                    "YAML would keep only the last one, so remove or rename one of them",
                )
                continue
            self.lines[(*path, key)] = line
            result[key] = self.value(value_node, (*path, key), depth + 1)
        return result

    def key(self, node: Node, path: Path_) -> str | None:
        """A mapping key as the text written, or None (reported) when it is not text."""
        if not isinstance(node, ScalarNode):
            self.problem(node, f"a key in {where(path)} is a list or mapping; keys must be text")
            return None
        if node.tag == f"{_YAML}merge":
            self.problem(
                node, f"merge keys (<<) are not supported (at {where(path)}); write the keys out"
            )
            return None
        if node.tag not in _SCALAR_TAGS and node.tag not in _TEXT_TAGS:
            self.reject(node, path)
            return None
        return node.value
