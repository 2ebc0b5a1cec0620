"""Province and national documents at scale: F3 with district/province grouping and subtotals,
at least 15 rows a page at 14 pt, dates and LAO names never wrapped; Soft Power at 14 pt with
a district column where several districts appear, clickable links and fewer pages."""

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


@needs_poppler
def test_national_f3_has_a_province_column_and_province_subtotals(tmp_path):
    rows = f3_rows(120, provinces=["นครพนม", "กรุงเทพมหานคร"])
    path = tmp_path / "f3n.pdf"
    path.write_bytes(monitoring_pdf(MonitoringData(NATION, 2568, rows), ReportOptions()))
    first = pdftotext(path, 1, layout=True)
    assert "จังหวัด" in first.split("อบต.หนองแสง")[0]  # the column heading
    text = "".join(pdftotext(path).split())
    assert "จังหวัดนครพนม" in text  # a province heading
    assert "รวมจังหวัดนครพนม" in text and "รวมจังหวัดกรุงเทพมหานคร" in text
    assert "รวมทั้งประเทศ" in text
    assert text.index("รวมจังหวัดนครพนม") < text.index("รวมจังหวัดกรุงเทพมหานคร")


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
    data = SoftPowerData(office, 2568, "Soft Power", True, rows, 20)
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
