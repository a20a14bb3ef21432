"""The brief's "Where analysts disagree": who thinks what, in plain words, and whether
their differences change the bottom line. Renders a
:class:`~analysis.engine.pooling.Panel` (computes nothing): each analyst's leading
explanation against the pooled one, then the disagreements that matter most (the
engine's, ranked by swing), each with what every analyst said and why.

The body section names no ids; the annex table gives the cells by id with every
analyst's number and the swing. Without judgment files there is no section at all.
"""

from __future__ import annotations

from analysis.case import Case
from analysis.casefile.judgments import CASE_ANALYST
from analysis.engine.pooling import AnalystView, Disagreement, Panel, statement
from analysis.report.brief.content import BriefInput, said, sentence
from analysis.report.brief.model import (
    Block,
    Bullets,
    Cell,
    Heading,
    Line,
    Para,
    Run,
    Table,
    bold,
    cell,
    italic,
    line,
)
from analysis.report.panel import cell_name
from analysis.scales import reader_percent
from analysis.wording import count, joined

#: How many disagreements the body describes (the largest swings).
TOP = 3
#: How many the annex table lists.
ANNEX_TOP = 10
#: Below this swing (probability) a disagreement is not worth a reader's time.
MATTERS = 0.01
POOL_WORDS = {
    "linear": "the average of their conclusions",
    "log": "the geometric average of their conclusions",
    "bayes": "a model that gives less weight to analysts whose numbers scatter",
}


def _who(name: str) -> str:
    """An analyst as a reader reads them: their name, or ``the case file``."""
    return "the case file" if name == CASE_ANALYST else name


def _who_many(names: list[str]) -> str:
    return joined([_who(n) for n in names])


def _capital(text: str) -> str:
    """``The case file ...`` at the start of a sentence (an analyst's name stays as is)."""
    return "The" + text[3:] if text.startswith("the case file") else text


def _panel(source: BriefInput) -> Panel | None:
    panel = source.panel
    return panel if panel is not None and len(panel.analysts) > 1 else None


def _view_line(source: BriefInput, view: AnalystView) -> Line:
    analysis = source.analysis
    k = view.analysis.leader
    label = view.case.hypotheses[k].label
    parts: list[str | Run] = [
        bold(_capital(_who(view.name)) + ": "),
        f"{label} is the most likely, {said(analysis, float(view.posterior[k]))}.",
    ]
    notes = view.judgments.notes.strip() if view.judgments is not None else ""
    if notes:
        parts += [" ", italic(sentence(notes))]
    return line(*parts)


def _bottom_line(source: BriefInput, panel: Panel) -> str:
    case = panel.case
    by_leader: dict[int, list[str]] = {}
    for view in panel.analysts:
        by_leader.setdefault(view.analysis.leader, []).append(view.name)
    pooled = panel.pooled
    top = int(pooled.posterior.argmax())
    if len(by_leader) == 1:
        text = (
            "Their differences do not change the bottom line: every analyst finds "
            f"{case.hypotheses[top].label} the most likely explanation."
        )
    else:
        text = "Their differences change the bottom line: " + "; ".join(
            f"{_who_many(names)} {'favours' if len(names) == 1 else 'favour'} "
            f"{case.hypotheses[k].label}"
            for k, names in by_leader.items()
        )
        text += "."
    method = POOL_WORDS.get(pooled.method, pooled.method)
    text += (
        f" Pooled ({method}), {case.hypotheses[top].label} leads: "
        f"{said(source.analysis, float(pooled.posterior[top]))}."
    )
    if top != source.analysis.leader:
        text += " That is not the case file's leading explanation."
    return text


def _what(case: Case, d: Disagreement) -> str:
    """The disputed number, in words a reader without the method follows."""
    if d.cell.hypothesis is None:
        return f"How far to trust {case.source_by_id[d.cell.id].name}"
    label = case.labels[d.cell.hypothesis]
    said = " ".join(statement(case, d.cell).split()).rstrip(".")
    return f"How likely \u201c{said}\u201d would be if {label} were true"


def _values(d: Disagreement) -> str:
    """``The case file and reyes say 50%; park 40%`` (analysts grouped by value, the
    largest group first)."""
    groups: dict[str, list[str]] = {}
    for name, value in d.values.items():
        groups.setdefault(reader_percent(value), []).append(name)
    parts = []
    for i, (value, names) in enumerate(sorted(groups.items(), key=lambda kv: -len(kv[1]))):
        verb = ("" if i else " says") if len(names) == 1 else ("" if i else " say")
        parts.append(f"{_who_many(names)}{verb} {value}")
    return _capital("; ".join(parts))


