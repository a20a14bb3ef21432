"""One editor for every list of a case (hypotheses, sources, evidence, indicators).

A compact table lists the entries; one entry at a time is edited in a form, so the page
costs the same at 100 items as at 5. Each field shows the loader's problems about it,
in the CLI's words, right below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from analysis.casefile.edit import Draft
from analysis.interchange.common import as_number, split_answer
from analysis.scales import RATING_LIKELIHOOD, RATING_MEANING
from analysis.wording import shortened
from app import build_state as bs
from app.widgets import esc

RATING_HELP = "; ".join(
    f"{code} = {RATING_MEANING[code]} ({RATING_LIKELIHOOD[code]:g})" for code in RATING_LIKELIHOOD
)
ANSWER_HELP = (
    "A Heuer rating, a likelihood (0.7), a 90% range ([0.5, 0.8]) or both (0.7 (C)). " + RATING_HELP
)
NO_RATIONALE = "No rationale yet: say in one line why these likelihoods (a reader will ask)."


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"  # text | area | number | choice | source
    required: bool = False
    help: str | None = None


FIELDS: dict[str, tuple[Field, ...]] = {
    "hypotheses": (
        Field("id", "Id (a-z, 0-9, '_', '-')", required=True),
        Field("label", "Label (what readers see)", required=True),
        Field("description", "Description", "area"),
        Field("prior", "Prior (optional: give every hypothesis one, or none)", "number"),
    ),
    "sources": (
        Field("id", "Id", required=True),
        Field("name", "Name", required=True),
        Field(
            "credibility",
            "Credibility: P(the report is accurate)",
            "number",
            help="A number (0.8), a 90% range ([0.6, 0.9]) or low / medium / high; "
            "blank means 1 (fully reliable).",
        ),
    ),
}
_ITEM = (
    Field("id", "Id", required=True),
    Field("claim", "Claim: what the report says", "area", required=True),
    Field("source", "Source", "source"),
    Field("date", "Date (YYYY-MM-DD)"),
    Field("relevance", "Relevance (Heuer weighting)", "choice"),
    Field("rationale", "Rationale: why these likelihoods", "area"),
    Field(
        "if_unreliable",
        "If the source is not accurate, how likely is such a report? (optional)",
        "number",
        help="Blank: the prior-weighted mean of the likelihoods (an unreliable report "
        "then tells nothing).",
    ),
)
_TAGS = Field("tags", "Tags (comma-separated: types, codes, flags)", "list")
FIELDS["evidence"] = (
    *_ITEM[:3],
    Field("event", "Reports the event (its likelihoods are then the event's)", "event"),
    *_ITEM[3:],
    _TAGS,
    Field("retracted", "Retracted: kept on record, carries no weight", "flag"),
)
FIELDS["indicators"] = (*_ITEM, _TAGS)
FIELDS["events"] = (
    Field("id", "Id", required=True),
    Field("description", "What happened", "area", required=True),
    Field("date", "Date (YYYY-MM-DD)"),
    Field("rationale", "Rationale: why these likelihoods", "area"),
)
FIELDS["assumptions"] = (
    Field("id", "Id", required=True),
    Field("statement", "The assumption", "area", required=True),
    Field(
        "rests_on",
        "Rests on (item or event ids, comma-separated)",
        "list",
        help="If the assumption fails, these carry no weight.",
    ),
    Field("rationale", "Why it holds", "area"),
)
#: the lists whose entries are weighed against each hypothesis
WEIGHED = ("evidence", "events", "indicators")
#: the lists sharing one id space (ids are unique across them)
ITEMS = ("evidence", "events", "assumptions", "indicators")
SINGULAR = {"hypotheses": "hypothesis", "sources": "source", "evidence": "item",
            "events": "event", "assumptions": "assumption", "indicators": "indicator"}  # fmt: skip
ADD = {"hypotheses": "Add a hypothesis", "sources": "Add a source", "evidence": "Add an item",
       "events": "Add an event", "assumptions": "Add an assumption",
       "indicators": "Add an indicator"}  # fmt: skip
PREFIX = {"hypotheses": "h", "sources": "s", "evidence": "e", "events": "v", "assumptions": "a",
          "indicators": "i"}  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def _short(text: str) -> str:
    return shortened(text, 70)


def _list_text(value: Any) -> str:
    """A list field as its text box shows it: ``a, b``."""
    return ", ".join(_text(v) for v in value) if isinstance(value, list) else _text(value)


def answer_text(entry: dict, hypothesis: str) -> str:
    """An item's cell as the answer field shows it: ``0.7``, ``C`` or ``0.7 (C)``."""
    likelihoods, ratings = entry.get("likelihoods") or {}, entry.get("ratings") or {}
    value = _text(likelihoods.get(hypothesis)) if isinstance(likelihoods, dict) else ""
    rating = _text(ratings.get(hypothesis)) if isinstance(ratings, dict) else ""
    if value and rating:
        return f"{value} ({rating})"
    return value or rating


