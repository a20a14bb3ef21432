"""Editing a case's two files in place, keeping everything the edit does not touch.

A :class:`Draft` holds both documents as ruamel.yaml round-trip data, so comments, key
order, flow style and quoting survive: after one edit, a diff of the file shows only
the lines that edit changed. The draft may be invalid while it is being built; its
:meth:`Draft.problems` are the loader's own, and :func:`save_draft` writes nothing
while there is one. A save over the files the draft was read from refuses when they
changed on disk since (another analyst, an editor, a ``git pull``): :class:`Conflict`.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString

from analysis.case import Case
from analysis.casefile.layout import case_paths, check_name, existing_files
from analysis.casefile.yamlio import float_text, reads_as_text
from analysis.errors import AchError, CaseError, CaseExists, Problem

FOLDERS = ("hypotheses", "evidence")


def _document_of(key: str) -> int:
    """0 for what the hypotheses file holds, 1 for the evidence file."""
    return 0 if key in ("title", "question", "as_of", "marking", "hypotheses") else 1


class _Yaml11Representer(RoundTripRepresenter):
    """ruamel writes YAML 1.2; the case loader reads YAML 1.1 (PyYAML). This writes what
    1.1 reads back as written: a float with a point before its exponent (``1.0e-05``:
    1.1 reads ``1e-05`` as text), and quoted any text 1.1 would read as something else
    (``yes``, ``off``, ``12:30``: a bool, a bool, 750)."""


def _represent_float(representer: RoundTripRepresenter, data: float) -> Any:
    if not math.isfinite(data):
        return RoundTripRepresenter.represent_float(representer, data)
    return representer.represent_scalar("tag:yaml.org,2002:float", float_text(data))


def _represent_str(representer: RoundTripRepresenter, data: str) -> Any:
    if data and not reads_as_text(data):
        return representer.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return RoundTripRepresenter.represent_str(representer, data)


_Yaml11Representer.add_representer(float, _represent_float)
_Yaml11Representer.add_representer(str, _represent_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")  # round trip: builds plain mappings, never runs a tag
    yaml.Representer = _Yaml11Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line the edit did not touch
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def digest(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


class Conflict(AchError):
    """The files changed on disk since the draft read them: saving would lose that change."""

    def __init__(self, changes: list[str]):
        self.changes = changes
        super().__init__("; ".join(changes))


def _what_changed(display: str, before: str | None, now: str | None) -> str:
    if now is None:
        return f"{display} was deleted"
    if before is None:
        return f"{display} was created by someone else"
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), now.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    shown = ", ".join(repr(line[:60]) for line in diff[:3])
    more = f" and {len(diff) - 3} more" if len(diff) > 3 else ""
    return f"{display} changed on disk ({len(diff)} lines differ: {shown}{more})"


@dataclass
class Draft:
    """A case being built or edited: the two documents, and the texts they were read from."""

    name: str
    documents: list[CommentedMap]
    #: the file texts as read (None for a new case): what a save checks the disk against
    base: list[str | None] = field(default_factory=lambda: [None, None])
    #: the case name the files were read as (None for a case not yet saved)
    origin: str | None = None
    _texts: tuple[str, str] | None = None

    # -- making one ---------------------------------------------------------------------
    @classmethod
    def new(cls, name: str, title: str = "", question: str = "") -> Draft:
        check_name(name)
        hypotheses = CommentedMap(
            [("case", name), ("title", title), ("question", question), ("hypotheses", [])]
        )
        evidence = CommentedMap([("case", name), ("sources", []), ("evidence", [])])
        for doc in (hypotheses, evidence):
            for key, value in doc.items():
                if isinstance(value, list):
                    doc[key] = CommentedSeq()
        return cls(name, [hypotheses, evidence])

    @classmethod
    def from_texts(cls, name: str, texts: Iterable[str], base=None, origin=None) -> Draft:
        """A draft of ``texts`` (the two documents); raises :class:`CaseError` if unreadable."""
        documents = []
        for folder, text in zip(FOLDERS, texts, strict=True):
            display = f"{folder}/{name}.yaml"
            try:
                data = _yaml().load(text)
            except Exception as error:
                raise CaseError([Problem(display, 0, f"cannot be edited: {error}")]) from None
            if not isinstance(data, CommentedMap):
                raise CaseError([Problem(display, 0, "must be a mapping to be edited")])
            documents.append(data)
        return cls(name, documents, list(base or [None, None]), origin)

    @classmethod
    def read(cls, root: str | Path, name: str) -> Draft:
        """The draft of case ``name`` under ``root`` as it is on disk now."""
        texts = [p.read_text(encoding="utf-8") for p in case_paths(root, name)]
        return cls.from_texts(name, texts, base=texts, origin=name)

    @classmethod
    def from_data(cls, name: str, hypotheses: dict, evidence: dict) -> Draft:
        """A new draft holding plain documents (e.g. an imported file)."""
        draft = cls.from_texts(name, [_dump(hypotheses), _dump(evidence)])
        draft.rename(name)
        return draft

    # -- reading it ---------------------------------------------------------------------
    def texts(self) -> tuple[str, str]:
        """Both documents as YAML (what a save writes)."""
        if self._texts is None:
            self._texts = (_dump(self.documents[0]), _dump(self.documents[1]))
        return self._texts

    def displays(self) -> tuple[str, str]:
        return f"hypotheses/{self.name}.yaml", f"evidence/{self.name}.yaml"

    def problems(self) -> list[Problem]:
        """Every problem the loader finds in the draft, in the CLI's words (none: valid)."""
        return self.check()[1]

    def check(self) -> tuple[Case | None, list[Problem]]:
        from analysis.casefile.loader import load_case_texts

        hyp_name, ev_name = self.displays()
        try:
            return load_case_texts(*self.texts(), hyp_name, ev_name), []
        except CaseError as error:
            return None, error.problems

    def entries(self, key: str) -> CommentedSeq:
        doc = self.documents[_document_of(key)]
        if not isinstance(doc.get(key), list):
            doc[key] = CommentedSeq()
        return doc[key]

    def copy(self) -> Draft:
        return Draft(self.name, copy.deepcopy(self.documents), list(self.base), self.origin)

    # -- editing it ---------------------------------------------------------------------
    def changed(self) -> None:
        self._texts = None

    def rename(self, name: str) -> None:
        """The draft as case ``name`` (both files' ``case`` key)."""
        check_name(name)
        self.name = name
        for doc in self.documents:
            doc["case"] = name
        self.changed()

    def set(self, path: tuple, value: Any) -> None:
        """Set ``path`` (e.g. ``("evidence", 2, "claim")``) to ``value``; None removes the key.

        Maps created on the way (an item's first likelihood) are written on one line; a
        map left empty by a removal goes too.
        """
        parent = self.documents[_document_of(path[0])]
        chain = []
        for part in path[:-1]:
            if isinstance(parent, dict) and part not in parent:
                if value is None:
                    return
                parent[part] = styled({})
            chain.append((parent, part))
            parent = parent[part]
        last = path[-1]
        if value is None:
            if not (isinstance(parent, dict) and last in parent):
                return
            del parent[last]
            for owner, part in reversed(chain[1:]):  # never the top-level lists
                if isinstance(owner[part], dict) and not owner[part]:
                    del owner[part]
        elif isinstance(parent, dict) and last in parent and _same(parent[last], value):
            return
        else:
            parent[last] = styled(value)
        self.changed()

    def add(self, key: str, data: dict, index: int | None = None) -> int:
        """Add ``data`` to the list ``key`` (at the end by default); return its index."""
        entries = self.entries(key)
        index = len(entries) if index is None else index
        entries.insert(index, data if isinstance(data, CommentedMap) else entry(data))
        self.changed()
        return index

    def remove(self, key: str, index: int) -> None:
        del self.entries(key)[index]
        self.changed()

    def move(self, key: str, index: int, to: int) -> None:
        entries = self.entries(key)
        if 0 <= to < len(entries) and to != index:
            entries.insert(to, entries.pop(index))
            self.changed()

    def items(self) -> Iterable[CommentedMap]:
        """Every item, event and indicator (the entries with likelihoods or a source)."""
        for key in ("evidence", "events", "indicators"):
            listed = self.documents[1].get(key)
            for entry in listed if isinstance(listed, list) else []:
                if isinstance(entry, dict):
                    yield entry

    def rename_key(self, kind: str, old: str, new: str) -> None:
        """Follow a renamed id into everything that names it.

        ``kind`` is ``hypothesis`` (likelihood and rating maps), ``source`` (items'
        ``source``), ``event`` (items' ``event`` and assumptions' ``rests_on``) or
        ``item`` (assumptions' ``rests_on``).
        """
        for entry in self.items():
            if entry.get(kind if kind in ("source", "event") else "") == old:
                entry[kind] = new
            for cells in ("likelihoods", "ratings"):
                held = entry.get(cells)
                if kind == "hypothesis" and isinstance(held, dict) and old in held:
                    _rename_in_place(held, old, new)
        if kind in ("event", "item"):
            listed = self.documents[1].get("assumptions")
            for assumption in listed if isinstance(listed, list) else []:
                rests = assumption.get("rests_on") if isinstance(assumption, dict) else None
                if isinstance(rests, list) and old in rests:
                    rests[rests.index(old)] = new
        self.changed()

    def drop_hypothesis_cells(self, hypothesis: str) -> None:
        """Remove a removed hypothesis's cells from every item."""
        for entry in self.items():
            for cells in ("likelihoods", "ratings"):
                held = entry.get(cells)
                if isinstance(held, dict) and hypothesis in held:
                    del held[hypothesis]
                    if not held:
                        del entry[cells]
        self.changed()

    def unrated(self, hypothesis: str) -> list[tuple[str, int]]:
        """``(list, index)`` of every item, event and indicator that gives ``hypothesis``
        neither a likelihood nor a rating (an item reporting an event takes the event's)."""
        found = []
        for key in ("evidence", "events", "indicators"):
            listed = self.documents[1].get(key)
            for index, entry in enumerate(listed if isinstance(listed, list) else []):
                if not isinstance(entry, dict) or (key == "evidence" and entry.get("event")):
                    continue
                cells = [entry.get(c) for c in ("likelihoods", "ratings")]
                if not any(isinstance(m, dict) and hypothesis in m for m in cells):
                    found.append((key, index))
        return found

    def fill_unrated(self, hypothesis: str, likelihood: Any = None, rating: str | None = None):
        """Give ``hypothesis`` a number in every entry :meth:`unrated` lists: ``likelihood``
        or ``rating`` when given, else each entry's :func:`neutral_likelihood` (the
        hypothesis is then weighed like an average one by it)."""
        for key, index in self.unrated(hypothesis):
            entry = self.entries(key)[index]
            if likelihood is None and rating is None:
                self.set((key, index, "likelihoods", hypothesis), neutral_likelihood(entry))
            elif rating is not None:
                self.set((key, index, "ratings", hypothesis), rating)
            else:
                self.set((key, index, "likelihoods", hypothesis), likelihood)


