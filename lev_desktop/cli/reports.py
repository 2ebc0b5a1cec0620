"""``lev report KIND``: the report documents (PDF) and their Excel files from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from db.store import Store
from lev_desktop import options
from lev_desktop.cli.base import CliError, fiscal_year_arg, open_store, typed_month
from lev_desktop.i18n import _


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from exports.reports import KIND_LABELS, KINDS

    report = sub.add_parser("report", help=_("make a report as PDF or Excel (.xlsx)"))
    report.add_argument(
        "kind",
        choices=KINDS,
        # (the names the report screen shows: every kind, from the one list of them)
        help="; ".join(f"{kind}: {_(KIND_LABELS[kind])}" for kind in KINDS),
    )
    report.add_argument("--office", help=_("office code (default: this office)"))
    report.add_argument(
        "--fiscal-year", type=fiscal_year_arg, help=_("fiscal year in BE, e.g. 2568")
    )
    report.add_argument(
        "--out",
        help=_("the file to write, .pdf or .xlsx (default: a Thai name in the current folder)"),
    )
    report.add_argument(
        "--format", choices=["pdf", "xlsx"], help=_("format when --out is not given")
    )
    report.add_argument(
        "--thai-digits", action="store_true", default=None, help=_("print Thai digits (๐–๙)")
    )
    report.add_argument(
        "--month", help=_("calendar, monthly: the month, YYYY-MM (BE or CE year), e.g. 2568-09")
    )
    report.add_argument("--programme", help=_("kpi / softpower: programme code"))
    report.add_argument("--signer-name", help=_("name of the person who signs"))
    report.add_argument("--signer-position", help=_("position of the person who signs"))
    report.set_defaults(handler=cmd_report)


def _fiscal_year(store: Store, value: int | None) -> int:
    return value or options.fiscal_year(store)  # (given: checked by fiscal_year_arg)


def cmd_report(args: argparse.Namespace) -> int:
    from exports.reports import ReportDataError, ReportOptions, ReportRequest, generate

    fmt = args.format or "pdf"
    if args.out:
        suffix = Path(args.out).suffix.lower().lstrip(".")
        if suffix not in ("pdf", "xlsx"):
            raise CliError(_("The output file must end in .pdf or .xlsx"), 2)
        fmt = suffix
    store = open_store(args)
    if not (args.office or store.office_code):
        raise CliError(_("Please give --office (this database has no office yet)"), 2)
    request = ReportRequest(
        args.kind,
        args.office or store.office_code,
        _fiscal_year(store, args.fiscal_year),
        fmt,
        month=typed_month(args.month) if args.month else None,
        programme=args.programme,
    )
    options = ReportOptions.from_store(
        store,
        thai_digits=args.thai_digits,
        signer_name=args.signer_name,
        signer_position=args.signer_position,
    )
    try:
        path = generate(store, request, args.out, options=options)
    except ReportDataError as exc:
        raise CliError(str(exc), 3) from exc
    print(_("Written: {path}").format(path=path))
    return 0
