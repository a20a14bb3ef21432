"""Building plain data from a stream of YAML parser events, recording lines and problems.

Working from events (never a composed node graph) keeps every step iterative: a
document nesting a million levels deep costs one pass and a bounded stack. The build
records the line of every mapping entry and sequence element, accepts only the
standard tags, reports duplicate keys, and enforces the limits of
:mod:`analysis.casefile.limits` (values, depth, entries of each top-level list).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from analysis.casefile.document import INVALID, Document, Path_, where
from analysis.casefile.limits import MAX_DEPTH, MAX_ENTRIES, MAX_NODES, entries_problem
from analysis.errors import Problem
from analysis.wording import shortened

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
#: Tags the resolver gives to plain ``=`` and ``<<``; as values they are just text.
_TEXT_TAGS = {f"{_YAML}value", f"{_YAML}merge"}
_MAP_TAG = f"{_YAML}map"
_SEQ_TAG = f"{_YAML}seq"
_STR_TAG = f"{_YAML}str"
_TIMESTAMP_TAG = f"{_YAML}timestamp"
_FLOAT_TAG = f"{_YAML}float"
_INT_TAG = f"{_YAML}int"
#: Tags a plain mapping key may resolve to and be kept as its text (see ``read_key``).
_KEY_TAGS = _SCALAR_TAGS | (_TEXT_TAGS - {f"{_YAML}merge"})
#: ``EventBuilder.quick``'s answer when a scalar needs the full reading.
_SLOW = object()
#: The first characters of every text PyYAML's resolver may read as other than text
#: (from its own table): a plain scalar starting otherwise is text, with no regex run.
_RESOLVED_FIRST = frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers)
#: Plain decimals (``0.25``, ``-1.``): a subset of YAML 1.1's float form (which the
#: resolver tries before int and timestamp) that Python's ``float`` reads alike.
_DECIMAL = re.compile(r"[-+]?[0-9]+\.[0-9]*")
_START_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_END_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_IGNORED_EVENTS = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
#: The longest path whose line a reading without ``every_line`` keeps: a section's key
#: and its entries (``("evidence", 3)``), all a valid case reads
KEPT_DEPTH = 2


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class EventBuilder:
    """Turns a stream of parser events into plain data, recording lines and problems.

    Working from events (never a composed node graph) keeps every step iterative: a
    document nesting a million levels deep costs one pass and a bounded stack, and
    nothing below :data:`MAX_DEPTH` is kept.
    """

    def __init__(self, display: str, every_line: bool = True):
        self.display = display
        #: False: record the lines of paths up to :data:`KEPT_DEPTH` long only
        self.every_line = every_line
        #: a message needed a line the reading did not keep (a repeated key's first line):
        #: the document must be read again with every line
        self.wants_every_line = False
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
        """The document the events describe (a YAML error in them propagates).

        Plain scalars, most of any case file, take an inlined path; everything else
        (collections, aliases, anchors, tags, limits) goes through the general one.
        """
        root: list[Any] = []
        documents = 0
        # one frame per open collection: [container, path, key or None, anchor, count]
        # where key is (text, keep) once a mapping's key is read, until its value is
        stack: list[list[Any]] = []
        skip = 0  # how deep inside a collection that is dropped
        lines, resolved, quick, every_line = self.lines, self.resolved, self.quick, self.every_line
        scalar_event = yaml.ScalarEvent
        for event in events:
            kind = type(event)
            if skip:
                skip += 1 if kind in _START_EVENTS else -1 if kind in _END_EVENTS else 0
                continue
            if (
                kind is scalar_event
                and stack
                and len(stack) < MAX_DEPTH
                and event.anchor is None
                and self.count < MAX_NODES
                and not self.cut_off
            ):
                frame = stack[-1]
                container = frame[0]
                if type(container) is dict:
                    key = frame[2]
                    if key is None:
                        text = event.value
                        if (
                            event.tag is None
                            and event.implicit[0]
                            and resolved.get(text) in _KEY_TAGS
                            and text not in container
                        ):
                            if every_line or len(frame[1]) < KEPT_DEPTH:
                                lines[(*frame[1], text)] = event.start_mark.line + 1
                            frame[2] = (text, True)
                        else:
                            skip = self.read_key(frame, event, kind, event.start_mark.line + 1)
                        continue
                    self.count += 1
                    frame[2] = None
                    value = quick(event)
                    if value is _SLOW:
                        line = event.start_mark.line + 1
                        value = self.scalar(event, (*frame[1], key[0]), line)
                    if key[1]:
                        container[key[0]] = value
                    continue
                if len(frame[1]) != 1:  # a list item below the top-level lists
                    path = (*frame[1], len(container))
                    line = event.start_mark.line + 1
                    if every_line or len(path) <= KEPT_DEPTH:
                        lines[path] = line
                    self.count += 1
                    value = quick(event)
                    container.append(self.scalar(event, path, line) if value is _SLOW else value)
                    continue
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
            limit = MAX_ENTRIES.get(str(path[0])) if len(path) == 2 else None
            if limit is not None and path[1] == limit:
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
            start = kind is not scalar_event
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
            if not (first or self.every_line):  # its first line was not kept
                self.wants_every_line = True
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
        if not event.implicit[0]:  # quoted (or "!"): always text
            return self.resolver.resolve(ScalarNode, event.value, event.implicit)
        value = event.value
        tag = self.resolved.get(value)
        if tag is None:
            tag = self.resolver.resolve(ScalarNode, value, (True, False))
            self.resolved[value] = tag
        return tag

    def quick(self, event: Any) -> Any:
        """An untagged scalar's value when it is text or a plain decimal number, else
        :data:`_SLOW` (then :meth:`scalar` reads it, and locates any problem)."""
        value = event.value
        if event.tag is not None:
            return _SLOW
        if not event.implicit[0]:
            return value  # quoted: text
        if value[:1] not in _RESOLVED_FIRST:
            return value
        if _DECIMAL.fullmatch(value):
            return float(value)
        tag = self.resolved.get(value) or self.tag(event)
        if tag == _STR_TAG:
            return value
        if tag == _FLOAT_TAG:
            # Python reads every float text the resolver accepts as PyYAML does, or
            # refuses it (".inf", "1:30.5", "1._5"): those go the constructor's way
            try:
                return float(value)
            except ValueError:
                return _SLOW
        if tag == _INT_TAG and value.isdigit() and (value[0] != "0" or len(value) == 1):
            try:  # YAML 1.1 reads a leading 0 as octal: the constructor's way
                return int(value)
            except ValueError:  # past Python's 4,300 digits: the constructor refuses it too
                return _SLOW
        return _SLOW

    def scalar(self, event: Any, path: Path_, line: int) -> Any:
        value = self.quick(event)
        if value is not _SLOW:
            return value
        tag = self.tag(event)
        value = event.value
        if tag in _TEXT_TAGS or tag in (_STR_TAG, _TIMESTAMP_TAG):
            return value  # dates display exactly as written
        if tag not in _SCALAR_TAGS:
            self.reject(tag, path, line)
            return INVALID
        kind = tag[len(_YAML) :]
        node = ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            return getattr(self.constructor, f"construct_yaml_{kind}")(node)
        except (ValueError, LookupError, TypeError, ArithmeticError):
            self.problem(
                line,
                f"{shortened(value, 40)!r} cannot be read as !!{kind} (at {where(path)}); "
                "fix the value",
            )
            return INVALID


__all__ = ["EventBuilder"]