def neutral_likelihood(entry: dict) -> float:
    """The mean of the numbers ``entry`` gives its hypotheses, to two places, each as the
    engine reads it: a point as written, a range by its fitted Beta's mean
    (:func:`~analysis.elicit.range_mean`), else a Heuer rating by the likelihood it stands
    for (words and unreadable cells are left out; 0.5 when nothing is left)."""
    from analysis.elicit import range_mean
    from analysis.scales import RATING_LIKELIHOOD

    def mapping(cells: str) -> dict:
        held = entry.get(cells)
        return held if isinstance(held, dict) else {}

    def number(value: Any) -> float | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, list) and len(value) == 2:
            low, high = (number(v) for v in value)
            try:
                return None if low is None or high is None else range_mean(low, high)
            except ValueError:  # RangeFitError: the loader words what is wrong with it
                return None
        return None

    likelihoods, ratings = mapping("likelihoods"), mapping("ratings")
    values = []
    for hypothesis in {**likelihoods, **ratings}:
        value = number(likelihoods.get(hypothesis))
        if value is None:
            value = RATING_LIKELIHOOD.get(str(ratings.get(hypothesis)))
        if value is not None and 0.0 <= value <= 1.0:
            values.append(value)
    return round(sum(values) / len(values), 2) if values else 0.5


