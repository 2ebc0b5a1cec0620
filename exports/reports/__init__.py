"""Reports: the official Thai documents (PDF) and their Excel files, for every form.

``generate(store, kind, ...)`` loads the data of a report, lays it out as PDF or writes it
as .xlsx, and writes the file through ``lev_desktop.files`` (a temporary file in the same
folder, then a rename retried while another program holds the file), so a failed or cancelled
report leaves no partial file and a locked one a Thai message naming it. Qt-free: the GUI
runs it through ``ctx.runner`` and the CLI calls it directly.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exports.reports import wording as W
from exports.reports.data import ReportDataError
from exports.reports.options import ReportOptions
from lev_desktop.files import write_file
from lev_desktop.i18n import N_
from lev_desktop.progress import Progress
from lev_desktop.thai_format import MONTHS_ABBR, be_year

KINDS = (
    "plan",
    "summary",
    "notice",
    "monitoring",
    "province",
    "softpower",
    "kpi",
    "monthly",
    "calendar",
)
FORMATS = ("pdf", "xlsx")

# Names of the kinds on screen and in the CLI help (translated where shown).
KIND_LABELS = {
    "plan": N_("F1 Action plan"),
    "summary": N_("F2 Summary of results against the plan"),
    "notice": N_("Public notice of the results"),
    "monitoring": N_("F3 Monitoring table of the LAOs"),
    "province": N_("F4 Province report (LEV network)"),
    "softpower": N_("Soft Power products report (P5)"),
    "kpi": N_("Indicators by stage (P2)"),
    "monthly": N_("Monthly report of temples and communities (P4)"),
    "calendar": N_("A month of deadlines"),
}

__all__ = [
    "FORMATS",
    "KINDS",
    "KIND_LABELS",
    "ReportDataError",
    "ReportOptions",
    "ReportRequest",
    "atomic_write",
    "default_filename",
    "generate",
    "sanitize_filename",
]


@dataclass
class ReportRequest:
    kind: str
    office_code: str | None
    fiscal_year: int
    fmt: str = "pdf"
    month: tuple[int, int] | None = None  # calendar: (year, month), Gregorian
    programme: str | None = None  # kpi / softpower: a programme code
    province: str | None = None  # province report by the Department: the province's code


_WINDOWS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def sanitize_filename(name: str) -> str:
    """A file name Windows accepts: no <>:"/\\|?* or control characters, no trailing dot or
    space, not a reserved device name, at most 150 characters; Thai is kept (NFC)."""
    name = unicodedata.normalize("NFC", name)
    name = _WINDOWS_BAD.sub("_", name)
    name = re.sub(r"\s+", "_", name).strip(" ._") or "report"
    stem, dot, ext = name.rpartition(".")
    if (dot and stem.upper() in _RESERVED) or (not dot and name.upper() in _RESERVED):
        name = f"_{name}"
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 150 - len(ext) - 1] + "." + ext if dot else name[:150]
    return name


def default_filename(
    kind: str,
    office_short_name: str,
    fiscal_year: int,
    fmt: str,
    month: tuple[int, int] | None = None,
) -> str:
    """ "แผนปฏิบัติงาน_อบต.หนองแสง_2568.pdf"; a month of deadlines adds the month:
    "ปฏิทินกำหนดส่ง_อบต.หนองแสง_2568_กย2568.pdf"."""
    parts = [W.FILE_STEM[kind], office_short_name, str(fiscal_year)]
    if kind in ("calendar", "monthly") and month is not None:
        parts.append(f"{MONTHS_ABBR[month[1] - 1].replace('.', '')}{be_year(month[0])}")
    return sanitize_filename("_".join(parts) + "." + fmt)


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Calls ``write(tmp)`` for a temporary file beside ``target``, then renames it over
    ``target``; on any error (or Cancelled) the temporary file is removed and ``target`` is
    left as it was. A file held open by another program (Excel, a PDF reader) gets a brief
    retry and then a Thai message naming ``target`` (``lev_desktop.files``)."""
    return write_file(target, write)