def _reasons(panel: Panel, d: Disagreement) -> list[str | Run]:
    """Each analyst's own reason for a cell they set (their rationale), in italics."""
    parts: list[str | Run] = []
    for view in panel.analysts:
        if view.judgments is None or view.name not in d.explicit:
            continue
        why = view.why(d.cell).strip()
        if why:
            parts += [" ", bold(f"{view.name}: "), italic(sentence(why))]
    return parts


def _disagreement_line(panel: Panel, d: Disagreement) -> Line:
    leader = panel.case.hypotheses[d.leader].label
    points = round(100 * d.swing)
    moves = f"{points} percentage point{'s' if points != 1 else ''}"
    change = " It alone can change which explanation leads." if d.changes_leader else ""
    return line(
        bold(_what(panel.case, d) + ". "),
        sentence(_values(d)),
        f" This alone moves the chance of {leader} by {moves}.{change}",
        *_reasons(panel, d),
    )


def that_matter(panel: Panel) -> list[Disagreement]:
    """The disagreements the body describes: the largest swings (at least
    :data:`MATTERS`), one per item, event or source (its largest), at most :data:`TOP`,
    so that one disputed report does not fill the list."""
    chosen: dict[str, Disagreement] = {}
    for d in panel.disagreements:
        if d.swing < MATTERS or len(chosen) == TOP:
            break
        chosen.setdefault(d.cell.id, d)
    return list(chosen.values())


def analysts_section(source: BriefInput) -> list[Block]:
    """The body section (nothing without analysts' judgment files)."""
    panel = _panel(source)
    if panel is None:
        return []
    others = [v.name for v in panel.analysts if v.name != CASE_ANALYST]
    story: list[Block] = [
        Heading("Where analysts disagree"),
        Para(
            line(
                f"Besides the case file, {count(len(others), 'analyst')} judged this case "
                f"with numbers of their own: {joined(others)}."
            )
        ),
        Bullets(tuple(_view_line(source, v) for v in panel.analysts)),
        Para(line(_bottom_line(source, panel))),
    ]
    matter = that_matter(panel)
    if not matter:
        text = (
            "Where their numbers differ, no single difference moves the conclusion by as "
            "much as one percentage point."
        )
        return [*story, Para(line(text))]
    leader = panel.case.hypotheses[matter[0].leader].label
    story += [
        Para(
            line(
                "The differences that matter most, each with how far it alone moves the "
                f"chance of {leader} when every other number is at the analysts' average:"
            )
        ),
        Bullets(tuple(_disagreement_line(panel, d) for d in matter)),
    ]
    return story


def analysts_table(source: BriefInput) -> list[Block]:
    """The annex: each analyst's posterior and the pool, then the disagreements by id."""
    panel = _panel(source)
    if panel is None:
        return []
    names = panel.names
    widths_each = 0.6 / (len(names) + 1)
    head = (cell(bold("Hypothesis")), *(cell(bold(n), right=True) for n in names))
    pooled_head = cell(bold(f"pooled ({panel.pooled.method})"), right=True)
    rows = tuple(
        (
            cell(h.label),
            *(cell(reader_percent(float(v.posterior[k])), right=True) for v in panel.analysts),
            cell(bold(reader_percent(float(panel.pooled.posterior[k]))), right=True),
        )
        for k, h in enumerate(panel.case.hypotheses)
    )
    story: list[Block] = [
        Heading("Analysts' numbers", 2),
        Table((*head, pooled_head), rows, (0.4, *([widths_each] * (len(names) + 1)))),
    ]
    if not panel.disagreements:
        return story
    marked = [
        (
            cell(cell_name(panel, d)),
            *(
                cell(f"{d.values[n]:.2f}{'*' if n in d.explicit and n != CASE_ANALYST else ''}")
                for n in names
            ),
            cell(f"{100 * d.swing:.1f}", right=True),
        )
        for d in panel.disagreements[:ANNEX_TOP]
    ]
    header: tuple[Cell, ...] = (
        cell(bold("Cell")),
        *(cell(bold(n)) for n in names),
        cell(bold("Swing (points)"), right=True),
    )
    extra = len(panel.disagreements) - ANNEX_TOP
    more = f" {count(extra, 'more cell')} in the tool." if extra > 0 else ""
    return [
        *story,
        Para(
            line(
                "The cells the analysts value differently, largest swing first (* set by the "
                "analyst; other values are the case file's). The swing is how far the cell "
                "alone moves the middle ground's leader." + more
            ),
            "small",
        ),
        Table(header, tuple(marked), (0.4, *([widths_each] * (len(names) + 1)))),
    ]
