"""``lev board``: the consolidation board as tab-separated text (a line per LAO, then รวม)."""

from __future__ import annotations

import argparse
from typing import Any

from lev_desktop.cli.base import CliError, fiscal_year_arg, open_store, typed_day
from lev_desktop.i18n import _
from lev_desktop.thai_format import parse_date, parse_period


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    board = sub.add_parser(
        "board", help=_("consolidation board: each LAO's state and figures for a programme")
    )
    board.add_argument("--programme", required=True, help=_("programme code, e.g. P1"))
    board.add_argument("--fiscal-year", type=fiscal_year_arg, help=_("fiscal year (BE), e.g. 2568"))
    board.add_argument(
        "--obligation",
        help=_("obligation code, e.g. P1.LAO.REPORT (default: the first LAO obligation)"),
    )
    board.add_argument(
        "--period",
        help=_("period of a recurring obligation: a month (e.g. 2568-03), FY2568 or a date"),
    )
    board.add_argument("--district", help=_("only this district (DOPA code, e.g. 4801)"))
    board.add_argument(
        "--type",
        dest="lao_type",
        help=_(
            "only this LAO type: pao, "
            "city_municipality, town_municipality, subdistrict_municipality, sao "
            "(or อบต., ทต., …)"
        ),
    )
    board.add_argument("--office", help=_("consolidate under this office instead of this one"))
    board.add_argument(
        "--today", help=_("judge states as on this date, e.g. 2568-09-30 (default today)")
    )
    board.add_argument(
        "--by-district",
        action="store_true",
        help=_("print one line per district instead of one per LAO"),
    )
    board.set_defaults(handler=cmd_board)


def typed_obligation_period(text: str) -> str:
    """A period as typed (as ``lev kpi`` reads one: BE or CE, Thai digits) → its stored code;
    a reporting round is a date ("15/9/2568" → "2025-09-15"). Unreadable: as typed (the board
    then names it as unknown)."""
    try:
        return parse_period(text)
    except ValueError:
        pass
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    return day.isoformat() if day else text


def cmd_board(args: argparse.Namespace) -> int:
    from lev_desktop.domain.offices import parse_lao_type
    from lev_desktop.services import consolidation
    from lev_desktop.services.consolidation import format_metric, metric_title
    from lev_desktop.services.programmes import get_programme
    from lev_desktop.thai_format import format_date, format_number

    store = open_store(args)
    programme = get_programme(store, args.programme)
    if programme is None:
        raise CliError(
            _("No programme with code {code} — see 'lev programmes'").format(code=args.programme), 2
        )
    lao_type = None
    if args.lao_type:
        try:
            lao_type = parse_lao_type(args.lao_type).value
        except ValueError as exc:
            raise CliError(_("Unknown LAO type: {type}").format(type=args.lao_type), 2) from exc
    if args.district and not (args.district.isdigit() and len(args.district) == 4):
        raise CliError(_("A district code has 4 digits, e.g. 4801"), 2)
    today = typed_day(args.today) if args.today else None
    period = typed_obligation_period(args.period) if args.period else None
    try:
        board = consolidation.build_board(
            store,
            programme,
            fiscal_year=args.fiscal_year,
            obligation=args.obligation,
            period=period,
            district=args.district,
            lao_type=lao_type,
            office=args.office,
            today=today,
        )
    except LookupError as exc:
        raise CliError(
            _("Unknown obligation or period: {name}").format(name=exc.args[0]), 2
        ) from exc

    # Figures as the board shows them (12,500.00; 1,234), their unit in the column's title
    metric_titles = [metric_title(m, unit=True) for m in board.metrics]

    def figures(values: dict[str, Any], *, total: bool = False) -> list[str]:
        return [format_metric(values.get(m.key), m, total=total, unit=False) for m in board.metrics]

    shown = board.shown_states
    means = any(m.kind == "percent" for m in board.metrics)  # totals of percentages: means
    if args.by_district:
        totals_titles = [metric_title(m, unit=True, totals=True) for m in board.metrics]
        print("\t".join([_("District"), _("LAOs")] + [s.label for s in shown] + totals_titles))
        for group in board.districts:
            print(
                "\t".join(
                    [group.label, format_number(group.laos)]
                    + [format_number(group.counts.get(s, 0)) for s in shown]
                    + figures(group.totals, total=True)
                )
            )
        print(
            "\t".join(
                [_("Total"), format_number(len(board.rows))]
                + [format_number(board.counts.get(s, 0)) for s in shown]
                + figures(board.totals, total=True)
            )
        )
        return 0
    print(
        "\t".join(
            [
                _("District"),
                _("Code"),
                _("LAO"),
                _("Type"),
                _("State"),
                _("Sent or done on"),
                _("Received on"),
                *metric_titles,
            ]
        )
    )
    for row in board.rows:
        print(
            "\t".join(
                [
                    row.district,
                    row.code,
                    row.name,
                    row.type_abbr,
                    row.state.label if row.state else "",
                    format_date(row.arrived),
                    format_date(row.received_on),
                    *figures(row.values),
                ]
            )
        )
    counts = " ".join(f"{s.label}={format_number(board.counts.get(s, 0))}" for s in shown)
    print(
        "\t".join(
            [
                _("Total (percentages are means)") if means else _("Total"),
                format_number(len(board.rows)),
                counts,
                *("" for _column in range(4)),  # type, state and the two dates
                *figures(board.totals, total=True),
            ]
        )
    )
    return 0