def load(store: Any, request: ReportRequest, progress: Progress | None = None) -> Any:
    """The data of a report (see ``data``)."""
    from exports.reports import data

    kind = request.kind
    if kind in ("plan", "summary", "notice"):
        return data.load_plan(
            store, request.office_code, request.fiscal_year, with_activities=kind != "plan"
        )
    if kind == "monitoring":
        return data.load_monitoring(
            store, request.office_code, request.fiscal_year, progress=progress
        )
    if kind == "province":
        return data.load_province_report(
            store,
            request.office_code,
            request.fiscal_year,
            province=request.province,
            progress=progress,
        )
    if kind == "monthly":
        return data.load_kpi(
            store,
            request.office_code,
            request.fiscal_year,
            programme=request.programme or "P4",
            month=request.month,
        )
    if kind == "softpower":
        return data.load_softpower(
            store, request.office_code, request.fiscal_year, programme=request.programme or "P5"
        )
    if kind == "kpi":
        return data.load_kpi(
            store, request.office_code, request.fiscal_year, programme=request.programme
        )
    if kind == "calendar":
        from exports.reports import calendar

        return calendar.load_month(store, request.office_code, request.fiscal_year, request.month)
    raise ValueError(f"unknown report kind {kind!r}")


def render_pdf(
    kind: str,
    payload: Any,
    options: ReportOptions,
    progress: Progress | None = None,
    prepared_by: str = "",
) -> bytes:
    from exports.reports import documents as d

    if kind == "plan":
        return d.plan_pdf(payload, options, progress, prepared_by=prepared_by)
    if kind == "summary":
        return d.summary_pdf(payload, options, progress, prepared_by=prepared_by)
    if kind == "notice":
        return d.notice_pdf(payload, options, progress)
    if kind == "monitoring":
        return d.monitoring_pdf(payload, options, progress)
    if kind == "softpower":
        return d.softpower_pdf(payload, options, progress)
    if kind == "province":
        return d.province_pdf(payload, options, progress)
    if kind in ("kpi", "monthly"):
        return d.kpi_pdf(payload, options, progress)
    if kind == "calendar":
        from exports.reports import calendar

        return calendar.calendar_pdf(payload, options, progress)
    raise ValueError(kind)


def office_short_name(payload: Any) -> str:
    return str(payload.office.short_name)


def generate(
    store: Any,
    request: ReportRequest,
    out: str | os.PathLike[str] | None = None,
    *,
    options: ReportOptions | None = None,
    progress: Progress | None = None,
    folder: str | os.PathLike[str] | None = None,
) -> Path:
    """Makes one report file and returns its path.

    ``out`` is the file to write; without it the file goes into ``folder`` (default: the
    current folder) under its Thai default name.
    """
    progress = progress or Progress()
    if request.kind not in KINDS:
        raise ValueError(f"unknown report kind {request.kind!r}")
    if request.fmt not in FORMATS:
        raise ValueError(f"unknown format {request.fmt!r}")
    options = options or ReportOptions.from_store(store)
    progress(0, 0, "")
    payload = load(store, request, progress)
    progress.check()
    if out is None:
        name = default_filename(
            request.kind,
            office_short_name(payload),
            request.fiscal_year,
            request.fmt,
            getattr(payload, "month", None),
        )
        out = Path(folder or ".") / name
    target = Path(out)
    prepared_by = getattr(store, "officer", "") or ""

    def write(tmp: Path) -> None:
        if request.fmt == "pdf":
            data = render_pdf(request.kind, payload, options, progress, prepared_by)
            progress.check()
            tmp.write_bytes(data)
        else:
            from exports.reports import workbook

            workbook.write(request.kind, payload, options, tmp, progress, prepared_by)
            progress.check()

    return atomic_write(target, write)
