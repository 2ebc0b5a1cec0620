"""One digit setting for a whole document: every PDF text and every Excel number in it."""

from __future__ import annotations

import re

import openpyxl
import pytest

from exports.reports import KINDS, ReportOptions, ReportRequest, generate
from lev_desktop import options as settings
from lev_desktop.thai_format import document_digits

from .conftest import needs_poppler, store_for

ARABIC = re.compile(r"[0-9]")
THAI = re.compile(r"[๐-๙]")
THAI_LETTER = re.compile(r"[ก-ฮ]")
# digits that must stay as typed: URLs, e-mail addresses, codes mixing Latin letters and digits
KEEP = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+|[A-Za-z_]+[0-9]\w*|[0-9]+[A-Za-z_]\w*")


def pdftotext_raw(path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def urls(store, kind: str) -> list[str]:
    if kind != "softpower":
        return []
    from exports.reports.data import load_softpower

    data = load_softpower(store, office_for(kind), 2568)
    return [str(r.values.get(k, "")) for r in data.rows for k in ("photos_url", "video_url")]


def office_for(kind: str) -> str:
    if kind == "province":
        return "P48"
    return "D4801" if kind in ("monitoring", "calendar", "softpower", "monthly") else "4801006"


def test_thai_digits_are_the_default():
    assert settings.default("print.thai_digits") is True
    assert ReportOptions().digits == "thai"


def test_document_digits_keeps_urls_and_codes():
    text = "ที่ มท ๐๘๒๐.๒/ว 5037 ลงวันที่ 26 พฤษภาคม 2567 https://a.go.th/x2568 P5 3Rs a1@b2.th"
    assert document_digits(text, "thai") == (
        "ที่ มท ๐๘๒๐.๒/ว ๕๐๓๗ ลงวันที่ ๒๖ พฤษภาคม ๒๕๖๗ https://a.go.th/x2568 P5 3Rs a1@b2.th"
    )
    assert document_digits(text, "arabic") == (
        "ที่ มท 0820.2/ว 5037 ลงวันที่ 26 พฤษภาคม 2567 https://a.go.th/x2568 P5 3Rs a1@b2.th"
    )


def test_document_digits_keeps_files_paths_and_names():
    """A file named in a message keeps the digits it has on the disk (the interface's Thai
    digits made "F1-๒๕๖๘.pdf" of F1-2568.pdf), a key's fingerprint its hex digits; a date or
    a letter's number is not a path."""
    text = (
        r"บันทึก C:\LEV\รายงาน 2568\F1-2568.pdf แล้ว 3 ไฟล์ 4/12/2569"
        "\n/home/lev/2568/a.db \\\\server1\\ปี 2568\\x.xlsx"
        " ไฟล์ lev-2026-12-04.levbak 3 ไฟล์ 1/2568 ๐๘๒๐.๒/ว ๕ ก / 2 ราคา 100 บาท/ชิ้น"
    )
    assert document_digits(text, "thai") == (
        r"บันทึก C:\LEV\รายงาน 2568\F1-2568.pdf แล้ว ๓ ไฟล์ ๔/๑๒/๒๕๖๙"
        "\n/home/lev/2568/a.db \\\\server1\\ปี 2568\\x.xlsx"
        " ไฟล์ lev-2026-12-04.levbak ๓ ไฟล์ ๑/๒๕๖๘ ๐๘๒๐.๒/ว ๕ ก / ๒ ราคา ๑๐๐ บาท/ชิ้น"
    )
    fingerprint = "3F2A 9120 0B7C 4411\n8D02 7710 AB01 2345"  # hex: a code, read aloud
    years = "ปี 2566 2567 2568 2569"
    assert document_digits(f"กุญแจ {fingerprint} {years}", "thai") == (
        f"กุญแจ {fingerprint} ปี ๒๕๖๖ ๒๕๖๗ ๒๕๖๘ ๒๕๖๙"
    )


@needs_poppler
@pytest.mark.parametrize("kind", KINDS)
def test_every_pdf_text_has_one_kind_of_digits(request, tmp_path, kind):
    demo_store = store_for(request, kind)
    for thai in (True, False):
        path = generate(
            demo_store,
            ReportRequest(kind, office_for(kind), 2568, "pdf", month=(2025, 9)),
            options=ReportOptions(thai_digits=thai),
            folder=tmp_path / str(thai),
        )
        # a URL cut across lines comes back in pieces: take the URLs of the data out first
        text = "".join(pdftotext_raw(path).split())
        for url in sorted(urls(demo_store, kind), key=len, reverse=True):
            text = text.replace(url, "")
        text = KEEP.sub("", text)
        if thai:
            assert not ARABIC.findall(text), (kind, ARABIC.findall(text)[:5], text[:300])
            assert THAI.search(text)
        else:
            assert not THAI.findall(text), (kind, text[:300])


@pytest.mark.parametrize("kind", KINDS)
def test_every_xlsx_number_and_text_has_the_documents_digits(request, tmp_path, kind):
    demo_store = store_for(request, kind)
    path = generate(
        demo_store,
        ReportRequest(kind, office_for(kind), 2568, "xlsx", month=(2025, 9)),
        options=ReportOptions(thai_digits=True),
        folder=tmp_path,
    )
    numbers = 0
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not ARABIC.findall(KEEP.sub("", cell.value)), (kind, cell.value)
                elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    numbers += 1
                    assert cell.number_format.startswith("[$-D"), (kind, cell.number_format)
    assert numbers or kind in ("notice",)


@needs_poppler
def test_key_fingerprints_keep_their_digits_in_a_thai_digits_letter(tmp_path):
    """A fingerprint is compared character by character with the screen: "4946" printed as
    "๔๙๔๖" is another value. The letter itself is in Thai digits; the fingerprints are not."""
    import datetime as dt

    from exports.reports.key_letter import KeyLetter, key_letter_pdf
    from lev_desktop.exchange.keys import format_fingerprint

    old = "4946" + "0E205F6442CAA792FF1962D8E2648CE03CEAFE6023BAF8E18B18E5BC40D9"
    new = "733D8A0C46027FD4163404C6AF8E64CC57665CCD2B6C22BDA4583FA267F092FB"
    letter = KeyLetter(
        sender_name="สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม",
        recipient_name="ท้องถิ่นจังหวัดนครพนม",
        office_name="อบต.หนองแสง",
        office_code="4801006",
        old_fingerprint=old,
        new_fingerprint=new,
        confirmed_on=dt.date(2026, 12, 3),
        confirmed_how=" ทางโทรศัพท์",
        written_on=dt.date(2026, 12, 3),
    )
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(key_letter_pdf(letter, ReportOptions()))
    text = pdftotext_raw(pdf)
    for fingerprint in (old, new):
        for line in format_fingerprint(fingerprint).split("\n"):
            assert line in text
    flat = "".join(text.split())
    assert "(รหัส๔๘๐๑๐๐๖)" in flat  # the rest of the letter is in the document's digits
    assert "๓ธันวาคม๒๕๖๙" in flat
    # the closing travels with the last paragraph, never alone at the top of a page
    (last_page,) = [p for p in text.split("\f") if "ขอแสดงความนับถือ" in p]
    assert "เมื่อได้รับแพ็กเกจถัดไป" in "".join(last_page.split())
