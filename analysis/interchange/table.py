"""The CSV/XLSX layout: one row per item, one column per hypothesis (README, "Import and export").

Row 1 is the header. The known columns (:data:`COLUMNS` and :data:`EXTRA_COLUMNS`) may
come in any order; every other column is a hypothesis, headed by its id or its label.
Rows whose ``id`` starts with ``#`` carry the rest of the case (:data:`META_ROWS`), so
an export followed by an import gives the same analysis.
"""

from __future__ import annotations

import json
from typing import Any

from analysis.casefile.limits import MAX_HYPOTHESES
from analysis.casefile.schema import (
    check_date,
    check_id,
    check_level,
    check_positive,
    check_probability,
    check_text,
)
from analysis.interchange.common import (
    WHOLE_FIELDS,
    Imported,
    Located,
    as_number,
    cell_text,
    check_likelihood,
    check_line_cell,
    check_source_credibility,
    rating_choices,
    slug,
    split_answer,
    unique,
)

#: The item columns of the contract, in the order an export writes them.
COLUMNS = ("id", "claim", "source", "credibility", "relevance", "date", "tags", "rationale")
#: Further item columns an export writes after the hypotheses when the case needs them.
EXTRA_COLUMNS = ("kind", "if_unreliable", "event", "retracted", "rests_on")
#: ``kind`` column values -> the case-file list the row goes to.
KINDS = {"evidence": "evidence", "indicator": "indicators", "event": "events",
         "assumption": "assumptions"}  # fmt: skip
#: each kind's list as messages name one of its entries
_NAMED = {kind: name for name, kind in KINDS.items()}
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")
#: ``#`` rows: what they hold and in which column.
META_ROWS = {
    "#title": "the case title, in the claim column",
    "#question": "the question, in the claim column",
    "#label": "each hypothesis's label, in its column",
    "#description": "each hypothesis's description, in its column",
    "#prior": "each hypothesis's prior, in its column",
    "#source": "a source: its id in the source column, its name in the claim column, "
    "its credibility in the credibility column",
    "#concentration": "the Beta concentration for point values, in the claim column",
    "#marking": "the handling marking printed on every brief page, in the claim column",
    "#as_of": "the information cut-off (YYYY-MM-DD), in the claim column",
}

#: ``#`` rows -> the field a loader's message about the whole of it names
_FIELDS = {"#prior" if field == "priors" else f"#{field}": field for field in WHOLE_FIELDS}

Row = tuple[int, list[Any]]  # (row number in the file, cell values)


def _cell_value(located: Located, value: Any, subject: str, row: int, col: int):
    """A hypothesis cell: (likelihood or None, rating or None); problems recorded."""
    number, rating, unknown = split_answer(value)
    if unknown is not None:
        located.add(row, f"{subject} rating {unknown!r} is unknown; use {rating_choices()}", col)
    elif number is None and rating is None:
        located.add(
            row, f"{subject} is empty; give a rating ({rating_choices()}) or a likelihood", col
        )
    elif isinstance(number, str):
        located.add(
            row,
            f"{subject} is {number!r}; give a rating ({rating_choices()}), "
            "a number between 0 and 1 or a range [low, high]",
            col,
        )
    elif number is not None:
        return located.check(check_likelihood, number, subject, row, col), rating
    return None, rating


