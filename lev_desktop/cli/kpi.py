"""``lev kpi``: an office's KPI values, tab-separated, exactly as the KPI screen shows them."""

from __future__ import annotations

import argparse

from lev_desktop.cli.base import CliError, open_store
from lev_desktop.i18n import _


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kpi = sub.add_parser("kpi", help=_("print an office's indicator values (tab-separated)"))
    kpi.add_argument("--programme", required=True, help=_("programme code, e.g. P5"))
    kpi.add_argument("--office", help=_("office code (default: this office)"))
    kpi.add_argument(
        "--period",
        help=_("period: FY2568, 2568-07 (a month) or ONCE (default: every period with values)"),
    )
    kpi.set_defaults(handler=cmd_kpi)


def cmd_kpi(args: argparse.Namespace) -> int:
    from lev_desktop.services import kpi as service
    from lev_desktop.services.offices import get_office

    store = open_store(args)
    office = args.office or store.office_code
    if not office:
        raise CliError(_("Please give --office (this database has no office yet)"), 2)
    if get_office(store, office) is None:
        raise CliError(_("Unknown office: {code}").format(code=office), 2)
    try:
        programme = service.get_programme(store, args.programme)
        periods = (
            [service.parse_period(args.period)]
            if args.period
            else service.periods_with_values(store, office, programme.id)
        )
        for period in periods:
            data = service.load_form(store, office, programme.id, period)
            for line in service.value_lines(data):
                print("\t".join(line))
    except service.KpiError as exc:
        raise CliError(str(exc), 2) from exc
    return 0