def _same(old: Any, new: Any) -> bool:
    """True when writing ``new`` over ``old`` would change nothing (dates compared as text)."""

    def kind(value: Any) -> tuple[type, Any]:
        if isinstance(value, dt.date):
            return str, value.isoformat()
        for family in (bool, int | float, str, dict, list):
            if isinstance(value, family):
                return (float if family == int | float else family), value  # type: ignore[return-value]
        return type(value), value

    return kind(old) == kind(new)


def _rename_in_place(mapping: CommentedMap, old: str, new: str) -> None:
    """Rename key ``old`` to ``new`` where it stands (order and comments kept)."""
    position = list(mapping).index(old)
    value = mapping.pop(old)
    mapping.insert(position, new, value)


def styled(value: Any, *, dates: bool = True, blocks: bool = False) -> Any:
    """``value`` as ruamel data in the case files' style: maps and lists on one line
    (``blocks``: a map of maps keeps one entry per line, as a judgment file's
    ``likelihoods``); ``dates``: a 10-character ISO date string is written as a date,
    unquoted, as analysts write dates."""
    if isinstance(value, CommentedMap | CommentedSeq):
        return value
    if isinstance(value, dict | list | tuple):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        out = CommentedMap() if isinstance(value, dict) else CommentedSeq()
        for key, item in items:
            if isinstance(out, CommentedMap):
                out[key] = styled(item, dates=dates, blocks=blocks)
            else:
                out.append(styled(item, dates=dates, blocks=blocks))
        if not (
            blocks and isinstance(value, dict) and any(isinstance(v, dict) for v in value.values())
        ):
            out.fa.set_flow_style()
        return out
    if dates and isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def entry(data: dict) -> CommentedMap:
    """A new list entry: one key per line, its maps and lists on one line each."""
    return CommentedMap((key, styled(value)) for key, value in data.items())