class _Reader:
    """One pass over the rows, gathering the case's parts and every problem."""

    def __init__(self, rows: list[Row], display: str, csv: bool):
        self.located = Located(display)
        self.rows = rows
        #: a CSV row shorter than the header is an error (a spreadsheet drops empty cells)
        self.csv = csv
        self.blank_columns: list[int] = []
        #: the first hypothesis column past :data:`MAX_HYPOTHESES`, if any
        self.extra_column = 0
        self.meta: dict[str, tuple[int, dict[str, Any]]] = {}
        self.hypotheses: list[dict] = []
        self.columns: dict[str, int] = {}
        self.hyp_columns: list[int] = []
        self.sources: dict[str, dict] = {}
        #: see :attr:`~analysis.interchange.common.Imported.places`
        self.places: dict[tuple[str, str], tuple[int, int]] = {}
        self.declared: set[str] = set()
        self.items: dict[str, list[dict]] = {kind: [] for kind in KINDS.values()}
        self.ids: dict[str, int] = {}
        self.title = self.question = self.marking = self.as_of = None
        self.concentration = None

    def header(self) -> None:
        row, cells = self.rows[0]
        taken: set[str] = set()
        for col, value in enumerate(cells, start=1):
            name = cell_text(value)
            if not name:
                self.blank_columns.append(col)
                continue
            if name.lower() in COLUMNS + EXTRA_COLUMNS:
                if name.lower() in self.columns:
                    self.located.add(row, f"column {name!r} appears twice; keep one", col)
                self.columns[name.lower()] = col
                continue
            if len(self.hypotheses) == MAX_HYPOTHESES:
                self.too_many_hypotheses(row, col)
                continue
            self.located.check(check_line_cell, name, "hypothesis label", row, col)
            wanted = name if _passes(check_id, name) else slug(name, f"h{len(self.hypotheses) + 1}")
            if wanted in taken:
                self.located.add(
                    row,
                    f"hypothesis column {name!r} repeats another; "
                    "every hypothesis needs its own column",
                    col,
                )
            self.hypotheses.append({"id": unique(wanted, taken), "label": name})
            self.hyp_columns.append(col)
            self.places[("hypothesis", self.hypotheses[-1]["id"])] = (row, col)
        for needed in ("id", "claim"):
            if needed not in self.columns:
                self.located.add(
                    row,
                    f"the header has no {needed!r} column; the first row must name the "
                    f"columns ({', '.join(COLUMNS)}, then one per hypothesis)",
                )
        if len(self.hypotheses) < 2:
            self.located.add(
                row,
                f"the header names {len(self.hypotheses)} hypothesis column(s); ACH needs at "
                f"least two (every column that is not one of {', '.join(COLUMNS)} is one)",
            )

    def too_many_hypotheses(self, row: int, col: int) -> None:
        """A problem at the first hypothesis column past the limit (once)."""
        if self.extra_column:
            return
        self.extra_column = col
        self.located.add(
            row,
            f"the header names more than {MAX_HYPOTHESES} hypothesis columns; a case may hold "
            f"at most {MAX_HYPOTHESES} hypotheses: split the case or remove some (every column "
            f"that is not one of {', '.join(COLUMNS + EXTRA_COLUMNS)} is one)",
            col,
        )

    def get(self, cells: list[Any], name: str) -> tuple[str, int]:
        col = self.columns.get(name, 0)
        return (cell_text(cells[col - 1]) if col and col <= len(cells) else ""), col

    def run(self) -> tuple[dict, dict]:
        self.header()
        self.located.raise_if_any()
        width = len(self.rows[0][1])
        for row, cells in self.rows[1:]:
            if not any(cell_text(c) for c in cells):
                continue
            if len(cells) > width and any(cell_text(c) for c in cells[width:]):
                self.located.add(
                    row,
                    f"row has {len(cells)} cells; the header has {width} "
                    "(a comma or cell too many?)",
                    width + 1,
                )
                continue
            if len(cells) < width and self.csv:
                self.located.add(
                    row,
                    f"row has {len(cells)} cells; the header has {width} "
                    "(a missing comma or cell?)",
                    len(cells) or 1,
                )
                continue
            cells = list(cells) + [None] * (width - len(cells))
            stray = [c for c in self.blank_columns if cell_text(cells[c - 1])]
            for col in stray:
                self.located.add(row, "this cell's column has no header; name it or empty it", col)
            if stray:
                continue
            ident, col = self.get(cells, "id")
            if ident.startswith("#"):
                self.meta_row(ident, row, col, cells)
            else:
                self.item_row(ident, row, col, cells)
        return self.documents()

    def meta_row(self, name: str, row: int, col: int, cells: list[Any]) -> None:
        name = name.lower()
        claim, claim_col = self.get(cells, "claim")
        if name in _FIELDS:  # see Imported.places
            where = self.hyp_columns[0] if name == "#prior" else claim_col
            self.places[("field", _FIELDS[name])] = (row, where)
        if name == "#title":
            self.title = self.located.check(check_line_cell, claim, "#title", row, claim_col)
        elif name == "#question":
            self.question = self.located.check(check_text, claim, "#question", row, claim_col)
        elif name == "#marking":
            self.marking = self.located.check(check_line_cell, claim, "#marking", row, claim_col)
        elif name == "#as_of":
            self.as_of = self.located.check(check_date, claim, "#as_of", row, claim_col)
        elif name == "#concentration":
            self.concentration = self.located.check(
                check_positive, as_number(claim), "#concentration", row, claim_col
            )
        elif name in ("#label", "#description", "#prior"):
            key = name[1:]
            for hypothesis, hcol in zip(self.hypotheses, self.hyp_columns, strict=True):
                text = cell_text(cells[hcol - 1])
                subject = f"hypothesis {hypothesis['id']!r} {key}"
                if key == "prior":
                    value = self.located.check(
                        check_probability, as_number(text), subject, row, hcol
                    )
                    if value is not None:
                        hypothesis["prior"] = value
                elif text or key == "label":
                    checker = check_line_cell if key == "label" else check_text
                    value = self.located.check(checker, text, subject, row, hcol)
                    if value is not None:
                        hypothesis[key] = value
        elif name == "#source":
            ident, scol = self.get(cells, "source")
            if self.located.check(check_id, ident, "#source id", row, scol) is None:
                return
            if ident in self.declared:
                self.located.add(
                    row, f"source {ident!r} is declared twice; keep one #source row", scol
                )
            self.declared.add(ident)
            self.places[("source", ident)] = (row, scol)
            entry = {"id": ident, "name": claim or ident}
            self.source_credibility(entry, cells, row, declared=True)
            self.sources[ident] = entry
        else:
            self.located.add(
                row, f"id {name!r} is not a known # row; use one of {', '.join(META_ROWS)}", col
            )

    def source_credibility(self, entry: dict, cells: list[Any], row: int, declared: bool) -> None:
        text, col = self.get(cells, "credibility")
        if not text:
            return
        value = self.located.check(
            check_source_credibility,
            as_number(text),
            f"source {entry['id']!r} credibility",
            row,
            col,
        )
        if value is None:
            return
        if "credibility" in entry and entry["credibility"] != value:
            self.located.add(
                row,
                f"credibility {text} differs from source {entry['id']!r}'s "
                f"({entry['credibility']}); an item's credibility is its source's",
                col,
            )
        entry["credibility"] = value

    def item_source(self, cells: list[Any], row: int) -> str | None:
        name, _ = self.get(cells, "source")
        credibility, _ = self.get(cells, "credibility")
        if not name and not credibility:
            return None
        if not name:
            name = f"credibility {credibility}"
        ident = name if _passes(check_id, name) else slug(name, "source")
        entry = self.sources.setdefault(ident, {"id": ident, "name": name})
        self.places.setdefault(("source", ident), (row, self.get(cells, "source")[1]))
        self.source_credibility(entry, cells, row, declared=False)
        return ident

    def item_row(self, ident: str, row: int, col: int, cells: list[Any]) -> None:
        if self.located.check(check_id, ident, "item id", row, col) is None:
            return
        if ident in self.ids:
            self.located.add(
                row,
                f"item id {ident!r} is also on row {self.ids[ident]}; every item needs its own id",
                col,
            )
            return
        self.ids[ident] = row
        kind_text, kcol = self.get(cells, "kind")
        kind = KINDS.get(kind_text.lower() or "evidence")
        if kind is None:
            self.located.add(row, f"kind is {kind_text!r}; must be one of {', '.join(KINDS)}", kcol)
            return
        claim, ccol = self.get(cells, "claim")
        text_key = {"events": "description", "assumptions": "statement"}.get(kind, "claim")
        item: dict[str, Any] = {
            "id": ident,
            text_key: self.located.check(check_text, claim, f"{ident!r} claim", row, ccol),
        }
        if kind == "assumptions":
            self.assumption_row(item, ident, row, cells)
        else:
            self.weighed_row(item, kind, ident, row, cells)
        rationale, _ = self.get(cells, "rationale")
        if rationale:
            item["rationale"] = rationale
        self.items[kind].append(item)
        self.places[(_NAMED[kind], ident)] = (row, col)

    def assumption_row(self, item: dict, ident: str, row: int, cells: list[Any]) -> None:
        text, col = self.get(cells, "rests_on")
        item["rests_on"] = split_list(text)
        if not item["rests_on"]:
            self.located.add(
                row, f"assumption {ident!r} rests_on is empty; name the item or event ids", col
            )

    def weighed_row(self, item: dict, kind: str, ident: str, row: int, cells: list[Any]) -> None:
        """An evidence item, indicator or event: its fields and hypothesis cells."""
        keys = ("date",) if kind == "events" else ("date", "relevance")
        for key, checker in ((k, check_date if k == "date" else check_level) for k in keys):
            text, kcol = self.get(cells, key)
            if text:
                item[key] = self.located.check(
                    checker,
                    text.lower() if key == "relevance" else text,
                    f"item {ident!r} {key}",
                    row,
                    kcol,
                )
        if kind != "events":
            self.item_fields(item, kind, ident, row, cells)
        if item.get("event"):
            for hcol in self.hyp_columns:
                if cell_text(cells[hcol - 1]):
                    self.located.add(
                        row,
                        f"item {ident!r} reports event {item['event']!r}: leave its hypothesis "
                        "cells empty (they are the event's)",
                        hcol,
                    )
            return
        likelihoods, ratings = {}, {}
        for hypothesis, hcol in zip(self.hypotheses, self.hyp_columns, strict=True):
            subject = f"item {ident!r} under {hypothesis['label']!r}"
            likelihood, rating = _cell_value(self.located, cells[hcol - 1], subject, row, hcol)
            if likelihood is not None:
                likelihoods[hypothesis["id"]] = likelihood
            if rating is not None:
                ratings[hypothesis["id"]] = rating
        if likelihoods:
            item["likelihoods"] = likelihoods
        if ratings:
            item["ratings"] = ratings

    def item_fields(self, item: dict, kind: str, ident: str, row: int, cells: list[Any]) -> None:
        """The fields of evidence and indicators only: source, tags, event, retracted."""
        text, ucol = self.get(cells, "if_unreliable")
        if text:
            item["if_unreliable"] = self.located.check(
                check_probability, as_number(text), f"item {ident!r} if_unreliable", row, ucol
            )
        source = self.item_source(cells, row)
        if source is None and kind == "evidence":
            source = self.sources.setdefault(
                "unattributed", {"id": "unattributed", "name": "Unattributed"}
            )["id"]
        if source is not None:
            item["source"] = source
        tags, _ = self.get(cells, "tags")
        if split_list(tags):
            item["tags"] = split_list(tags)
        if kind != "evidence":
            return
        event, ecol = self.get(cells, "event")
        if event:
            item["event"] = self.located.check(check_id, event, f"item {ident!r} event", row, ecol)
        flag, fcol = self.get(cells, "retracted")
        if flag.lower() in _TRUE:
            item["retracted"] = True
        elif flag and flag.lower() not in _FALSE:
            self.located.add(
                row, f"item {ident!r} retracted is {flag!r}; write true or false", fcol
            )

    def documents(self) -> tuple[dict, dict]:
        if not self.items["evidence"] and not self.located.problems:
            self.located.add(
                self.rows[0][0],
                "there are no item rows under the header; add one row per evidence item",
            )
        self.located.raise_if_any()
        title = self.title or "Imported case"
        hypotheses: dict[str, Any] = {"case": "imported", "title": title}
        hypotheses["question"] = self.question or title
        for key, value in (("as_of", self.as_of), ("marking", self.marking)):
            if value is not None:
                hypotheses[key] = value
        hypotheses["hypotheses"] = self.hypotheses
        evidence: dict[str, Any] = {"case": "imported"}
        if self.concentration is not None:
            evidence["defaults"] = {"concentration": self.concentration}
        evidence["sources"] = list(self.sources.values())
        evidence["evidence"] = self.items["evidence"]
        for key in ("events", "assumptions", "indicators"):
            if self.items[key]:
                evidence[key] = self.items[key]
        return hypotheses, evidence