def field_value(field: Field, text: str) -> Any:
    """What a field's text writes into the draft (None removes the key)."""
    if field.kind == "flag":
        return True if text else None
    text = text.strip()
    if field.kind == "list":
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        return parts or (None if field.key != "rests_on" else [])
    if not text:
        return "" if field.required else None
    return as_number(text) if field.kind == "number" else text


def _problems(located: dict, path: tuple) -> None:
    for message in bs.messages_under(located, path):
        st.error(message, icon="⚠️")


def ids_of(current: Draft, key: str) -> list[str]:
    return [str(e.get("id")) for e in current.entries(key) if isinstance(e, dict)]


def _new_id(current: Draft, key: str) -> str:
    taken = set(ids_of(current, key))
    if key in ITEMS:
        taken = {i for other in ITEMS for i in ids_of(current, other)}
    n = len(current.entries(key)) + 1
    while f"{PREFIX[key]}{n}" in taken:
        n += 1
    return f"{PREFIX[key]}{n}"


def _blank(current: Draft, key: str) -> dict:
    ident = _new_id(current, key)
    if key == "hypotheses":
        return {"id": ident, "label": f"Hypothesis {ident[1:]}"}
    if key == "sources":
        return {"id": ident, "name": f"Source {ident[1:]}"}
    if key == "events":
        return {"id": ident, "description": ""}
    if key == "assumptions":
        return {"id": ident, "statement": "", "rests_on": []}
    sources = ids_of(current, "sources")
    entry: dict = {"id": ident, "claim": ""}
    if key == "evidence" and sources:
        entry["source"] = sources[0]
    return entry


def pick_key(key: str) -> str:
    return f"build_pick_{key}"


def summary(current: Draft, key: str, located: dict) -> list[dict]:
    """One short row per entry for the table."""
    rows = []
    for index, entry in enumerate(current.entries(key)):
        entry = entry if isinstance(entry, dict) else {}
        row = {"#": index + 1, "id": _text(entry.get("id"))}
        if key == "hypotheses":
            row |= {"label": _text(entry.get("label")), "prior": _text(entry.get("prior"))}
        elif key == "sources":
            row |= {"name": _text(entry.get("name")),
                    "credibility": _text(entry.get("credibility")) or "1"}  # fmt: skip
        elif key == "assumptions":
            row |= {"statement": _short(_text(entry.get("statement"))),
                    "rests on": _list_text(entry.get("rests_on"))}  # fmt: skip
        elif key == "events":
            reports = sum(1 for e in current.entries("evidence")
                          if isinstance(e, dict) and e.get("event") == entry.get("id"))  # fmt: skip
            row |= {"description": _short(_text(entry.get("description"))),
                    "date": _text(entry.get("date")), "reported by": reports}  # fmt: skip
        else:
            claim = _text(entry.get("claim"))
            row |= {
                "claim": _short(claim),
                "source": _text(entry.get("source")),
                "date": _text(entry.get("date")),
                "rationale": "yes" if _text(entry.get("rationale")).strip() else "missing",
            }
        row["problems"] = len(bs.messages_under(located, (key, index)))
        rows.append(row)
    return rows


def list_section(key: str, title: str, intro: str) -> None:
    """The table of ``key``'s entries, an add button, and the editor of the picked one."""
    current = bs.draft()
    assert current is not None
    _, _, located = bs.checked()
    st.subheader(title)
    st.caption(intro)
    for message in located.get((key,), []):  # about the list itself ("lists 0")
        st.error(message, icon="⚠️")
    entries = current.entries(key)
    if entries:
        st.dataframe(summary(current, key, located), hide_index=True, width="stretch",
                     height=min(38 + 35 * len(entries), 320))  # fmt: skip
    if st.button(ADD[key], key=f"build_add_{key}"):
        bs.edit(lambda d: st.session_state.__setitem__(pick_key(key), d.add(key, _blank(d, key))))
        st.rerun()
    if not entries:
        return
    index = min(st.session_state.get(pick_key(key), 0), len(entries) - 1)
    labels = [f"{i + 1}. {_text(e.get('id')) if isinstance(e, dict) else '?'}"
              for i, e in enumerate(entries)]  # fmt: skip
    index = st.selectbox(
        f"Edit which {SINGULAR[key]}?",
        range(len(entries)),
        index=index,
        format_func=lambda i: labels[i],
        key=f"build_which_{key}_{bs.generation()}",
    )
    st.session_state[pick_key(key)] = index
    _editor(current, key, index, located)


