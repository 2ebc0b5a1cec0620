"""Province and national documents at scale: F3 with district/province grouping and subtotals,
at least 15 rows a page at 14 pt (the nation's at 12 pt), dates and LAO names never wrapped;
Soft Power at 14 pt with a district column where several districts appear, clickable links and
fewer pages."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path

from exports.reports import ReportOptions
from exports.reports.data import (
    MonitoringData,
    MonitoringRow,
    OfficeInfo,
    ProductRow,
    SoftPowerData,
)
from exports.reports.documents import monitoring_pdf, softpower_pdf
from lev_desktop.deadlines import State

from .conftest import needs_poppler, pdftotext

PROVINCE = OfficeInfo("P48", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม", "province", None, None, "48")
NATION = OfficeInfo("DLA", "กรมส่งเสริมการปกครองท้องถิ่น", "national", None, None, None)
DISTRICTS = ["เมืองนครพนม", "ท่าอุเทน", "ธาตุพนม", "ศรีสงคราม", "นาหว้า"]
DATE = "๑๕ ต.ค. ๒๕๖๗"  # as printed (Thai digits)


def pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(x.split()[-1] for x in info.stdout.splitlines() if x.startswith("Pages:")))


def f3_rows(count: int, provinces: list[str] | None = None) -> list[MonitoringRow]:
    rows = []
    for i in range(count):
        district = DISTRICTS[i * len(DISTRICTS) // count]
        rows.append(
            MonitoringRow(
                district,
                f"48{DISTRICTS.index(district):02d}",
                f"อบต.หนองแสง{i:03d}",
                f"x{i}",
                dt.date(2024, 10, 15),
                dt.date(2024, 10, 15),
                dt.date(2024, 10, 15),
                i % 7,
                dt.date(2024, 10, 15) if i % 3 else None,
                None,
                "",
                (provinces or ["นครพนม"])[i * len(provinces or [1]) // count],
            )
        )
    return rows


def words_with_heights(path: Path, page: int) -> list[tuple[str, float]]:
    """(word, height of its box) of a page: the box is the font size times the font's
    ascent-to-descent, the same factor for every word of one font."""
    html = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', html)
    return [(w, float(b) - float(a)) for a, b, w in found]


@needs_poppler
def test_province_f3_groups_by_district_at_14_pt_15_rows_a_page(tmp_path):
    """200 LAOs of five districts: a heading and a subtotal per district, a province total,
    every page after the first holds at least 15 LAO rows, the table text is 14 pt (the
    footnote under it 14 pt, the summary line 16 pt), no date and no LAO name is wrapped."""
    rows = f3_rows(200)
    path = tmp_path / "f3.pdf"
    path.write_bytes(monitoring_pdf(MonitoringData(PROVINCE, 2568, rows), ReportOptions()))
    pages = pages_of(path)
    names_seen: list[str] = []
    for page in range(1, pages + 1):
        text = pdftotext(path, page, layout=True)
        names = re.findall(r"อบต\.หนองแสง[๐-๙]{3}", text)
        names_seen += names
        assert text.count("(จำนวน)") == 1, f"page {page}: the headings once"
        # table rows: the LAOs, a district's heading and its subtotal
        groups = len(re.findall(r"^\s*(อำเภอ\S+ \(|รวมอำเภอ)", text, re.M))
        if 1 < page < pages - 1:  # (the last rows go over with the signature)
            assert len(names) + groups >= 15, f"page {page}: {len(names)} + {groups} rows"
            assert len(names) >= 13
        for line in text.splitlines():
            if "อบต.หนองแสง" in line:
                assert line.count(DATE) >= 3, line  # three dates whole on the row's first line
    assert len(names_seen) == 200  # no name broken over two lines, none lost
    text = "".join(pdftotext(path).split())
    for district in DISTRICTS:
        assert f"อำเภอ{district}(๔๐แห่ง)" in text
        assert f"รวมอำเภอ{district}" in text
    assert "รวมทั้งจังหวัด" in text
    heights = words_with_heights(path, 2)
    row = [h for w, h in heights if w.startswith("อบต.หนองแสง")]
    assert row and max(row) - min(row) < 0.01
    last = words_with_heights(path, pages)
    summary = [h for w, h in last if w == "ทั้งหมด"]  # the summary line under the table: 16 pt
    assert summary
    assert abs(row[0] / summary[0] - 14 / 16) < 0.01


def real_f3_rows(province_codes: list[str]) -> list[MonitoringRow]:
    """A LAO for every subdistrict of the provinces, named as real ones are ("อบต." two in
    three, "ทต." one in three), with a town municipality for each district: real gazetteer
    names, the nation's longest among them (อบต.นิคมสร้างตนเองลำโดมน้อย, Ubon Ratchathani;
    ทม.เมืองประจวบคีรีขันธ์)."""
    from lev_desktop import gazetteer

    rows = []
    for code in province_codes:
        province = gazetteer.province(code)
        assert province is not None
        for d in sorted(gazetteer.districts(code), key=lambda d: d.code):
            names = [
                ("ทต." if i % 3 == 2 else "อบต.") + s.name_th
                for i, s in enumerate(gazetteer.subdistricts(d.code))
            ]
            for n, name in enumerate([*names, "ทม." + d.name_th]):
                rows.append(
                    MonitoringRow(
                        d.name_th,
                        d.code,
                        name,
                        f"{d.code}{n:03d}",
                        dt.date(2024, 10, 15),
                        dt.date(2024, 10, 15),
                        dt.date(2024, 10, 15),
                        n % 17,
                        dt.date(2024, 10, 15) if n % 3 else None,
                        None,
                        "",
                        province.name_th,
                        State.RECEIVED if n % 3 else State.OVERDUE,
                        dt.date(2024, 10, 15) if n % 3 else None,
                    )
                )
    return rows


LAO_LINE = re.compile(r"^\s*[๐-๙]+\s+((?:อบต|ทต|ทม)\.\S+)", re.M)


@needs_poppler
def test_national_f3_groups_by_province_and_district_with_their_counts(tmp_path):
    """No place column: a province's heading, then each district's, carry their counts and
    their number of LAOs; the nation's total ends the table."""
    rows = f3_rows(120, provinces=["นครพนม", "กรุงเทพมหานคร"])
    for r in rows[60:]:
        r.district, r.district_code = "เขตดุสิต", "1002"
    path = tmp_path / "f3n.pdf"
    path.write_bytes(monitoring_pdf(MonitoringData(NATION, 2568, rows), ReportOptions()))
    first = pdftotext(path, 1, layout=True)
    headings = first.split("ทั่วประเทศ")[1].split("จังหวัดนครพนม")[0]
    assert "จังหวัด" not in headings and "อำเภอ" not in headings  # no place column
    lines = [" ".join(x.split()) for x in pdftotext(path, layout=True).splitlines()]
    # heading, the five counts (LAOs with each date, activities summed), its LAOs
    nakhon = [r for r in rows if r.province == "นครพนม"]
    acts = "".join("๐๑๒๓๔๕๖๗๘๙"[int(c)] for c in str(sum(r.activities for r in nakhon)))
    reported = sum(1 for r in nakhon if r.reported_on)
    reported_th = "".join("๐๑๒๓๔๕๖๗๘๙"[int(c)] for c in str(reported))
    assert f"จังหวัดนครพนม ๖๐ แห่ง ๖๐ แห่ง ๖๐ แห่ง {acts} {reported_th} แห่ง อปท. ๖๐ แห่ง" in lines
    assert any(x.startswith("อำเภอเมืองนครพนม ") and x.endswith("อปท. ๒๔ แห่ง") for x in lines)
    assert any(x.startswith("กรุงเทพมหานคร ") for x in lines)  # not "จังหวัดกรุงเทพมหานคร"
    assert any(x.startswith("เขตดุสิต ") for x in lines)  # not "อำเภอเขตดุสิต"
    assert any(x.startswith("รวมทั้งประเทศ ") for x in lines)
    text = "\n".join(lines)
    assert text.index("จังหวัดนครพนม") < text.index("อำเภอเมืองนครพนม") < text.index("อบต.หนองแสง๐๐๐")


