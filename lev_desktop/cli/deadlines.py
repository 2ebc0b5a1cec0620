"""``lev deadlines``: the dated obligations of the programmes, as TSV lines or an .ics file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lev_desktop.cli.base import CliError, fiscal_year_arg, open_store, typed_day
from lev_desktop.files import FileWriteError, write_bytes
from lev_desktop.i18n import N_, _

if TYPE_CHECKING:
    from lev_desktop.deadlines.engine import Instance
    from lev_desktop.deadlines.rules import Deadline

LEVELS = ["lao", "district", "province", "national", "all"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "deadlines", help=_("list the deadlines of the programmes in a date range")
    )
    cmd.add_argument(
        "--from", dest="start", required=True, help=_("first day, e.g. 2568-10-01 (BE or CE year)")
    )
    cmd.add_argument(
        "--to", dest="end", required=True, help=_("last day, e.g. 2569-09-30 (BE or CE year)")
    )
    cmd.add_argument("--programme", help=_("only this programme (code, e.g. P5)"))
    cmd.add_argument(
        "--level",
        choices=LEVELS,
        default="all",
        help=_("only the deadlines of this level (default: all)"),
    )
    cmd.add_argument(
        "--format",
        choices=["tsv", "ics"],
        default="tsv",
        help=_("tsv: one line per deadline; ics: an iCalendar file"),
    )
    cmd.add_argument("--out", help=_("write to this file instead of the screen"))
    cmd.set_defaults(handler=cmd_deadlines)

    status = sub.add_parser(
        "status",
        help=_("the state of every obligation of an office in a fiscal year, one line each"),
    )
    status.add_argument("--office", help=_("this office (default) or an LAO under it, by its code"))
    status.add_argument(
        "--fiscal-year", type=fiscal_year_arg, help=_("fiscal year (BE), e.g. 2568")
    )
    status.add_argument(
        "--today", help=_("judge states as on this date, e.g. 2568-09-30 (default today)")
    )
    status.set_defaults(handler=cmd_status)


def tsv_line(deadline: Deadline) -> str:
    """ISO date (a window: ISO interval), the Thai date with its BE year (a meeting with its
    time), the level's code and its Thai name, the title."""
    from lev_desktop.deadlines.text import level_short, when_text

    start, due = deadline.start, deadline.due
    if start is not None and deadline.is_window:
        iso = f"{start.isoformat()}/{due.isoformat()}"
    else:
        iso = due.isoformat()
    level = deadline.obligation.level
    return "\t".join(
        [iso, when_text(deadline), level, level_short(level), deadline.obligation.title]
    )


def cmd_deadlines(args: argparse.Namespace) -> int:
    from lev_desktop.deadlines.engine import cli_deadlines
    from lev_desktop.deadlines.ics import to_ics

    start, end = typed_day(args.start), typed_day(args.end)
    if end < start:
        raise CliError(_("The last day comes before the first day"), 2)
    store = open_store(args)
    try:
        warnings: list[str] = []
        deadlines = cli_deadlines(
            store, start, end, programme=args.programme, level=args.level, warnings=warnings
        )
        for warning in warnings:
            print(f"lev: {warning}", file=sys.stderr)
    except KeyError as exc:
        raise CliError(_("No programme with code {code}").format(code=args.programme), 2) from exc
    if args.format == "ics":
        data = to_ics(deadlines)
        if args.out:
            _write(Path(args.out), data)
        else:
            sys.stdout.buffer.write(data)
        return 0
    text = "".join(tsv_line(d) + "\n" for d in deadlines)
    if args.out:
        # With a byte-order mark: Excel and PowerShell 5.1 read a file without one as the
        # ANSI code page and show the Thai as mojibake.
        _write(Path(args.out), text.encode("utf-8-sig"))
    else:
        sys.stdout.write(text)
    return 0


def _write(path: Path, data: bytes) -> None:
    try:
        write_bytes(path, data)
    except FileWriteError as exc:
        raise CliError(exc.message, 1) from exc


def status_line(instance: Instance) -> str:
    """Obligation: its code and Thai title; period: its code and Thai label ("FY2568",
    "ปีงบประมาณ พ.ศ. 2568"); due: ISO (for sorting) and the Thai date with its BE year, as
    ``lev deadlines`` prints it; the state word; completed / sent / received (Thai dates, or
    empty) and the reason of a manual mark."""
    from lev_desktop.deadlines.text import period_text
    from lev_desktop.thai_format import format_date

    ob, facts = instance.obligation, instance.facts
    code = (
        ob.code if ob.code.startswith(f"{ob.programme_code}.") else f"{ob.programme_code}:{ob.code}"
    )
    days = (facts.completed_on, facts.sent_on, facts.received_on)
    return "\t".join(
        [
            code,
            ob.title,
            instance.period,
            period_text(instance.period) if instance.period else "",
            instance.due.isoformat(),
            format_date(instance.due, "weekday"),
            instance.state.label,
            *(format_date(d) for d in days),
            facts.mark.reason if facts.mark else "",
        ]
    )


STATUS_HEADER = (
    N_("Obligation code"),
    N_("Obligation"),
    N_("Period code"),
    N_("Period"),
    N_("Due (ISO)"),
    N_("Due"),
    N_("State"),
    N_("Completed on"),
    N_("Sent on"),
    N_("Received on"),
    N_("Note"),
)


def cmd_status(args: argparse.Namespace) -> int:
    from lev_desktop import options
    from lev_desktop.deadlines.engine import office_status, today
    from lev_desktop.thai_format import fiscal_year

    store = open_store(args)
    if not store.office_code:
        raise CliError(_("Set up this office first (Settings, or `lev init`)."), 2)
    now = typed_day(args.today) if args.today else today()
    year = args.fiscal_year or options.get(store, "fiscal_year") or fiscal_year(now)
    office = args.office or store.office_code
    warnings: list[str] = []
    try:
        instances = office_status(store, office, int(year), today_=now, warnings=warnings)
    except KeyError as exc:
        raise CliError(
            _(
                "Office {code} is neither this office nor an LAO that reports to it — see "
                "'lev offices'"
            ).format(code=office),
            2,
        ) from exc
    for warning in warnings:  # (what is not in the list, said before it)
        print(f"lev: {warning}", file=sys.stderr)
    print("\t".join(_(title) for title in STATUS_HEADER))
    for instance in instances:
        print(status_line(instance))
    return 0