def _editor(current: Draft, key: str, index: int, located: dict) -> None:
    entry = current.entries(key)[index]
    entry = entry if isinstance(entry, dict) else {}
    prefix = f"b|{key}|{index}|{bs.generation()}"
    with st.form(f"{prefix}|form", border=True):
        values: dict[str, Any] = {}
        for field in FIELDS[key]:
            values[field.key] = _widget(current, field, entry, f"{prefix}|{field.key}")
            _problems(located, (key, index, field.key))
        answers = {}
        if key in WEIGHED:
            if not _text(entry.get("rationale")).strip() and not entry.get("event"):
                st.warning(NO_RATIONALE)
            if entry.get("event"):
                st.info(
                    f"This item reports the event {_text(entry.get('event'))!r}: its "
                    "likelihoods are the event's (step Events)."
                )
            else:
                answers = _answers(current, key, index, entry, prefix, located)
        submitted = st.form_submit_button("Apply changes", type="primary", key=f"{prefix}|apply")
    if submitted:
        bs.edit(lambda d: _apply(d, key, index, entry, values, answers))
        st.rerun()
    up, down, remove = st.columns(3)
    last = len(current.entries(key)) - 1
    if up.button("Move up", key=f"{prefix}|up", disabled=index == 0):
        _move(key, index, index - 1)
    if down.button("Move down", key=f"{prefix}|down", disabled=index == last):
        _move(key, index, index + 1)
    if remove.button(f"Remove this {SINGULAR[key]}", key=f"{prefix}|remove"):
        ident = _text(entry.get("id"))

        def drop(d: Draft) -> None:
            d.remove(key, index)
            if key == "hypotheses":
                d.drop_hypothesis_cells(ident)

        bs.edit(drop)
        st.session_state[pick_key(key)] = max(0, index - 1)
        st.rerun()


def _move(key: str, index: int, to: int) -> None:
    bs.edit(lambda d: d.move(key, index, to))
    st.session_state[pick_key(key)] = to
    st.rerun()


def _widget(current: Draft, field: Field, entry: dict, key: str) -> Any:
    value = _text(entry.get(field.key))
    if field.kind == "flag":
        return st.checkbox(field.label, bool(entry.get(field.key)), key=key)
    if field.kind == "list":
        return st.text_input(field.label, _list_text(entry.get(field.key)), key=key,
                             help=field.help)  # fmt: skip
    if field.kind == "event":
        options = ["", *ids_of(current, "events")]
        if value and value not in options:
            options.append(value)
        return st.selectbox(field.label, options, index=options.index(value), key=key,
                            format_func=lambda o: o or "(none: weighed on its own)")  # fmt: skip
    if field.kind == "area":
        return st.text_area(field.label, value, key=key, height=80, help=field.help)
    if field.kind == "choice":
        options = ["", "low", "medium", "high"]
        chosen = value if value in options else ""
        return st.selectbox(field.label, options, index=options.index(chosen), key=key,
                            format_func=lambda o: o or "(not given: medium)")  # fmt: skip
    if field.kind == "source":
        options = ["", *ids_of(current, "sources")]
        if value and value not in options:
            options.append(value)
        names = {_text(s.get("id")): _text(s.get("name")) for s in current.entries("sources")
                 if isinstance(s, dict)}  # fmt: skip
        return st.selectbox(
            field.label,
            options,
            index=options.index(value),
            key=key,
            format_func=lambda o: f"{o}: {names.get(o, '')}" if o else "(none)",
        )
    return st.text_input(field.label, value, key=key, help=field.help)


def _answers(current: Draft, key: str, index: int, entry: dict, prefix: str, located: dict):
    st.markdown("**If this hypothesis were true, how likely is this report?**")
    answers = {}
    hypotheses = [h for h in current.entries("hypotheses") if isinstance(h, dict)]
    if not hypotheses:
        st.info("Add hypotheses first (step Hypotheses): each item is weighed against each.")
    for h in hypotheses:
        ident = _text(h.get("id"))
        answers[ident] = st.text_input(
            f"If **{esc(_text(h.get('label')) or ident)}** were true",  # as written
            answer_text(entry, ident),
            key=f"{prefix}|answer|{ident}",
            help=ANSWER_HELP,
            placeholder="C, 0.7 or [0.5, 0.8]",
        )
        for cells in ("likelihoods", "ratings"):
            _problems(located, (key, index, cells, ident))
    mine = {(key, index, "likelihoods"), (key, index, "ratings")}
    for path in mine:
        for message in located.get(path, []):
            st.error(message, icon="⚠️")
    return answers


def _apply(d: Draft, key: str, index: int, entry: dict, values: dict, answers: dict) -> None:
    old_id = _text(entry.get("id"))
    for field in FIELDS[key]:
        d.set((key, index, field.key), field_value(field, values[field.key]))
    new_id = _text(d.entries(key)[index].get("id"))
    if old_id and new_id and new_id != old_id and key != "indicators":
        d.rename_key(SINGULAR[key] if key != "evidence" else "item", old_id, new_id)
    if key in ("hypotheses", "sources", "assumptions"):
        return
    if key == "evidence" and field_value(FIELDS[key][3], values["event"]):
        d.set((key, index, "likelihoods"), None)  # the event's likelihoods replace its own
        d.set((key, index, "ratings"), None)
    for hypothesis, text in answers.items():
        number, rating, unknown = split_answer(text)
        d.set((key, index, "likelihoods", hypothesis), number)
        d.set((key, index, "ratings", hypothesis), rating or unknown)
