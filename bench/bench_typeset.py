"""Benchmark: Thai tables with the typesetting engine vs plain ReportLab Paragraphs.

    .venv/bin/python bench/bench_typeset.py [--runs N] [--f3-rows 7850] [--out DIR]

Builds, in one process, an F3-like monitoring table (ที่, อำเภอ, อปท., 5 BE date columns,
หมายเหตุ; 7,850 rows by default) and an F1-like action-plan table (100 rows, 8 columns of long
Thai text), each twice: with ThaiParagraph (shaped, segmented) and with ReportLab Paragraphs
in the same font without shaping or segmentation (what a naive report would do). Prints the
median build times (process CPU seconds), the ratios, page counts and PDF sizes. "cold" runs
clear the engine's caches first (a first report after start-up); "warm" runs keep them (later
reports).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import sys
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

from exports.pdf import ThaiParagraph, thai_styles
from exports.pdf import paragraph as paragraph_mod
from exports.pdf import shaping as shaping_mod
from exports.pdf import words as segment_mod
from lev_desktop import gazetteer
from lev_desktop.domain.templates import P1
from lev_desktop.thai_format import format_date

LAO_PREFIX = ["องค์การบริหารส่วนตำบล", "เทศบาลตำบล", "เทศบาลเมือง", "อบต."]
REMARKS = [
    "",
    "",
    "",
    "ส่งรายงานล่าช้า",
    "อยู่ระหว่างดำเนินการ",
    "ยังไม่ได้รับเอกสารหลักฐานประกอบการเบิกจ่ายงบประมาณ ต้องติดตามอีกครั้ง",
    "ผู้ใหญ่บ้านแจ้งเลื่อนกิจกรรมเนื่องจากน้ำท่วมพื้นที่ญี่ปุ่นปั้นปุ๋ย",
]


def f3_rows(n: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    provinces = gazetteer.provinces()
    districts = [d for p in provinces[:20] for d in gazetteer.districts(p.code)]
    subs = [s.name_th for d in districts[:40] for s in gazetteer.subdistricts(d.code)]
    start = dt.date(2024, 10, 1)
    rows = []
    for i in range(n):
        d = rng.choice(districts)
        dates = []
        for _k in range(5):
            if rng.random() < 0.2:
                dates.append("-")
            else:
                dates.append(format_date(start + dt.timedelta(days=rng.randrange(365))))
        rows.append(
            [
                str(i + 1),
                d.name_th,
                rng.choice(LAO_PREFIX) + rng.choice(subs),
                *dates,
                rng.choice(REMARKS),
            ]
        )
    return rows


def f1_rows(n: int, seed: int = 2) -> list[list[str]]:
    rng = random.Random(seed)
    examples = P1["example_rows"]
    rows = []
    for i in range(n):
        e = rng.choice(examples)
        rows.append(
            [
                str(i + 1),
                e["project"],
                e["objective"],
                e["target"],
                e["location"],
                "ไม่ใช้งบประมาณ" if e["no_budget"] else "{} บาท".format(e["budget"]),
                e["kpi"],
                e["expected_result"],
            ]
        )
    return rows


F3_HEAD = ["ที่", "อำเภอ", "อปท.", "ครั้งที่ 1", "ครั้งที่ 2", "ครั้งที่ 3", "ครั้งที่ 4", "ครั้งที่ 5", "หมายเหตุ"]
F3_WIDTHS = [40, 80, 150, 66, 66, 66, 66, 66, 150]
F1_HEAD = ["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย", "สถานที่", "งบประมาณ", "ตัวชี้วัด", "ผลที่คาดว่าจะได้รับ"]
F1_WIDTHS = [28, 120, 110, 110, 90, 70, 100, 130]


def build(rows, head, widths, make) -> tuple[bytes, int]:
    data = [[make(h, True) for h in head]] + [[make(c, False) for c in row] for row in rows]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, "#777777"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), "#e8eef5"),
            ]
        )
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=28, rightMargin=28, topMargin=28, bottomMargin=28
    )
    pages = []
    doc.build(
        [table], onLaterPages=lambda c, d: pages.append(1), onFirstPage=lambda c, d: pages.append(1)
    )
    return out.getvalue(), len(pages)


def engine_maker():
    st = thai_styles()
    body, head = st["table"], st["table_header"]
    return lambda text, is_head: ThaiParagraph(text, head if is_head else body)


def plain_maker():
    st = thai_styles()
    body = ParagraphStyle("plain", parent=st["table"], shaping=0)
    head = ParagraphStyle("plainh", parent=st["table_header"], shaping=0)

    def make(text: str, is_head: bool) -> Paragraph:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;")
        return Paragraph(escaped, head if is_head else body)

    return make


def clear_caches() -> None:
    shaping_mod.clear_cache()
    paragraph_mod._group_cache.clear()
    for name in ("_segment_cached", "_units_cached"):  # the cache's name before/after ICU
        cached = getattr(segment_mod, name, None)
        if cached is not None:
            cached.cache_clear()


def timed(fn) -> tuple[float, object]:
    """CPU time of the process (the machine is shared: wall time is noisy)."""
    t0 = time.process_time()
    result = fn()
    return time.process_time() - t0, result


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--f3-rows", type=int, default=7850)
    ap.add_argument("--f1-rows", type=int, default=100)
    ap.add_argument("--out", type=Path, default=None, help="write the PDFs here")
    args = ap.parse_args(argv)
    thai_styles()
    ThaiParagraph("อุ่นเครื่อง", None).wrap(100, 100)  # fonts, word list, HarfBuzz loaded
    cases = [
        ("F3", f3_rows(args.f3_rows), F3_HEAD, F3_WIDTHS),
        ("F1", f1_rows(args.f1_rows), F1_HEAD, F1_WIDTHS),
    ]
    for name, rows, head, widths in cases:
        times = {"plain": [], "cold": [], "warm": []}
        info = {}
        for _run in range(args.runs):
            t, (pdf, pages) = timed(
                lambda rows=rows, head=head, widths=widths: build(rows, head, widths, plain_maker())
            )
            times["plain"].append(t)
            info["plain"] = (pages, len(pdf), pdf)
            clear_caches()
            t, (pdf, pages) = timed(
                lambda rows=rows, head=head, widths=widths: build(
                    rows, head, widths, engine_maker()
                )
            )
            times["cold"].append(t)
            t, (pdf, pages) = timed(
                lambda rows=rows, head=head, widths=widths: build(
                    rows, head, widths, engine_maker()
                )
            )
            times["warm"].append(t)
            info["engine"] = (pages, len(pdf), pdf)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"{name}: {len(rows)} rows x {len(head)} columns")
        print(
            f"  plain Paragraph (unshaped, unsegmented): {med['plain']:.2f} s  "
            f"{info['plain'][0]} pages  {info['plain'][1] // 1024} KB"
        )
        cold, warm, plain = med["cold"], med["warm"], med["plain"]
        print(
            f"  ThaiParagraph cold: {cold:.2f} s ({cold / plain:.2f}x)   "
            f"warm: {warm:.2f} s ({warm / plain:.2f}x)  "
            f"{info['engine'][0]} pages  {info['engine'][1] // 1024} KB"
        )
        print(
            "  runs: "
            + "  ".join("{}={}".format(k, [f"{x:.2f}" for x in v]) for k, v in times.items())
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / (f"{name}-engine.pdf")).write_bytes(info["engine"][2])
            (args.out / (f"{name}-plain.pdf")).write_bytes(info["plain"][2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
