"""Reading another tool's file as hostile input: bounded size and expansion, clear encodings.

Every function here either returns what it read or raises :class:`ImportProblems` with
located lines; nothing reads more than the caps below, whatever a file claims.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from analysis.casefile.limits import MAX_BYTES, MAX_ENTRIES, MAX_HYPOTHESES, MAX_ITEMS
from analysis.errors import CaseError, Problem

#: The largest file read from disk or an upload (compressed size): a case file's limit.
MAX_FILE_BYTES = MAX_BYTES
#: The largest a compressed file (gzip, or every member of an XLSX zip) may expand to.
MAX_EXPANDED_BYTES = 50 * 1024 * 1024
#: The most members an XLSX zip may hold.
MAX_ZIP_MEMBERS = 500
#: The most rows a table may hold: a row for each entry of every list a case may hold
#: (sources, evidence, events, assumptions, indicators: what an export of a case at every
#: limit writes), and room for the header and the ``#`` rows.
MAX_ROWS = sum(count for key, count in MAX_ENTRIES.items() if key != "hypotheses") + 100
#: The most columns a table may hold.
MAX_COLUMNS = 500

#: The longest piece of markup (a tag with its attributes, a comment, a processing
#: instruction) or text an XLSX member may hold. Python 3.11's XML parser (expat before
#: 2.6) re-reads a token that spans its input buffers from its start at every buffer:
#: the time grows with the square of the token (a 4 MB comment 0.3 s, 8 MB 1.3 s, a
#: 49 MB one inside a 55 KB file 53 s). A spreadsheet program writes neither comments
#: nor text anywhere near this long, and a case's longest text is far shorter.
MAX_MARKUP_BYTES = 1024 * 1024

#: The most cells a sheet may hold: a row for each of the most items a case holds,
#: each with a cell for every hypothesis and eight more (id, claim, source, ...), and
#: room for the header and metadata rows. openpyxl reads about 160,000 cells a second
#: here, so this bounds the import at a few seconds (19,000 rows of 120 cells took 14 s).
MAX_CELLS = MAX_ITEMS * (MAX_HYPOTHESES + 8) + 100_000

_MEGABYTE = 1024 * 1024


class ImportProblems(CaseError):
    """A foreign file that cannot become a case: every problem, located in that file."""


def one_line(message: str, limit: int = 300) -> str:
    """``message`` on one line (a parser's text may span several), at most ``limit`` long."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fail(path: str, message: str, line: int = 0, column: int = 0) -> ImportProblems:
    return ImportProblems([Problem(path, line, one_line(message), column)])


def read_bounded(path: Path, display: str) -> bytes:
    """The bytes of ``path`` (a regular file of at most :data:`MAX_FILE_BYTES`)."""
    try:
        if not path.is_file():
            what = "no such file" if not path.exists() else "is not a regular file"
            raise fail(display, f"{what}; give the path of the file to import")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise fail(display, f"cannot be read ({error.strerror})") from None
    return check_size(data, display)


def check_size(data: bytes, display: str) -> bytes:
    if len(data) > MAX_FILE_BYTES:
        raise fail(display, f"is larger than {MAX_FILE_BYTES // _MEGABYTE} MB; refused")
    if not data.strip():
        raise fail(display, "is empty; there is nothing to import")
    return data


def gunzip(data: bytes, display: str) -> bytes:
    """Decompress one gzip stream, stopping at :data:`MAX_EXPANDED_BYTES` of output."""
    if data[:2] != b"\x1f\x8b":
        raise fail(display, "is not gzip-compressed; a PARC ACH .achz file is a gzip of XML")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = data
    try:
        while pending and not inflater.eof:
            out += inflater.decompress(pending, MAX_EXPANDED_BYTES + 1 - len(out))
            if len(out) > MAX_EXPANDED_BYTES:
                raise fail(
                    display,
                    f"expands to more than {MAX_EXPANDED_BYTES // _MEGABYTE} MB; refused "
                    "(a compression bomb, or not a matrix)",
                )
            pending = inflater.unconsumed_tail
    except zlib.error:
        raise fail(
            display, "is a damaged gzip file; export it again from the program that made it"
        ) from None
    if not inflater.eof:
        raise fail(display, "is a truncated gzip file (it ends before its data does)")
    return bytes(out)


def decode_text(data: bytes, display: str) -> str:
    """Text in UTF-8 (with or without a BOM), UTF-16 (BOM, or NUL-interleaved) or Latin-1.

    Text that is not UTF-8 is read as Windows-1252/Latin-1, the other encoding
    spreadsheets commonly write; text with NUL bytes that is not UTF-16 is refused.
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode(data[len(bom) :], codec, display)
    if b"\x00" in data[:4096]:
        head = data[:4096]
        if head[1::2].count(0) > len(head) // 4:
            return _decode(data, "utf-16-le", display)
        if head[0::2].count(0) > len(head) // 4:
            return _decode(data, "utf-16-be", display)
        raise fail(display, "holds NUL bytes; it is binary, not text in UTF-8, UTF-16 or Latin-1")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _decode(data: bytes, codec: str, display: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise fail(
            display, f"is not valid {codec.upper()} text (byte {error.start}); save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise fail(display, "holds NUL characters; it is binary, not text")
    return text


def check_zip(data: bytes, display: str) -> zipfile.ZipFile:
    """An XLSX zip whose member count and declared sizes are within the caps.

    Python's zip reader never expands a member past its declared size, so checking
    the declared sizes bounds what reading the workbook can cost.
    """
    if data[:4] != b"PK\x03\x04":
        raise fail(display, "is not an XLSX workbook (an XLSX file is a zip archive)")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise fail(
            display, "is a damaged XLSX (zip) file; save it again from a spreadsheet program"
        ) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise fail(display, f"holds {len(members)} zip members; at most {MAX_ZIP_MEMBERS}")
    expanded = sum(member.file_size for member in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise fail(
            display,
            f"expands to {expanded // _MEGABYTE} MB; at most {MAX_EXPANDED_BYTES // _MEGABYTE} MB "
            "(a compression bomb, or not a spreadsheet)",
        )
    return archive


def _longest_run(data: bytes, char: int, chunk: int = 4 * _MEGABYTE) -> int:
    """The most bytes from one ``char`` to the next (or from the start, or to the end):
    '<' cannot stand inside a tag or an attribute value, so between two of them lie at
    most one tag and one text. Read a chunk at a time (the positions of a file of
    nothing but '<' would take eight times its size)."""
    import numpy as np

    view = np.frombuffer(data, dtype=np.uint8)
    last, longest = -1, 0
    for begin in range(0, len(view), chunk):
        found = np.flatnonzero(view[begin : begin + chunk] == char) + begin
        if found.size:
            longest = max(longest, int(found[0]) - last, int(np.diff(found).max(initial=0)))
            last = int(found[-1])
    return max(longest, len(view) - last)


#: How a cell (or, in :func:`has_formulas`, a formula) element starts: its name after
#: ``<`` or after a namespace prefix's ``:``, then whitespace, ``/`` or ``>``. Counting
#: these bytes over-counts text such as ``Note:c `` (which only ever refuses more), never
#: under-counts a cell however its tag is spaced (``<c\n r="A1">``, ``<c/>``).
_NAME_ENDS = b" \t\r\n/>"


def _element_starts(name: bytes) -> list[bytes]:
    return [lead + name + bytes([end]) for lead in (b"<", b":") for end in _NAME_ENDS]


#: The first two bytes of XML in UTF-16 (a byte order mark, or '<' in either order), as
#: the XML parsers detect it -> how to read it.
_UTF16_STARTS = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16", b"<\x00": "utf-16-le",
                 b"\x00<": "utf-16-be"}  # fmt: skip


def xml_members(archive: zipfile.ZipFile):
    """(name, bytes) of every member of the (size-checked) zip, whatever its name: openpyxl
    follows the workbook's relationships to any part name (a sheet may be
    ``xl/sheet1.bin``). A member in UTF-16 (which the XML parsers detect) comes as UTF-8,
    so the checks below read every part as its parser will (the parsers read no other
    encoding that is not ASCII's superset: a sheet declared ``cp037`` is refused)."""
    for member in archive.infolist():
        data = archive.read(member)
        if (codec := _UTF16_STARTS.get(data[:2])) is not None:
            data = data.decode(codec, errors="replace").encode("utf-8")
        yield member.filename, data


def check_markup(archive: zipfile.ZipFile, display: str) -> None:
    """Refuse an XLSX any of whose members holds a piece of XML longer than
    :data:`MAX_MARKUP_BYTES`, or more cells than :data:`MAX_CELLS`, before any parser reads
    it (see there; the members' sizes were checked first)."""
    for name, data in xml_members(archive):
        cells = sum(data.count(tag) for tag in _element_starts(b"c"))
        if cells > MAX_CELLS:
            raise fail(
                display,
                f"holds {cells:,} cells in {name}; at most {MAX_CELLS:,} "
                f"(a case of at most {MAX_ITEMS:,} items and {MAX_HYPOTHESES} hypotheses)",
            )
        if _longest_piece(data) > MAX_MARKUP_BYTES:
            raise fail(
                display,
                f"holds a piece of XML longer than {MAX_MARKUP_BYTES // _MEGABYTE} MB in "
                f"{name} (no spreadsheet program writes one); refused",
            )


def _longest_piece(data: bytes) -> int:
    """The longest piece of ``data`` between two '<', or more than
    :data:`MAX_MARKUP_BYTES` if a comment or an instruction (which may hold '<') does not
    end within that limit."""
    longest = _longest_run(data, ord("<"))
    for opener, closer in ((b"<!--", b"-->"), (b"<?", b"?>")):
        start = data.find(opener)
        while start >= 0 and longest <= MAX_MARKUP_BYTES:
            end = data.find(closer, start, start + MAX_MARKUP_BYTES)
            longest = longest if end >= 0 else MAX_MARKUP_BYTES + 1
            start = data.find(opener, end) if end >= 0 else -1
    return longest


def has_formulas(archive: zipfile.ZipFile) -> bool:
    """Whether any member of the (size-checked) zip holds a formula element (any member,
    as :func:`xml_members` says why; a chart's ``<c:f>`` counts too, which costs only a
    second reading of the sheet)."""
    return any(tag in data for _, data in xml_members(archive) for tag in _element_starts(b"f"))
