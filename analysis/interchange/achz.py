"""PARC ACH's ``.achz`` matrix (see ``../shared/formats/parc-achz.md``): read and write.

An ``.achz`` is a gzip of one UTF-16 XML document. Reading stream-decompresses with a cap,
parses with defusedxml (no DTD, no entities, no external references) and keeps each
element's line, so every problem is located. It holds only Heuer ratings and
credibility levels: items become one source per level; TYPE, CODE and a set FLAG
become tags.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape

from analysis.case import Case, Item
from analysis.casefile.text import text_problem
from analysis.interchange.common import (
    Imported,
    Located,
    rating_choices,
    rating_code,
    slug,
    unique,
)
from analysis.interchange.guard import MAX_ROWS, decode_text, fail, gunzip
from analysis.scales import credibility_word, rating_for_likelihood
from analysis.wording import count

#: PARC's spelling of each rating in VALUES.
PARC_RATING = {"CC": "C C", "C": "C", "N": "N", "NA": "NA", "I": "I", "II": "I I"}
_LEVELS = ("HIGH", "MEDIUM", "LOW")
_KNOWN = {
    "PROJECT-TITLE", "CLASSIFICATION", "LAST-INDEX", "COLOR-SCHEME", "MATRIX", "HYPOTHESIS",
    "EVIDENCE", "NAME", "NOTES", "LINK", "TYPE", "DATE", "CODE", "FLAG", "CREDIBILITY",
    "VALUES", "RELEVANCE", "DESCRIPTION",
}  # fmt: skip
#: How deep elements may nest: a PARC ACH matrix nests four deep (the document, MATRIX,
#: EVIDENCE, NAME); far deeper is no matrix, and would exhaust Python's stack.
MAX_XML_DEPTH = 32


@dataclass
class Node:
    tag: str
    line: int
    #: 1-based; a matrix written on one line is located by its column
    column: int = 0
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def child(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def value(self, tag: str) -> str:
        found = self.child(tag)
        return found.text.strip() if found is not None else ""


class _Builder:
    """An ElementTree parser target that records each element's line and column."""

    def __init__(self) -> None:
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.count = 0
        self.where = lambda: (0, 0)

    def start(self, tag: str, _attrib: dict) -> None:
        self.count += 1
        if self.count > 50 * MAX_ROWS:
            raise ValueError(f"holds more than {50 * MAX_ROWS} elements")
        if len(self.stack) >= MAX_XML_DEPTH:
            raise ValueError(
                f"nests elements more than {MAX_XML_DEPTH} deep (a PARC ACH matrix nests four)"
            )
        node = Node(tag.upper(), *self.where())
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, _tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].text += text

    def close(self) -> Node | None:
        return self.root


