"""Reading YAML safely, keeping the source line of every value.

The text is *parsed* into events by libyaml's C parser (PyYAML's own parser where
libyaml is missing; nothing is ever constructed from a tag) and the events are built
here into plain dicts, lists and scalars, iteratively, so no nesting depth can exhaust
a stack. The limits of :mod:`analysis.casefile.limits` hold: a file over its byte limit
is refused before it is read or parsed, a list past its entry limit stops the reading.
The build:

* records ``lines[path] = line`` for every mapping entry (the line of its key) and
  every sequence element, with paths such as ``("evidence", 3, "likelihoods", "direct")``;
* accepts only the standard tags (str, int, float, bool, null, map, seq, timestamp)
  and keeps timestamps as the text written, since dates display as written;
* reports duplicate keys, which PyYAML would silently collapse;
* caps the number of expanded nodes and the nesting depth (alias bombs, recursive
  aliases, ``[[[[...]]]]``), and the entries of each top-level list.

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
from yaml.nodes import ScalarNode

from analysis.casefile import limits
from analysis.casefile.limits import MAX_DEPTH, MAX_ENTRIES, MAX_NODES, entries_problem
from analysis.errors import Problem

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
#: Tags the resolver gives to plain ``=`` and ``<<``; as values they are just text.
_TEXT_TAGS = {f"{_YAML}value", f"{_YAML}merge"}
_MAP_TAG = f"{_YAML}map"
_SEQ_TAG = f"{_YAML}seq"
_STR_TAG = f"{_YAML}str"
_TIMESTAMP_TAG = f"{_YAML}timestamp"
#: libyaml's C parser when PyYAML was built with it (events only: PyYAML's C composer
#: recurses in C and would crash on deep nesting), else PyYAML's own
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_START_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_END_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_IGNORED_EVENTS = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)

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
        too_big = limits.size_problem(Path(file).stat().st_size)
        if too_big:
            return failed_document(display, 1, too_big)
        with open(file, "rb") as handle:  # at most one byte past the limit, if it grew
            raw = handle.read(limits.MAX_BYTES + 1)
    except FileNotFoundError:
        return failed_document(display, 0, "file not found")
    except IsADirectoryError:
        return failed_document(display, 0, "is a directory, not a YAML file")
    except OSError as exc:
        return failed_document(display, 0, f"cannot be read ({exc.strerror or exc})")
    return parse_yaml(raw, display)


def parse_yaml(text: str | bytes, display: str) -> Document:
    """Parse one YAML document from ``text`` (bytes must be UTF-8), refusing text past
    the byte limit before it is parsed."""
    size = len(text)
    if isinstance(text, str) and size <= limits.MAX_BYTES:  # a character is 1 to 4 bytes
        size = len(text.encode("utf-8", "surrogatepass"))
    too_big = limits.size_problem(size)
    if too_big:
        return failed_document(display, 1, too_big)
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
        return _Builder(display).build(yaml.parse(text, Loader=_FAST_LOADER))
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit, 1000
            line = exc.problem_mark.line + 1 if exc.problem_mark is not None else 0
            return failed_document(
                display, line, f"the document nests deeper than {MAX_DEPTH} levels; flatten it"
            )
    except yaml.YAMLError:
        pass
    # libyaml words its errors differently: PyYAML's own parser finds the error again
    # (event by event too, so in bounded time and memory) and says what is wrong
    try:
        return _Builder(display).build(yaml.parse(text, Loader=yaml.SafeLoader))
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


class _Builder:
    """Turns a stream of parser events into plain data, recording lines and problems.

    Working from events (never a composed node graph) keeps every step iterative: a
    document nesting a million levels deep costs one pass and a bounded stack, and
    nothing below :data:`MAX_DEPTH` is kept.
    """

    def __init__(self, display: str):
        self.display = display
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.cut_off = False
        self.aliased = False  # an alias was expanded (an alias bomb is the likely cause)
        self.constructor = yaml.constructor.SafeConstructor()
        self.resolver = yaml.resolver.Resolver()
        self.resolved: dict[tuple[str, bool], str] = {}
        #: anchor -> (value, how many values it expands to); None while still open
        self.anchors: dict[str, tuple[Any, int] | None] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.display, line, message))

    def build(self, events) -> Document:
        """The document the events describe (a YAML error in them propagates)."""
        root: list[Any] = []
        documents = 0
        # one frame per open collection: [container, path, key or None, anchor, count]
        # where key is (text, keep) once a mapping's key is read, until its value is
        stack: list[list[Any]] = []
        skip = 0  # how deep inside a collection that is dropped
        for event in events:
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise yaml.composer.ComposerError(
                        "expected a single document in the stream",
                        None,
                        "but found another document",
                        event.start_mark,
                    )
                continue
            if kind in _IGNORED_EVENTS:
                continue
            if skip:
                skip += 1 if kind in _START_EVENTS else -1 if kind in _END_EVENTS else 0
                continue
            line = event.start_mark.line + 1
            if kind in _END_EVENTS:
                container, _, _, anchor, first = stack.pop()
                if anchor is not None:
                    self.anchors[anchor] = (container, self.count - first + 1)
                self.place(stack, root, container)
                continue
            top = stack[-1] if stack else None
            if top is not None and top[2] is None and type(top[0]) is dict:
                skip = self.read_key(top, event, kind, line)
                continue
            path = self.path_of(top, line)
            if len(path) == 2 and path[1] == MAX_ENTRIES.get(str(path[0])):
                # one entry past a list's limit: stop reading (the rest costs nothing)
                self.problem(line, entries_problem(str(path[0])))
                return Document(self.display, INVALID, self.lines, tuple(self.problems))
            if kind is yaml.AliasEvent:
                self.place(stack, root, self.alias(event, path, line))
                continue
            anchor = event.anchor
            if anchor is not None:
                if anchor in self.anchors:
                    raise yaml.composer.ComposerError(
                        f"found duplicate anchor {anchor!r}", None, None, event.start_mark
                    )
                self.anchors[anchor] = None
            self.count += 1
            start = kind is not yaml.ScalarEvent
            value = INVALID
            if len(stack) >= MAX_DEPTH and not self.cut_off:
                # stop reading here: the parsers' scanners slow down with every open
                # level (quadratically), so reading on through [[[[...]]]] takes hours
                self.cut(path, line, False)
                return Document(self.display, INVALID, self.lines, tuple(self.problems))
            if self.count > MAX_NODES or self.cut_off:
                self.cut(path, line, self.count > MAX_NODES)
            elif not start:
                value = self.scalar(event, path, line)
            else:
                wanted = _SEQ_TAG if kind is yaml.SequenceStartEvent else _MAP_TAG
                tag = wanted if event.tag in (None, "!") else event.tag
                if tag == wanted:
                    empty = [] if wanted == _SEQ_TAG else {}
                    stack.append([empty, path, None, anchor, self.count])
                    continue
                self.reject(tag, path, line)
            skip = 1 if start else 0
            if anchor is not None:
                self.anchors[anchor] = (value, 1)
            self.place(stack, root, value)
        data = root[0] if root else None
        return Document(self.display, data, self.lines, tuple(self.problems))

    def path_of(self, top: list[Any] | None, line: int) -> Path_:
        """The path of the value that starts here (recording the line of a list item)."""
        if top is None:
            self.lines[()] = line
            return ()
        container, parent = top[0], top[1]
        if type(container) is list:
            path = (*parent, len(container))
            self.lines[path] = line
            return path
        return (*parent, top[2][0])

    def place(self, stack: list[list[Any]], root: list[Any], value: Any) -> None:
        if not stack:
            root.append(value)
            return
        frame = stack[-1]
        container = frame[0]
        if type(container) is list:
            container.append(value)
            return
        key, keep = frame[2]
        frame[2] = None
        if keep:
            container[key] = value

    def read_key(self, frame: list[Any], event: Any, kind: type, line: int) -> int:
        """Read a mapping key into ``frame``; returns how deep to skip (a collection key)."""
        container, path = frame[0], frame[1]
        frame[2] = (None, False)
        if kind is not yaml.ScalarEvent:
            self.problem(line, f"a key in {where(path)} is a list or mapping; keys must be text")
            return 0 if kind is yaml.AliasEvent else 1
        tag = self.tag(event)
        if tag == f"{_YAML}merge":
            self.problem(
                line, f"merge keys (<<) are not supported (at {where(path)}); write the keys out"
            )
            return 0
        if tag not in _SCALAR_TAGS and tag not in _TEXT_TAGS:
            self.reject(tag, path, line)
            return 0
        key = event.value
        if key in container:
            first = self.lines.get((*path, key), 0)
            self.problem(
                line,
                f"key {key!r} appears twice in {where(path)} (first on line {first}); "
                "YAML would keep only the last one, so remove or rename one of them",
            )
            return 0
        self.lines[(*path, key)] = line
        frame[2] = (key, True)
        return 0

    def alias(self, event: Any, path: Path_, line: int) -> Any:
        if event.anchor not in self.anchors:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark
            )
        found = self.anchors[event.anchor]
        self.aliased = True
        if found is None:  # the alias sits inside its own anchor: endless nesting
            self.cut(path, line, False)
            return INVALID
        value, size = found
        self.count += size
        if self.count > MAX_NODES or self.cut_off:
            self.cut(path, line, self.count > MAX_NODES)
            return INVALID
        return value

    def cut(self, path: Path_, line: int, too_many: bool) -> None:
        if self.cut_off:
            return
        self.cut_off = True
        what = (
            f"expands to more than {MAX_NODES} values"
            if too_many
            else f"nests deeper than {MAX_DEPTH} levels"
        )
        fix = "split the case" if too_many else "flatten it"
        fix = "check its aliases" if self.aliased else fix
        self.problem(line, f"the document {what}, the limit (at {where(path)}); {fix}")

    def reject(self, tag: str, path: Path_, line: int) -> None:
        self.problem(
            line,
            f"YAML tag {_show_tag(tag)} is not allowed (at {where(path)}); "
            "case files hold only plain text, numbers, lists and mappings",
        )

    def tag(self, event: Any) -> str:
        """The scalar's tag, resolved as PyYAML's composer would (memoised by text)."""
        if event.tag not in (None, "!"):
            return event.tag
        memo = (event.value, event.implicit[0])
        tag = self.resolved.get(memo)
        if tag is None:
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)
            self.resolved[memo] = tag
        return tag

    def scalar(self, event: Any, path: Path_, line: int) -> Any:
        tag = self.tag(event)
        if tag in _TEXT_TAGS or tag in (_STR_TAG, _TIMESTAMP_TAG):
            return event.value  # dates display exactly as written
        if tag not in _SCALAR_TAGS:
            self.reject(tag, path, line)
            return INVALID
        kind = tag[len(_YAML) :]
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            return getattr(self.constructor, f"construct_yaml_{kind}")(node)
        except (ValueError, LookupError, TypeError, ArithmeticError):
            self.problem(
                line,
                f"{event.value!r} cannot be read as !!{kind} (at {where(path)}); fix the value",
            )
            return INVALID
