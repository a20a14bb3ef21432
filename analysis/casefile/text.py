"""What text a case file may hold, and making text safe for a terminal and for markdown.

The one rule for every free-text field (titles, labels, names, claims, rationales,
and any later format that reuses :func:`text_problem`):

* printable Unicode only: no C0 control character (U+0000-U+001F), no DEL (U+007F), no
  C1 control character (U+0080-U+009F), no lone surrogate, no U+FFFE or U+FFFF, and no
  Unicode line or paragraph separator (U+2028, U+2029: YAML reads either as a line
  break where an editor shows none, so a file holding one would not read back as
  written; a newline says the same), and no bidirectional embedding, override or
  isolate control (U+202A-U+202E, U+2066-U+2069), which reorder how text is shown;
* tab and newlines only in multi-line fields (question, description, claim,
  rationale, notes); a one-line field (title, label, source name) holds none;
* at most :data:`MAX_LINE` characters in a one-line field and :data:`MAX_TEXT` in a
  multi-line one.

Such characters would otherwise reach renderers that abort on them (vl-convert panics
on characters XML forbids) and terminals that obey them (escape sequences clear the
screen or write the clipboard). The reason is returned as words, so each format can
locate it its own way.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest one-line field (title, label, source name) and multi-line field, in characters.
MAX_LINE = 300
MAX_TEXT = 20_000

_LINE_BREAKS = "\t\n"
_SEPARATORS = "\u2028\u2029"
#: The bidirectional embedding, override and isolate controls: they reorder how the text
#: around them is shown ("Trojan source": a claim that reads one way and is another).
#: Arabic and Hebrew text needs none of them; the marks U+200E and U+200F stay allowed.
_DIRECTION_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Characters no case text may hold (tab and newline are handled separately).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_BREAKS = re.compile("[\t\n]")
#: What :func:`terminal_safe` replaces: every control character, line breaks included
#: unless kept, and the surrogates and non-characters a terminal may choke on.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)

_NAMES = {
    "\t": "TAB",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x00": "NUL",
    "\x7f": "DELETE",
    "\x85": "NEL",
}


def describe_character(char: str) -> str:
    """``U+001B (ESCAPE)``: a character as a message names it."""
    code = ord(char)
    name = _NAMES.get(char) or unicodedata.name(char, "")
    if not name:
        kind = "surrogate" if 0xD800 <= code <= 0xDFFF else "control character"
        name = kind if code != 0xFFFE and code != 0xFFFF else "non-character"
    return f"U+{code:04X} ({name})"


def text_problem(value: str, multiline: bool = True, written_in_yaml: bool = True) -> str | None:
    """Why ``value`` is not acceptable case text (a phrase to follow the field), or None.

    ``multiline`` allows tab and line breaks. The phrase is worded to follow the
    field's name, e.g. ``contains U+001B (ESCAPE) at character 4; remove it``;
    ``written_in_yaml`` adds the YAML hint to a line break in a one-line field (an
    imported file's text has no '>' block to blame).
    """
    limit = MAX_TEXT if multiline else MAX_LINE
    if len(value) > limit:
        return f"is {len(value)} characters long; the limit is {limit}: shorten it"
    bad = _FORBIDDEN.search(value) or (None if multiline else _BREAKS.search(value))
    if bad is None:
        return None
    what = describe_character(bad.group())
    position = bad.start() + 1
    if bad.group() in _DIRECTION_CONTROLS:
        return (
            f"contains {what} at character {position}, which reorders how the text around "
            "it is shown; remove it (Arabic or Hebrew text needs no such control)"
        )
    if bad.group() in _SEPARATORS:
        return (
            f"contains {what} at character {position}, which YAML reads as a line break "
            f"where an editor shows none: use {'a newline, or ' if multiline else ''}a space"
        )
    if bad.group() in _LINE_BREAKS:
        hint = " (a '>' or '|' block adds one at the end)" if written_in_yaml else ""
        return (
            f"contains {what} at character {position}; it must be one line: "
            f"remove the tab or line break{hint}"
        )
    return (
        f"contains the control character {what} at character {position}; "
        "case text must be printable: remove it"
    )


def terminal_safe(text: str, keep_newlines: bool = True) -> str:
    """``text`` with every control character shown as a visible escape (``\\x1b``).

    Nothing printed to a terminal can then move the cursor, clear the screen or set
    the clipboard. Newlines stay (unless ``keep_newlines`` is false); tabs become spaces.
    """

    def visible(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\n" and keep_newlines:
            return char
        if char == "\t":
            return " "
        return char.encode("unicode_escape", "backslashreplace").decode("ascii")

    return _UNSAFE.sub(visible, text)


#: Every ASCII punctuation character: all that markdown, HTML, Streamlit's directives
#: (``:red[...]``, ``:emoji:``), LaTeX (``$``) and GFM autolinks (``www.``, ``://``,
#: ``a@b.c``) use.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
#: Where the browser's markdown renderer would start a link of its own (it reads the
#: text after the character references are decoded): the ``:`` of ``http:`` and
#: ``https:``, the ``.`` after ``www``, an ``@``. A zero-width space goes before each.
_AUTOLINK = re.compile(r"(?i)(?<=http)(?=:)|(?<=https)(?=:)|(?<=www)(?=\.)|(?=@)")
ZERO_WIDTH_SPACE = "\u200b"


def plain_markdown(text: object) -> str:
    """``text`` shown as written inside any markdown (the dashboard's ``esc``).

    Every ASCII punctuation character becomes a numeric character reference, which
    markdown shows as the character but never reads as syntax, so no image is fetched,
    no link, emphasis, HTML tag, table cell (``|``) or heading is made, with or without
    HTML allowed; runs of whitespace (line breaks too) become one space. The browser's
    renderer still made links of ``http://``, ``www.`` and e-mail addresses from the
    decoded text (seen in Chromium: 21 links on a hostile case's Overview), so an
    invisible zero-width space breaks each of those patterns.
    """
    text = _AUTOLINK.sub(ZERO_WIDTH_SPACE, " ".join(str(text).split()))
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", text)


__all__ = [
    "MAX_LINE",
    "MAX_TEXT",
    "describe_character",
    "plain_markdown",
    "terminal_safe",
    "text_problem",
]
