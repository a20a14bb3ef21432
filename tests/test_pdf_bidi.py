"""Right-to-left text in the PDF brief: reshaped, reordered line by line after the
lines are broken in reading order, formatting kept (analysis/report/brief/pdf_bidi.py)."""

from __future__ import annotations

import re

import pytest
from reportlab.platypus import Paragraph

from analysis.report.brief.pdf_bidi import (
    BidiParagraph,
    needs_bidi,
    para,
    visual,
    visual_markup,
)
from analysis.report.brief.pdf_style import styles

HEBREW = ["אחד", "שתיים", "שלוש", "ארבע", "חמש", "שש", "שבע", "שמונה"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("abc אבג", True), ("قناة الجزيرة", True), ("Ελληνικά Кириллица", False), ("日本語", False)],
)
def test_which_text_needs_reordering(text, expected):
    assert needs_bidi(text) is expected


def test_one_line_in_visual_order():
    # Hebrew needs no shaping: its visual order is the letters reversed (worked by hand)
    assert visual("abc אבג def") == "abc גבא def"
    assert visual("אבג דהו") == "והד גבא"  # no Latin letter: a right-to-left line
    assert visual("plain text") == "plain text"


def test_arabic_is_joined():
    # U+0642 QAF in a word's first place takes its initial form, U+FED7
    shown = visual("قناة")
    assert "\ufed7" in shown and "\u0642" not in shown


def test_a_wrapped_passage_reads_from_its_first_line_down():
    style = styles().body
    text = " ".join(HEBREW)
    lines = visual_markup(text, style, width=60).split("<br/>")
    assert len(lines) > 2
    # each line is its logical words in reverse; read top down they are in stored order
    logical = [" ".join(reversed(line.split(" "))) for line in lines]
    assert " ".join(logical).split(" ") == [w[::-1] for w in HEBREW]
    assert lines[0].endswith("אחד"[::-1])  # the first word sits at the first line's right


def test_formatting_is_kept_and_reopened_on_every_line():
    style = styles().body
    marked = visual_markup("<b>Label.</b> It is likely that אבג is right", style, 400)
    assert marked == "<b>Label.</b> It is likely that גבא is right"
    long = visual_markup("<b>" + " ".join(HEBREW) + "</b>", style, 60)
    lines = long.split("<br/>")
    assert len(lines) > 2 and all(re.fullmatch(r"<b>[^<>]*</b>", line) for line in lines)


def test_only_paragraphs_with_right_to_left_letters_are_reordered():
    style = styles().body
    assert type(para("Plain <b>text</b>", style)) is Paragraph
    flowable = para("Source: קול ישראל", style)
    assert isinstance(flowable, BidiParagraph)
    width, height = flowable.wrap(300, 800)
    assert 0 < width <= 300 and height > 0


def test_a_brief_prints_arabic_joined(tmp_path):
    """End to end: a case whose labels and claims are Arabic and Hebrew makes a PDF whose
    text holds the joined (reshaped) letters, where it held isolated ones."""
    import arabic_reshaper
    import yaml
    from pypdf import PdfReader
    from typer.testing import CliRunner

    from analysis.cli import app

    name = "كتائب عز الدين القسام"
    documents = {
        "hypotheses": {"case": "rtl", "title": "قناة الجزيرة: who supplied the weapons?",
                       "question": "من زوّد كتائب القسام بالسلاح؟",
                       "hypotheses": [{"id": "a", "label": name}, {"id": "b", "label": "צה\"ל"}]},
        "evidence": {"case": "rtl", "sources": [{"id": "s", "name": "قناة الجزيرة"}],
                     "evidence": [{"id": "e1", "claim": "شوهدت الأسلحة في الميناء", "source": "s",
                                   "likelihoods": {"a": 0.8, "b": 0.3}}]},
    }  # fmt: skip
    for folder, document in documents.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rtl.yaml").write_text(
            yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
        )
    out = tmp_path / "rtl.pdf"
    result = CliRunner().invoke(app, ["brief", "rtl", "--root", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = PdfReader(out).pages[0].extract_text()
    assert arabic_reshaper.reshape("كتائب") in text
    assert "كتائب" not in text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # worked by hand: the Hebrew letters reversed, the brackets of a right-to-left
        # passage mirrored (the bidi library leaves them as stored)
        ("[אב]", "[בא]"),
        ("x (אב [גד]) y", "x ([דג] בא) y"),
        ("שלום (עולם) [x]", "(םלוע) םולש [x]"),
        # a passage is isolated: the number after it stays with its sign
        ("for המנהל; 37% of", "for להנמה; 37% of"),
        ("right (אב גד); the", "right (דג בא); the"),
    ],
)
def test_brackets_mirror_and_numbers_keep_their_place(text, shown):
    assert visual(text) == shown


def test_vowel_marks_are_kept_after_their_letters():
    import unicodedata

    shown = visual("بَعْضُ")
    assert "\u064e" in shown and "\u0652" in shown and "\u064f" in shown  # fatha, sukun, damma
    assert not unicodedata.combining(shown[0])  # no mark before the first letter drawn


def test_a_word_too_long_for_its_line_is_cut_in_reading_order():
    style = styles().cell
    word = "ااا" + "لمستشفى" * 10
    lines = visual_markup(word, style, 60).split("<br/>")
    assert len(lines) > 2
    assert lines[0].endswith("\ufe8d\ufe8d\ufe8d")  # the word's first letters, first line's right
