"""Core commands: init, demo, offices, programmes."""

from __future__ import annotations

import argparse

from lev_desktop.cli.base import CliError, open_store, typed_day
from lev_desktop.domain.offices import LaoType, Level
from lev_desktop.i18n import _


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser("init", help=_("set which office this database belongs to"))
    init.add_argument("--level", required=True, choices=["lao", "district", "province", "national"])
    init.add_argument("--office", required=True, help=_("office code"))
    init.add_argument("--name", required=True, help=_("office name"))
    init.add_argument(
        "--type",
        dest="lao_type",
        help=_(
            "LAO type: pao, city_municipality, "
            "town_municipality, subdistrict_municipality, sao (or อบต., ทต., …)"
        ),
    )
    init.add_argument("--parent", help=_("code of the office this one reports to"))
    init.add_argument("--province", help=_("province DOPA code, e.g. 48"))
    init.add_argument("--district", help=_("district DOPA code, e.g. 4801"))
    init.add_argument("--officer", default="", help=_("officer name for the audit log"))
    init.add_argument(
        "--since",
        help=_(
            "the day the office begins using the app, e.g. 2568-10-01 (default today): "
            "obligations due before it are not applicable"
        ),
    )
    init.set_defaults(handler=cmd_init, writes=True)

    demo = sub.add_parser("demo", help=_("fill the database with demo data"))
    demo.set_defaults(handler=cmd_demo, writes=True)

    offices = sub.add_parser("offices", help=_("list offices (code, name, level, type)"))
    offices.set_defaults(handler=cmd_offices)

    progs = sub.add_parser("programmes", help=_("list programmes (code, Thai name)"))
    progs.set_defaults(handler=cmd_programmes)


def cmd_init(args: argparse.Namespace) -> int:

    from lev_desktop.deadlines.engine import today
    from lev_desktop.services.offices import SetupError, initialise

    since = typed_day(args.since) if args.since else today()
    store = open_store(args)
    try:
        office = initialise(
            store,
            level=args.level,
            code=args.office,
            name=args.name,
            lao_type=args.lao_type,
            parent=args.parent,
            province_code=args.province,
            district_code=args.district,
            officer=args.officer,
            since=since,
        )
    except SetupError as exc:
        raise CliError(str(exc), 2) from exc
    print(
        _("This database now belongs to {name} ({code})").format(name=office.name, code=office.code)
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from lev_desktop.services import demo

    store = open_store(args)
    name = demo.fill(store)
    print(_("Demo data added for {name}").format(name=name))
    return 0


def cmd_offices(args: argparse.Namespace) -> int:
    from lev_desktop.services.offices import list_offices

    store = open_store(args)
    for office in list_offices(store):
        level = Level(office.level)
        kind = LaoType(office.lao_type).abbreviation if office.lao_type else level.label
        print("\t".join([office.code, office.name, level.value, kind]))
    return 0


def cmd_programmes(args: argparse.Namespace) -> int:
    from lev_desktop.services.programmes import list_programmes

    store = open_store(args)
    for programme in list_programmes(store):
        print("\t".join([programme.code, programme.name]))
    return 0