@needs_poppler
def test_national_f3_holds_15_lao_rows_a_page_with_real_names(tmp_path):
    """Two provinces' real LAO names (267 subdistricts, the nation's longest name among
    them): every full page holds at least 15 LAO rows, the table text is 12 pt (the least a
    wide form may take; the summary line under it 16 pt), every date whole, and all but the
    longest 1 in 100 names on one line (a longer one wraps between words). Before: a province
    and a district column beside the LAO's, 10 rows a page, names cut anywhere ("ทต.แพ|รกษา")."""
    rows = real_f3_rows(["34", "77"])
    path = tmp_path / "f3n.pdf"
    path.write_bytes(monitoring_pdf(MonitoringData(NATION, 2568, rows), ReportOptions()))
    pages = pages_of(path)
    whole: list[str] = []
    for page in range(1, pages + 1):
        text = pdftotext(path, page, layout=True)
        found = LAO_LINE.findall(text)
        whole += [name for name in found if name in {r.lao for r in rows}]
        if 1 < page < pages - 1:  # (the last rows go over with the signature)
            assert len(found) >= 15, f"page {page}: {len(found)} LAO rows"
        for line in text.splitlines():
            if LAO_LINE.match(line):
                assert line.count("๑๕ ต.ค. ๒๕๖๗") >= 3, line  # dates whole on the first line
    assert len(whole) >= len(rows) * 0.99, sorted({r.lao for r in rows} - set(whole))
    heights = words_with_heights(path, 2)
    row = [h for w, h in heights if w.startswith("อบต.")]
    last = words_with_heights(path, pages)
    summary = [h for w, h in last if w == "ทั้งหมด"]
    assert row and summary
    assert abs(row[0] / summary[0] - 12 / 16) < 0.01