def parse_xml(text: str, display: str) -> Node:
    """The document's element tree; DTDs, entities and external references refused."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    # The text is already decoded, so its declaration (naming an encoding expat must not
    # re-apply) is blanked: spaces of the same length, so every line and column the
    # parser reports is the file's own.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", lambda m: re.sub(r"[^\n]", " ", m.group()), text, count=1)
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    expat = parser.parser
    builder.where = lambda: (expat.CurrentLineNumber, expat.CurrentColumnNumber + 1)
    try:
        parser.feed(text.encode("utf-8"))
        root = parser.close()
    except DefusedXmlException as error:
        what = type(error).__name__.replace("Forbidden", "")
        line = parser.parser.CurrentLineNumber
        raise fail(
            display, f"declares a {what} (DTD or entity); refused, a matrix needs none", line
        ) from None
    except ParseError as error:
        line, column = error.position
        raise fail(display, f"is not well-formed XML ({error.msg})", line, column + 1) from None
    except ValueError as error:
        raise fail(display, f"{error}; refused", parser.parser.CurrentLineNumber) from None
    if root is None:
        raise fail(display, "holds no XML element")
    return root


def _date(located: Located, node: Node) -> str | None:
    raw = node.value("DATE")
    if not raw or raw == "0":
        return None
    try:
        if not _MILLIS.fullmatch(raw):  # int() would take '1_000', ' 7' and other scripts' digits
            raise ValueError(raw)
        return datetime.fromtimestamp(int(raw) / 1000, tz=UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        _at(located, node.child("DATE"), f"DATE is {raw!r}; must be milliseconds since 1970")
        return None


#: A DATE as PARC ACH writes it: whole milliseconds since 1970, in ASCII digits.
_MILLIS = re.compile("-?[0-9]{1,18}")


def read_achz(data: bytes, display: str) -> Imported:
    """The case held by ``.achz`` bytes: its documents, warnings and header comment."""
    root = parse_xml(decode_text(gunzip(data, display), display), display)
    located = Located(display)
    unknown: dict[str, list[Node]] = {}  # tag -> its elements
    for node in _walk(root):
        if node.tag not in _KNOWN and node is not root:
            unknown.setdefault(node.tag, []).append(node)
    for tag, nodes in unknown.items():  # one warning a tag, however often it appears
        times = f" ({len(nodes)} times, the first here)" if len(nodes) > 1 else ""
        first = nodes[0]
        located.warn(first.line, f"element {tag} is not known{times}; ignored", first.column)
    matrix = root.child("MATRIX")
    if matrix is None:
        raise fail(
            display, "has no MATRIX element; it is not a PARC ACH matrix", root.line, root.column
        )
    title = root.value("PROJECT-TITLE") or "Imported PARC ACH matrix"
    taken: set[str] = set()
    hypotheses = []
    places: dict[tuple[str, str], tuple[int, int]] = {}  # see Imported.places
    for index, node in enumerate(c for c in matrix.children if c.tag == "HYPOTHESIS"):
        label = node.value("NAME") or f"Hypothesis {index + 1}"
        hypothesis = {"id": unique(slug(label, f"h{index + 1}"), taken), "label": label}
        places[("hypothesis", hypothesis["id"])] = (node.line, node.column)
        if description := node.value("DESCRIPTION"):
            hypothesis["description"] = description
        hypotheses.append(hypothesis)
    if len(hypotheses) < 2:
        _at(located, matrix, f"MATRIX has {len(hypotheses)} HYPOTHESIS; ACH needs at least two")
    sources: dict[str, dict] = {}
    items = []
    item_ids: set[str] = set()
    for index, node in enumerate(c for c in matrix.children if c.tag == "EVIDENCE"):
        item = _item(located, node, index, hypotheses, item_ids, sources)
        if item is not None:
            items.append(item)
            places[("evidence", item["id"])] = (node.line, node.column)
    if not items and not located.problems:
        _at(located, matrix, "MATRIX has no EVIDENCE; there is nothing to weigh")
    marking = root.value("CLASSIFICATION")
    # checked here as well as by the case loader: it heads each file as a comment line
    problem = text_problem(marking, multiline=False, written_in_yaml=False)
    if problem is not None:
        _at(located, root.child("CLASSIFICATION"), f"CLASSIFICATION {problem}")
    located.raise_if_any()
    case_doc = {"case": "imported", "title": title, "question": title, "hypotheses": hypotheses}
    header = []
    if marking:
        case_doc["marking"] = marking  # the brief prints it on every page, as PARC did
        header.append(f"Classification (from PARC ACH): {marking}")
    evidence_doc = {"case": "imported", "sources": list(sources.values()), "evidence": items}
    return Imported(case_doc, evidence_doc, located.warnings, header, places)


def _at(located: Located, node: Node, message: str) -> None:
    """A problem located at ``node``'s line and column."""
    located.add(node.line, message, node.column)


def _walk(root: Node):
    """Every element under ``root``, itself first, depth first (without recursion)."""
    pending = [root]
    while pending:
        node = pending.pop()
        yield node
        pending.extend(reversed(node.children))


def _item(located, node, index, hypotheses, item_ids, sources) -> dict | None:
    name = node.value("NAME")
    if not name:
        _at(located, node, f"EVIDENCE #{index + 1} has no NAME; every item needs its text")
        return None
    values_node = node.child("VALUES")
    codes = [v.strip() for v in values_node.text.split(",")] if values_node is not None else []
    where = values_node if values_node is not None else node
    if len(codes) != len(hypotheses):
        _at(
            located,
            where,
            f"EVIDENCE #{index + 1} VALUES has {len(codes)} rating(s); the matrix has "
            f"{len(hypotheses)} HYPOTHESIS (one rating each, comma-separated)",
        )
        return None
    ratings = {}
    for hypothesis, code in zip(hypotheses, codes, strict=True):
        rating = rating_code(code) if code else "NA"
        if rating is None:
            _at(
                located,
                where,
                f"EVIDENCE #{index + 1} rating {code!r} under {hypothesis['label']!r} is unknown; "
                f"use {rating_choices()}",
            )
        ratings[hypothesis["id"]] = rating
    item: dict = {
        "id": unique(slug(name, f"e{index + 1}", 30), item_ids),
        "claim": name,
    }
    if date := _date(located, node):
        item["date"] = date
    item["source"] = _source(located, node, sources)
    item["ratings"] = ratings
    relevance = node.value("RELEVANCE").lower()
    if relevance in ("low", "medium", "high"):
        item["relevance"] = relevance
    elif relevance:
        _at(
            located, node.child("RELEVANCE"), f"RELEVANCE is {relevance!r}; use HIGH, MEDIUM or LOW"
        )
    notes = [node.value("NOTES")]
    if link := node.value("LINK"):
        notes.append(f"Link: {link}")
    if rationale := " ".join(n for n in notes if n):
        item["rationale"] = rationale
    tags = [t for t in (node.value("TYPE"), node.value("CODE")) if t]
    if node.value("FLAG") == "1":
        tags.append("flagged")
    if tags:
        item["tags"] = list(dict.fromkeys(tags))
    return item


