"""``lev plans``: an office's action plan (F1) as tab-separated rows, the rows the GUI shows."""

from __future__ import annotations

import argparse

from lev_desktop.cli.base import CliError, fiscal_year_arg, open_store
from lev_desktop.i18n import _


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plans = sub.add_parser("plans", help=_("print an office's action plan rows (tab-separated)"))
    plans.add_argument("--office", required=True, help=_("office code"))
    plans.add_argument(
        "--fiscal-year", required=True, type=fiscal_year_arg, help=_("fiscal year (BE), e.g. 2568")
    )
    plans.add_argument("--programme", default="P1", help=_("programme code (default P1)"))
    plans.set_defaults(handler=cmd_plans)


def cmd_plans(args: argparse.Namespace) -> int:
    from lev_desktop.services import plans as plan_service
    from lev_desktop.services.offices import get_office

    store = open_store(args)
    if get_office(store, args.office) is None:
        raise CliError(_("Office {code} is not in this database").format(code=args.office), 2)
    programme = plan_service.programme_by_code(store, args.programme)
    if programme is None:
        raise CliError(_("Programme {code} is not in this database").format(code=args.programme), 2)
    view = plan_service.load_plan(store, args.office, programme.id, args.fiscal_year)
    for line in plan_service.plan_lines(view):
        print("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in line))
    return 0