def products(count: int, districts: list[str]) -> list[ProductRow]:
    return [
        ProductRow(
            f"อบต.หนองแสง{i:02d}",
            f"48{i:05d}",
            {
                "identity": "พญานาค ลุ่มน้ำโขง",
                "product": "โคมไฟพญานาคจากขวดพลาสติก",
                "group": "กลุ่มอาชีพรักษ์โลกท่าค้อ",
                "participants": 24,
                "income": Decimal("19900"),
                "training": "จัดแล้ว",
                "publicity": "ดำเนินการแล้ว",
                "photos_url": f"https://drive.example.go.th/48{i:05d}/photos",
                "video_url": f"https://www.youtube.com/watch?v=48{i:08d}",
            },
            districts[i * len(districts) // count],
        )
        for i in range(count)
    ]


def softpower(tmp_path: Path, office: OfficeInfo, rows: list[ProductRow]) -> Path:
    data = SoftPowerData(office, 2568, "Soft Power", True, rows, 20, dt.date(2025, 9, 15))
    path = tmp_path / f"sp-{len(rows)}-{len({r.district for r in rows})}.pdf"
    path.write_bytes(softpower_pdf(data, ReportOptions()))
    return path


@needs_poppler
def test_softpower_24_products_on_fewer_than_7_pages_with_clickable_links(tmp_path):
    """The first version printed 24 products on 7 pages at 13 pt; now 14 pt, links on a line of
    their own under each product, whole and clickable, and at most 6 pages."""
    path = softpower(tmp_path, PROVINCE, products(24, ["เมืองนครพนม"]))
    assert pages_of(path) < 7
    raw = path.read_bytes()
    uris = set(re.findall(rb"/URI \((https?://[^)]+)\)", raw))
    assert len(uris) == 48
    assert b"https://drive.example.go.th/4800003/photos" in uris
    text = "".join(pdftotext(path).split())
    for i in range(24):
        assert f"https://www.youtube.com/watch?v=48{i:08d}" in text  # never cut
    # one district: no district column
    assert "อำเภอ" not in heading_of(path)


@needs_poppler
def test_softpower_of_200_products_takes_the_text_size_that_saves_lines(tmp_path):
    """Soft Power took the largest text size at which its names and amounts fit, 14 pt: a
    district's 200 products stood on 41 pages, each product's fields on two and three lines
    and the headings on six ("(๖) การ" / "จัดอบรม" / "ให้ความรู้" …). A smaller size is now
    taken when the table is at least a twentieth shorter in lines: 13 pt (the summary under it
    16 pt), 35 pages. (24 products keep 14 pt: see above.)"""
    path = softpower(tmp_path, PROVINCE, products(200, ["เมืองนครพนม"]))
    assert pages_of(path) == 35
    row = [h for w, h in words_with_heights(path, 2) if w.startswith("อบต.หนองแสง")]
    last = words_with_heights(path, pages_of(path))
    summary = [h for w, h in last if w == "จากทั้งหมด"]
    assert row and summary
    assert abs(row[0] / summary[0] - 13 / 16) < 0.01


def heading_of(path: Path) -> str:
    """The column headings of the first page: between the round line and the first row."""
    text = pdftotext(path, 1, layout=True)
    return text.split("รายงานรอบวันที่")[1].split("อบต.หนองแสง")[0]


@needs_poppler
def test_softpower_of_several_districts_has_a_district_column(tmp_path):
    path = softpower(tmp_path, PROVINCE, products(12, ["เมืองนครพนม", "ท่าอุเทน"]))
    heading = heading_of(path)
    assert "อำเภอ" in heading and "อปท." in heading
    text = pdftotext(path, layout=True)
    lines = [line for line in text.splitlines() if "อบต.หนองแสง" in line]
    assert any("ท่าอุเทน" in line for line in lines)
    assert all(("เมืองนครพนม" in line) != ("ท่าอุเทน" in line) for line in lines)
