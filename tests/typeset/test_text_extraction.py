"""Copy-paste: the PDF's text (pdftotext) is the source Thai, marks included."""

from __future__ import annotations

import re

import pytest
from reportlab.platypus import Table

from exports.pdf import ThaiParagraph, register_fonts, thai_styles
from exports.pdf import fonts as fonts_mod
from exports.pdf import paragraph as paragraph_mod
from exports.pdf.shaping import shape

from .helpers import HARD_WORDS, build, nfkd, pdffonts, pdftotext, squash

SENTENCE = (
    "ผู้ใหญ่บ้านชาวญี่ปุ่นปั้นโอ่งใส่น้ำปุ๋ยหมัก แล้วเคลื่อนย้ายไปที่ฝั่งแม่น้ำโขง ฐานข้อมูลของ อบต. ปรับปรุงเมื่อ 15 ก.พ. 2568"
)


def _story(style_names=("body", "title", "table", "heading1")):
    st = thai_styles()
    story = []
    for name in style_names:
        story.append(ThaiParagraph(" ".join(HARD_WORDS), st[name]))
        story.append(ThaiParagraph(SENTENCE, st[name]))
    story.append(
        ThaiParagraph("<b>{}</b> <i>{}</i>".format(SENTENCE, " ".join(HARD_WORDS)), st["body"])
    )
    story.append(
        Table([[ThaiParagraph(w, st["table"]) for w in HARD_WORDS[:6]]], colWidths=[60] * 6)
    )
    return story


def exact(text: str) -> str:
    """Without whitespace (layout), and without any normalisation: code points as typed."""
    return "".join(text.split())


@pytest.mark.parametrize("mode", [(), ("-raw",), ("-layout",)])
def test_hard_words_come_back_exactly(tmp_path, mode):
    pdf = build(_story(), tmp_path / "hard.pdf")
    text = pdftotext(pdf, *mode)
    words = set(re.split(r"\s+", text))
    for word in HARD_WORDS:
        assert word in words, word
    assert exact(SENTENCE) in exact(text)
    assert "\u0e4d\u0e32" not in text  # ำ never comes back as ํ + า


def test_sara_am_is_one_code_point_when_copied(tmp_path):
    """Search for นำ must find นำ: U+0E33, not U+0E4D U+0E32 (fails without /ActualText)."""
    words = "นำ รำ ชำ ซ้ำ น้ำ ทำ กำแพงเพชร องค์การบริหารส่วนตำบล ก่ำ"
    pdf = build([ThaiParagraph(words, thai_styles()["body"])], tmp_path / "am.pdf")
    assert pdftotext(pdf).split() == words.split()


def test_tounicode_alone_gives_marks_back(tmp_path, monkeypatch):
    """Without the ActualText spans only the ToUnicode fix stands between us and เคลือน (the
    ToUnicode layer alone gives ำ as ํ + า, hence NFKD here and only here)."""
    monkeypatch.setattr(paragraph_mod, "ACTUAL_TEXT", False)
    pdf = build(_story(), tmp_path / "tounicode.pdf")
    text = squash(pdftotext(pdf, "-raw"))
    for word in HARD_WORDS:
        assert nfkd(word) in text, word
    assert squash(SENTENCE) in text


def test_without_the_tounicode_fix_marks_are_lost(tmp_path, monkeypatch):
    """The check above can fail: with ReportLab's own CMap the private-use codes leak."""
    monkeypatch.setattr(paragraph_mod, "ACTUAL_TEXT", False)
    monkeypatch.setattr(fonts_mod.ThaiTTFont, "tounicode_text", lambda self, code: None)
    pdf = build(_story(("body",)), tmp_path / "broken.pdf")
    text = squash(pdftotext(pdf, "-raw"))
    assert nfkd("เคลื่อน") not in text


def test_tounicode_map_matches_harfbuzz_clusters():
    """Every glyph of every word in the word list, read through our ToUnicode map in the
    order it is written, spells the word (NFKD) — in regular and bold."""
    register_fonts()
    from exports.pdf.words import word_list_path

    words = [w.strip() for w in word_list_path().read_text("utf-8").splitlines()[::7] if w.strip()]
    for name in ("Sarabun", "Sarabun-Bold"):
        font = fonts_mod.get_font(name)
        private = 0
        for word in words:
            chars = []
            for code, *_rest in shape(word, name).glyphs:
                mapped = font.tounicode_text(code)
                private += mapped is not None
                chars.append(mapped if mapped is not None else chr(code))
            assert nfkd("".join(chars)) == nfkd(word), word
        assert private > 500  # the check really met substituted glyphs


def test_fonts_embedded_as_subsets(tmp_path):
    pdf = build(_story(), tmp_path / "fonts.pdf")
    rows = [line.split() for line in pdffonts(pdf).splitlines()[2:]]
    sarabun = {row[0].split("+", 1)[1]: row for row in rows if "+Sarabun" in row[0]}
    assert {"Sarabun-Regular", "Sarabun-Bold", "Sarabun-Italic"} <= set(sarabun)
    for name, row in sarabun.items():
        assert re.fullmatch(r"[A-Z]{6}\+Sarabun-\w+", row[0])
        # columns: name type encoding emb sub uni ...
        assert row[-5:-2] == ["yes", "yes", "yes"], (name, row)
