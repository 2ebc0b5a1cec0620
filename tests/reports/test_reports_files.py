"""File names, atomic writing, cancel, the CLI."""

from __future__ import annotations

import pytest

from exports.reports import (
    ReportOptions,
    ReportRequest,
    atomic_write,
    default_filename,
    generate,
    sanitize_filename,
)
from lev_desktop.progress import Cancelled, Progress

from .conftest import needs_poppler, norm, pdftotext


def test_default_filename_is_thai():
    assert default_filename("plan", "อบต.หนองแสง", 2568, "pdf") == "แผนปฏิบัติงาน_อบต.หนองแสง_2568.pdf"
    assert (
        default_filename("monitoring", "สถอ.เมืองนครพนม", 2568, "xlsx")
        == "แบบติดตาม_สถอ.เมืองนครพนม_2568.xlsx"
    )
    assert (
        default_filename("calendar", "อบต.หนองแสง", 2568, "pdf", (2025, 9))
        == "ปฏิทินกำหนดส่ง_อบต.หนองแสง_2568_กย2568.pdf"
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('แผน:งาน/อบต."ก"?.pdf', "แผน_งาน_อบต._ก__.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("ชื่อ  มี ช่องว่าง .pdf", "ชื่อ_มี_ช่องว่าง_.pdf"),
        ("a" * 300 + ".xlsx", "a" * 145 + ".xlsx"),
    ],
)
def test_sanitize_filename(raw, expected):
    assert sanitize_filename(raw) == expected


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def failing(tmp):
        tmp.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(target, failing)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_cancel_leaves_no_file(report_store, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    progress = Progress()
    calls = []

    def cancel_on_third(done, total, text):
        calls.append(done)
        if len(calls) == 3:
            progress.cancel()

    progress._callback = cancel_on_third
    with pytest.raises(Cancelled):
        generate(
            report_store,
            ReportRequest("summary", "4801006", 2568, "pdf"),
            tmp_path / "x.pdf",
            options=ReportOptions(),
            progress=progress,
        )
    assert list(tmp_path.iterdir()) == []


def test_missing_plan_is_a_clear_error(lao_store, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    from exports.reports import ReportDataError

    with pytest.raises(ReportDataError) as info:
        generate(lao_store, ReportRequest("plan", "4801006", 2568, "pdf"), tmp_path / "x.pdf")
    assert "2568" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_cli_every_kind_and_format(demo_store, tmp_path, capsys):
    from lev_desktop.cli import main

    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for kind in ("plan", "summary", "notice", "monitoring", "softpower", "kpi", "calendar"):
        office = "D4801" if kind in ("monitoring", "calendar") else "4801006"
        for fmt in ("pdf", "xlsx"):
            out = tmp_path / f"{kind}.{fmt}"
            code = main(
                [
                    "--db",
                    str(demo_store.path),
                    "report",
                    kind,
                    "--office",
                    office,
                    "--fiscal-year",
                    "2568",
                    "--out",
                    str(out),
                    "--thai-digits",
                    "--month",
                    "2025-09",
                ]
            )
            assert code == 0, (kind, fmt)
            assert out.stat().st_size > 1000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~lev-")]


def test_cli_errors(demo_store, tmp_path, capsys):
    from lev_desktop.cli import main

    db = str(demo_store.path)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    assert (
        main(
            [
                "--db",
                db,
                "report",
                "plan",
                "--office",
                "4801006",
                "--fiscal-year",
                "2568",
                "--out",
                str(tmp_path / "x.docx"),
            ]
        )
        == 2
    )
    assert (
        main(
            [
                "--db",
                db,
                "report",
                "plan",
                "--office",
                "D4801",
                "--fiscal-year",
                "2568",
                "--out",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 3
    )
    assert (
        main(
            [
                "--db",
                db,
                "report",
                "plan",
                "--office",
                "9999999",
                "--fiscal-year",
                "2568",
                "--out",
                str(tmp_path / "y.pdf"),
            ]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert "9999999" in err
    assert list(tmp_path.iterdir()) == []


@needs_poppler
def test_cli_calendar_month_in_the_buddhist_era(demo_store, tmp_path, capsys):
    """``--month 2568-09`` is September 2025: the month an officer means. It was read as
    the year 2568 CE and printed "ประจำเดือนกันยายน พ.ศ. 3111" without a word."""
    from lev_desktop.cli import main

    out = tmp_path / "calendar.pdf"
    args = ["--db", str(demo_store.path), "report", "calendar", "--office", "D4801"]
    assert main([*args, "--month", "2568-09", "--out", str(out)]) == 0
    title = norm(pdftotext(out, 1))
    assert "ประจำเดือนกันยายนพ.ศ.๒๕๖๘" in title  # (the demo office prints Thai digits)
    assert "๓๑๑๑" not in title
    assert main([*args, "--month", "3111-09", "--out", str(tmp_path / "late.pdf")]) == 2
    assert "ไม่ใช่เดือน: 3111-09" in capsys.readouterr().err
    assert not (tmp_path / "late.pdf").exists()