def split_list(text: str) -> list[str]:
    """``a; b`` or ``a, b`` as ``[a, b]`` (empty parts dropped); a JSON list of text
    (``["Iran, Syria", "a;b"]``, as :func:`join_list` writes parts holding ``,`` or ``;``)
    as the parts it lists, exactly."""
    if text.startswith("[") and text.endswith("]"):
        try:
            parts = json.loads(text)
        except ValueError:
            parts = None
        if isinstance(parts, list) and all(isinstance(part, str) for part in parts):
            return parts
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def join_list(parts: tuple[str, ...] | list[str]) -> str | None:
    """``parts`` as one cell that :func:`split_list` reads back exactly: ``a; b``, or a JSON
    list where that would not do (a part holding ``,`` or ``;``); None for no parts."""
    if not parts:
        return None
    joined = "; ".join(parts)
    if split_list(joined) == list(parts):
        return joined
    return json.dumps(list(parts), ensure_ascii=False)


def _passes(checker, value) -> bool:
    try:
        checker(value)
    except Exception:
        return False
    return True


def read_rows(rows: list[Row], display: str, csv: bool) -> Imported:
    """The case held by a table's ``rows``."""
    reader = _Reader(rows, display, csv)
    hypotheses, evidence = reader.run()
    columns = {h["id"]: col for h, col in zip(reader.hypotheses, reader.hyp_columns, strict=True)}
    return Imported(hypotheses, evidence, places=reader.places, columns=columns)


__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "KINDS",
    "META_ROWS",
    "join_list",
    "read_rows",
    "split_list",
]