def _source(located: Located, node: Node, sources: dict[str, dict]) -> str:
    level = node.value("CREDIBILITY").upper()
    if level and level not in _LEVELS:
        _at(
            located,
            node.child("CREDIBILITY"),
            f"CREDIBILITY is {level!r}; use {', '.join(_LEVELS)}",
        )
        level = ""
    if not level:
        entry = {"id": "unrated", "name": "PARC ACH: no credibility given"}
    else:
        word = level.lower()
        entry = {
            "id": f"credibility-{word}",
            "name": f"PARC ACH credibility {word}",
            "credibility": word,
        }
    sources.setdefault(entry["id"], entry)
    return entry["id"]


# -- writing ------------------------------------------------------------------------------------
def _rating(item: Item, hypothesis: str) -> str:
    """The given rating, else the one Heuer's view derives (relative to the item's mean)."""
    if hypothesis in item.ratings:
        return item.ratings[hypothesis]
    values = [p.value for p in item.likelihoods.values()]
    return rating_for_likelihood(item.likelihoods[hypothesis].value, sum(values) / len(values))


def _millis(date: str | None) -> int:
    if not date:
        return 0
    parsed = datetime.fromisoformat(date)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def left_out_of_achz(case: Case) -> list[str]:
    """What a ``.achz`` of ``case`` cannot hold, one phrase each (nothing: an empty list):
    the format has ratings, credibility levels and a marking, and no more."""
    counted = (
        (len(case.indicators), "indicator"),
        (sum(item.retracted for item in case.evidence), "retracted item"),
        (len(case.events), "event"),
        (len(case.assumptions), "key assumption"),
    )
    left = [count(n, noun) for n, noun in counted if n]
    if case.as_of:
        left.append("the information cut-off (as_of)")
    if case.question != case.title:
        left.append("the question (the title stands for it)")
    return left


def write_achz(case: Case) -> bytes:
    """The case as PARC ACH ``.achz``: ratings (given, else the nearest), credibility levels."""

    def element(tag: str, text: object) -> str:
        return f"<{tag}>{escape(str(text))}</{tag}>"

    parts = ['<?xml version="1.0" encoding="UTF-16"?>', "<ACH-PROJECT>"]
    parts.append(element("PROJECT-TITLE", case.title))
    if case.marking:
        parts.append(element("CLASSIFICATION", case.marking))
    parts.append("<MATRIX>")
    for h in case.hypotheses:
        parts.append(f"<HYPOTHESIS>{element('NAME', h.label)}</HYPOTHESIS>")
    for item in case.evidence:
        if item.retracted:  # PARC ACH has no retraction: an item there always weighs
            continue
        credibility = case.credibility_of(item).value
        values = ", ".join(PARC_RATING[_rating(item, h)] for h in case.hypothesis_ids)
        parts.append(
            "<EVIDENCE>"
            + element("NAME", item.claim)
            + element("NOTES", item.rationale)
            + (element("TYPE", item.tags[0]) if item.tags else "")
            + element("FLAG", int("flagged" in item.tags))
            + element("DATE", _millis(item.date))
            + element("CREDIBILITY", credibility_word(credibility).upper())
            + (element("RELEVANCE", item.relevance.upper()) if item.relevance else "")
            + element("VALUES", values)
            + "</EVIDENCE>"
        )
    parts += ["</MATRIX>", "</ACH-PROJECT>"]
    xml = "\n".join(parts).encode("utf-16")  # with a byte order mark, as PARC writes it
    return gzip.compress(xml, mtime=0)
