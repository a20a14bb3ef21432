"""Reading YAML safely, keeping the source line of every value.

The text is *parsed* into events by libyaml's C parser (PyYAML's own parser where
libyaml is missing; nothing is ever constructed from a tag) and the events are built
(:mod:`analysis.casefile.yamlbuild`) into plain dicts, lists and scalars, iteratively,
so no nesting depth can exhaust a stack. The limits of :mod:`analysis.casefile.limits`
hold: a file over its byte limit is refused before it is read or parsed, a list past
its entry limit stops the reading. The build:

* records ``lines[path] = line`` for every mapping entry (the line of its key) and
  every sequence element, with paths such as ``("evidence", 3, "likelihoods", "direct")``
  (those below the top two levels only when first needed: see
  :class:`~analysis.casefile.document.Lines`);
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

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import yaml

from analysis.casefile import limits
from analysis.casefile.document import INVALID, Document, Lines, Path_, failed_document, where
from analysis.casefile.limits import MAX_DEPTH
from analysis.casefile.text import describe_character
from analysis.casefile.yamlbuild import EventBuilder
from analysis.errors import Problem

#: libyaml's C parser when PyYAML was built with it (events only: PyYAML's C composer
#: recurses in C and would crash on deep nesting), else PyYAML's own
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


#: Characters YAML reads as line breaks where an editor shows none (NEL, the Unicode line
#: and paragraph separators): after one, every line number YAML gives would be off.
_UNUSUAL_BREAKS = "\x85\u2028\u2029"
_UNUSUAL_BREAK = re.compile(f"[{_UNUSUAL_BREAKS}]")


def _unusual_breaks(text: str, display: str) -> Document | None:
    """A failed document locating each unusual line break (by the lines an editor
    counts), before the parser miscounts them; None when there is none."""
    if not any(char in text for char in _UNUSUAL_BREAKS):
        return None
    problems, line, start = [], 1, 0
    for found in _UNUSUAL_BREAK.finditer(text):
        at, char = found.start(), found.group()
        line += text.count("\n", start, at)
        start = at
        problems.append(
            Problem(
                display,
                line,
                f"contains {describe_character(char)}, which YAML reads "
                "as a line break where an editor shows none; replace it with a space "
                "or a real line break",
            )
        )
    return Document(display, INVALID, {}, tuple(problems))


def float_text(value: float) -> str:
    """A (finite) float as YAML 1.1, which the case loader reads, reads it back exactly:
    its shortest form, with a point before any exponent (``1e-05`` -> ``1.0e-05``; YAML
    1.1 reads ``1e-05`` as text)."""
    text = repr(value)
    mantissa, mark, exponent = text.partition("e")
    if mark and "." not in mantissa:
        return f"{mantissa}.0e{exponent}"
    return text


def reads_as_text(value: str) -> bool:
    """Whether ``value``, written bare, reads back as the same text under YAML 1.1
    (``yes``, ``off``, ``12:30`` and ``1e3`` do not: a bool, 750, a float)."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"


#: PyYAML's own implicit resolver (a plain scalar's resolution uses none of its state).
_RESOLVER = yaml.resolver.Resolver()


def parse_yaml(text: str | bytes, display: str, every_line: bool = False) -> Document:
    """Parse one YAML document from ``text`` (bytes must be UTF-8), refusing text past
    the byte limit before it is parsed. ``every_line``: record every path's line at once,
    for a caller that reads them all (otherwise the deep ones come on first need, see
    :class:`~analysis.casefile.document.Lines`)."""
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
    breaks = _unusual_breaks(text, display)
    if breaks is not None:
        return breaks
    try:
        return _build(text, display, _FAST_LOADER, every_line)
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
        return _build(text, display, yaml.SafeLoader, every_line)
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


def _build(text: str, display: str, loader_class: type, every_line: bool) -> Document:
    """Build ``text``'s events with ``loader_class``'s parser, recording the lines of
    paths up to :data:`~analysis.casefile.yamlbuild.KEPT_DEPTH` long and reading every
    line again when first needed (:class:`Lines`), or at once when ``every_line`` or when
    a message needs a line the reading left out (a repeated key's first line)."""
    document, incomplete = _read(text, display, loader_class, every_line)
    if every_line:
        return document
    if incomplete:
        return _read(text, display, loader_class, True)[0]

    def all_lines() -> Mapping[Path_, int]:
        return _read(text, display, loader_class, True)[0].lines

    return replace(document, lines=Lines(document.lines, all_lines))


def _read(text: str, display: str, loader_class: type, every_line: bool) -> tuple[Document, bool]:
    """Build ``text``'s events with ``loader_class``'s parser (only its parser is used);
    the document, and whether a message needed a line the reading left out.

    The events are pulled straight from the parser (``yaml.parse`` wraps each one in
    a Python generator step, a third of the C parser's cost on a large case).
    """
    loader = loader_class(text)
    try:
        builder = EventBuilder(display, every_line)
        return builder.build(iter(loader.get_event, None)), builder.wants_every_line
    finally:
        loader.dispose()


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


__all__ = ["INVALID", "Document", "Path_", "failed_document", "parse_yaml", "read_yaml", "where"]
