"""F3's line of forms received ("อปท. ทั้งหมด … ได้รับแบบติดตามแล้ว … แห่ง") is the receiving
office's: an LAO printing its own form printed "ได้รับแบบติดตามแล้ว ๐ แห่ง ยังไม่ได้รับ ๑ แห่ง"
of itself (print14's finding). The PDF and the workbook say the same."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from exports.reports.data import MonitoringData, MonitoringRow, OfficeInfo
from exports.reports.documents import monitoring_pdf
from exports.reports.options import ReportOptions
from exports.reports.workbook import monitoring_sheet
from lev_desktop.domain.obligation_state import State

from .conftest import needs_poppler, norm, pdftotext

LAO = OfficeInfo("4801006", "องค์การบริหารส่วนตำบลหนองแสง", "lao", "sao", "4801", "48")
DISTRICT = OfficeInfo(
    "D4801", "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม", "district", None, "4801", "48"
)


def _row(code: str, state: State | None) -> MonitoringRow:
    day = dt.date(2024, 11, 1)
    return MonitoringRow(
        "เมืองนครพนม", "4801", f"อบต.ทดสอบ{code}", code, day, day, day, 3, None, None, "", "", state
    )


def _sheet_text(data: MonitoringData) -> str:
    book = Workbook()
    monitoring_sheet(book, data, ReportOptions(thai_digits=False), None)
    sheet = book["F3 แบบติดตาม"]
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)


@needs_poppler
@pytest.mark.parametrize(
    ("office", "rows", "line"),
    [
        (LAO, [_row("4801006", None)], None),
        (
            DISTRICT,
            [_row("4801006", State.RECEIVED), _row("4801007", None)],
            "อปท. ทั้งหมด 2 แห่ง ได้รับแบบติดตามแล้ว 1 แห่ง ยังไม่ได้รับ 1 แห่ง",
        ),
    ],
    ids=["lao", "district"],
)
def test_the_received_line_is_the_receivers(tmp_path, office, rows, line):
    data = MonitoringData(office, 2568, rows)
    path = tmp_path / "f3.pdf"
    path.write_bytes(monitoring_pdf(data, ReportOptions(thai_digits=False)))
    printed, sheet = norm(pdftotext(path)), _sheet_text(data)
    if line is None:
        assert "ได้รับแบบติดตามแล้ว" not in printed
        assert "ได้รับแบบติดตามแล้ว" not in sheet
    else:
        assert norm(line) in printed
        assert line in sheet.splitlines()