def merged_text(text: str, data: dict) -> str | None:
    """``text`` (a YAML mapping) changed to hold ``data``: keys ``data`` lacks go, values
    it changes are rewritten in place (a list keeps its layout), new keys are added at the
    end of their mapping; the comments, order, line ends, byte order mark and layout of
    everything else stay as the user wrote them. A changed value that is an anchor or an
    alias is written out whole (changing it in place would change every alias too). None when
    ruamel cannot read ``text`` round trip although the loader could (a tab before a
    comment): the caller then writes the file afresh."""
    crlf = "\r\n" in text
    try:
        document = _yaml().load(text.replace("\r\n", "\n"))  # ruamel keeps a \r in comments
    except YAMLError:
        return None
    if not isinstance(document, CommentedMap):
        return None
    _sync(document, data)
    out = io.StringIO()
    writer = _yaml()
    writer.explicit_start = text.lstrip("\ufeff").startswith("---")
    writer.dump(document, out)
    written = out.getvalue()
    if crlf:
        written = written.replace("\n", "\r\n")
    return ("\ufeff" if text.startswith("\ufeff") else "") + written


def _shared(node: Any) -> bool:
    """Whether ``node`` is an anchor's (and so perhaps an alias's) value."""
    anchor = getattr(node, "anchor", None)
    return anchor is not None and anchor.value is not None


def _sync(target: CommentedMap, new: dict) -> None:
    for key in [k for k in target if k not in new]:
        del target[key]
    for key, value in new.items():
        old = target.get(key)
        if _shared(old):  # changed in place, every alias would change with it
            if not _same(old, value):
                target[key] = _new_value(value)  # written out whole, an alias no more
        elif isinstance(old, CommentedMap) and isinstance(value, dict):
            _sync(old, value)
        elif isinstance(old, CommentedSeq) and isinstance(value, list | tuple):
            _sync_list(old, list(value))
        elif key not in target or not _same(old, value):
            target[key] = _new_value(value)


def _sync_list(target: CommentedSeq, new: list) -> None:
    if len(target) != len(new):
        target[:] = [_new_value(v) for v in new]
        return
    for index, value in enumerate(new):
        if not _same(target[index], value):
            target[index] = _new_value(value)


def _new_value(value: Any) -> Any:
    """A value written by a merge: in the files' style, text kept as text, a text of
    several lines as a literal block."""
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return styled(value, dates=False, blocks=True)


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


# -- saving -------------------------------------------------------------------------------
def save_draft(draft: Draft, root: str | Path, name: str | None = None) -> Case:
    """Write the draft as case ``name`` (default its own) under ``root``; return it loaded.

    Refuses with the loader's problems while the draft has any; with :class:`Conflict`
    when saving over the files it was read from and they changed on disk since; with
    :class:`~analysis.errors.CaseExists` when another case of that name exists.
    """
    from analysis.casefile.save import save_texts

    target = draft if name is None or name == draft.name else draft.copy()
    if target is not draft:
        target.rename(name)
    _, problems = target.check()
    if problems:
        raise CaseError(problems)
    in_place = target.origin is not None and target.origin == target.name
    paths = case_paths(root, target.name)
    base = Path(root).resolve()
    outside = [p for p in paths if not p.resolve().is_relative_to(base)]
    if outside:
        raise CaseError([Problem(str(p), 0, f"resolves outside {root}; refused") for p in outside])
    if in_place:
        now = [p.read_text(encoding="utf-8") if p.exists() else None for p in paths]
        changes = [
            _what_changed(f"{folder}/{target.name}.yaml", before, after)
            for folder, before, after in zip(FOLDERS, target.base, now, strict=True)
            if digest(before) != digest(after)
        ]
        if changes:
            raise Conflict(changes)
    elif existing_files(root, target.name):
        raise CaseExists(existing_files(root, target.name))
    texts = target.texts()
    case = save_texts(target.name, *texts, root=root, overwrite=in_place)
    draft.name, draft.origin, draft.base = target.name, target.name, list(texts)
    draft.documents = target.documents
    draft.changed()
    return case
