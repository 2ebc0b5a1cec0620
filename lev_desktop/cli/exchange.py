"""Exchange commands: export, import, keys (fingerprint, trusted keys, re-trust), history."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from lev_desktop.cli.base import CliError, fiscal_year_arg, open_store
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import format_number, format_utc

if TYPE_CHECKING:
    from lev_desktop.exchange.importer import ImportPlan


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = sub.add_parser("export", help=_("write a signed package for another office"))
    export.add_argument(
        "--to", required=True, dest="recipient", help=_("code of the receiving office")
    )
    export.add_argument("--out", required=True, help=_("package file to write (.levpkg)"))
    export.add_argument(
        "--down",
        action="store_true",
        help=_("the office is below this one (reviews and programmes; fulfils nothing)"),
    )
    export.add_argument(
        "--since-last",
        action="store_true",
        help=_("only what changed since the last package sent to that office"),
    )
    export.add_argument(
        "--programme", nargs="+", default=None, help=_("programme codes (default: all)")
    )
    export.add_argument(
        "--fiscal-year",
        nargs="+",
        type=fiscal_year_arg,
        default=None,
        help=_("fiscal years in BE, e.g. 2568 (default: all)"),
    )
    export.set_defaults(handler=cmd_export, writes=True)

    imp = sub.add_parser("import", help=_("import packages from other offices"))
    imp.add_argument("files", nargs="+", help=_("package files (.levpkg)"))
    imp.add_argument("--dry-run", action="store_true", help=_("only show what would change"))
    imp.add_argument(
        "--replace",
        action="store_true",
        help=_(
            "confirm that records an office entered again after a reinstall replace its earlier "
            "ones (for scripts; asked on a terminal)"
        ),
    )
    imp.add_argument(
        "--trust",
        action="store_true",
        help=_("trust the key of a new sending office without asking (for scripts)"),
    )
    imp.set_defaults(handler=cmd_import)

    key = sub.add_parser("keys", help=_("this office's key fingerprint and the trusted keys"))
    key.add_argument(
        "--forget",
        metavar="OFFICE",
        help=_("forget the trusted key of an office (its next package asks again)"),
    )
    key.add_argument(
        "--reset-sequence",
        metavar="OFFICE",
        help=_(
            "start the sequence numbers of an office afresh (after checking with the office "
            "that its packages were refused as old ones by mistake)"
        ),
    )
    key.set_defaults(handler=cmd_keys)

    form = sub.add_parser("excel-form", help=_("pre-filled Excel form for an LAO without the app"))
    form.add_argument("--lao", required=True, help=_("code of the LAO"))
    form.add_argument("--programme", required=True, help=_("programme code, e.g. P2"))
    form.add_argument("--period", help=_("period: FY2568, 2568-07 or ONCE (default: current)"))
    form.add_argument("--out", required=True, help=_("workbook to write (.xlsx)"))
    form.set_defaults(handler=cmd_excel_form)

    history = sub.add_parser("exchange-history", help=_("packages sent and received"))
    history.set_defaults(handler=cmd_history)

    restamp = sub.add_parser(
        "restamp",
        help=_(
            "set to now the times of this office's records saved while the computer's clock "
            "was ahead (asks first)"
        ),
    )
    restamp.add_argument(
        "--yes",
        action="store_true",
        help=_("the date and time now are right: do not ask (for scripts)"),
    )
    restamp.set_defaults(handler=cmd_restamp, writes=True)


def cmd_export(args: argparse.Namespace) -> int:
    from lev_desktop.exchange.exporter import ExportError, export_package
    from lev_desktop.exchange.keys import format_fingerprint, office_fingerprint
    from lev_desktop.exchange.payloads import kind_label, table_label

    store = open_store(args)
    try:
        result = export_package(
            store,
            args.recipient,
            args.out,
            since_last=args.since_last,
            programmes=args.programme,
            fiscal_years=args.fiscal_year,
            down=args.down,
        )
    except ExportError as exc:
        raise CliError(str(exc), 2) from exc
    if result.note:
        print(result.note)
    fulfilment = result.fulfilment
    if fulfilment is not None:
        print(_("To: {office}").format(office=fulfilment.recipient.label))
        for line in fulfilment.lines:
            print(_("Marked sent: {obligation}").format(obligation=line))
        if fulfilment.warning():
            print(fulfilment.warning(), file=sys.stderr)
    kind = kind_label(result.kind)
    print(
        _(
            "Package {name} for {office}: sequence {seq} ({kind}), {count} records, {size} bytes"
        ).format(
            name=result.path,
            office=result.recipient,
            seq=result.sequence,
            kind=kind,
            count=format_number(result.total),
            size=format_number(result.size),
        )
    )
    for table, count in sorted(result.counts.items(), key=lambda item: _table_order(item[0])):
        print(f"  {table_label(table)}\t{format_number(count)}")
    if result.embedded:
        print(_("Relayed packages of offices below: {count}").format(count=len(result.embedded)))
    if store.office_code:  # always, once a package was made
        print(_("Key fingerprint of this office:"))
        print(format_fingerprint(office_fingerprint(store.office_code)))
    return 0


def _table_order(table: str) -> int:
    """The order the export screen lists the tables in (``exchange.records.TABLES``)."""
    from lev_desktop.exchange.records import TABLES

    order = list(TABLES)
    return order.index(table) if table in order else len(order)


def _print_plan(plan: ImportPlan, *, trusting: bool = False) -> None:
    """The preview as a table; ``trusting``: the run trusts every new key (``--trust``), so a
    part waiting for trust is shown as it will be imported."""
    from lev_desktop.exchange.importer import Status

    labels = {
        Status.OK: _("will be imported"),
        Status.DUPLICATE: _("already imported"),
        Status.NEEDS_TRUST: _("new key: trusted (--trust)")
        if trusting
        else _("new key: needs trust"),
        Status.REFUSED: _("refused"),
    }
    print(
        "\t".join(
            [
                _("File"),
                _("Office"),
                _("Sequence"),
                _("New"),
                _("Updated"),
                _("Unchanged"),
                _("Conflicts"),
                _("Refused"),
                _("Result"),
            ]
        )
    )
    for package in plan.packages:
        if not package.parts:
            print(
                "\t".join(
                    [package.file_name, "-", "-", "0", "0", "0", "0", "0", labels[package.status]]
                )
            )
            continue
        for part in package.parts:
            c = part.counts
            via = _("via")
            office = part.sender + (f" ({via} {part.relayed_by})" if part.relayed_by else "")
            print(
                "\t".join(
                    [
                        package.file_name,
                        office,
                        str(part.sequence),
                        *(
                            format_number(c[key])
                            for key in ("new", "updated", "unchanged", "conflicts", "refused")
                        ),
                        labels.get(part.status, part.status),
                    ]
                )
            )
            if part.new_key and not part.relayed_by:
                from lev_desktop.exchange.keys import format_fingerprint

                print(_("  Key fingerprint of {office}:").format(office=part.sender))
                print("  " + format_fingerprint(part.fingerprint).replace("\n", "\n  "))


def cmd_import(args: argparse.Namespace) -> int:
    from lev_desktop.exchange.errors import Refusal
    from lev_desktop.exchange.importer import Status, claims_text, commit, preview
    from lev_desktop.exchange.keys import format_fingerprint

    store = open_store(args, write=not args.dry_run)
    try:
        plan = preview(store, args.files)
    except Refusal as exc:
        raise CliError(exc.message, 2) from exc
    _print_plan(plan, trusting=bool(args.trust))
    for package in plan.packages:
        if package.status == Status.REFUSED:
            print(
                _("Refused: {file}: {reason}").format(
                    file=package.file_name, reason=package.reason
                ),
                file=sys.stderr,
            )
    waiting = plan.needs_trust
    if args.dry_run:
        print(_("Dry run: nothing was written."))
        untrusted = [] if args.trust else waiting
        for part in untrusted:
            print(
                _(
                    "Would need trust: the key of office {office} is new; the real run asks on "
                    "a terminal (or use --trust)."
                ).format(office=part.sender),
                file=sys.stderr,
            )
        refused = any(p.status == Status.REFUSED for p in plan.packages)
        return 2 if refused or untrusted else 0
    trust: bool | set[str] = bool(args.trust)
    if waiting and not args.trust and sys.stdin.isatty():
        accepted = set()
        for part in waiting:
            print(claims_text(part))
            answer = input(
                _("Trust the key of office {office}? (yes/no) ").format(office=part.sender)
            )
            if answer.strip().lower() in ("y", "yes", "ใช่", "ช"):
                accepted.add(part.sender)
        trust = accepted
    replace: bool | set[str] = bool(args.replace)
    confirming = plan.needs_confirm
    if confirming and not args.replace and sys.stdin.isatty():
        confirmed = set()
        for part in confirming:
            for note in part.notes:
                print(f"  {part.sender}: {note}")
            answer = input(
                _(
                    "Do these records of office {office} replace its earlier ones (it "
                    "reinstalled and entered them again)? (yes/no) "
                ).format(office=part.sender)
            )
            if answer.strip().lower() in ("y", "yes", "ใช่", "ช"):
                confirmed.add(part.sender)
        replace = confirmed
    refused_in_preview = {id(p) for p in plan.packages if p.status == Status.REFUSED}
    result = commit(store, plan, trust=trust, replace=replace)
    for package in result.refused:
        if id(package) not in refused_in_preview:  # refused while writing: say why, in Thai
            print(
                _("Refused: {file}: {reason}").format(
                    file=package.file_name, reason=package.reason
                ),
                file=sys.stderr,
            )
    for package in result.duplicates:
        print(
            _(
                "{file}: this package was already imported; nothing was changed (0 new records)."
            ).format(file=package.file_name)
        )
    imported = {id(package) for package in result.imported}
    asked = {id(part) for part in waiting}
    for package in plan.packages:
        for part in package.parts if id(package) in imported else ():
            if id(part) in asked and (trust is True or (trust and part.sender in trust)):
                print(
                    _("The key of office {office} is now trusted (fingerprint {fp}).").format(
                        office=part.sender,
                        fp=format_fingerprint(part.fingerprint, per_line=len(part.fingerprint)),
                    )
                )
    counts = result.counts()
    print(
        _(
            "Imported {packages} package(s): {new} new, {updated} updated, {unchanged} unchanged, "
            "{conflicts} conflicts."
        ).format(
            packages=format_number(len(result.imported)),
            **{key: format_number(value) for key, value in counts.items()},
        )
    )
    if result.refused and not result.imported and not result.duplicates:
        return 2
    return 2 if result.refused else 0


def cmd_excel_form(args: argparse.Namespace) -> int:
    from lev_desktop.exchange.excel import write_template

    store = open_store(args)
    try:
        path = write_template(store, args.lao, args.programme, args.out, period=args.period)
    except ValueError as exc:
        raise CliError(str(exc), 2) from exc
    print(_("Excel form written: {path}").format(path=path))
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from lev_desktop.exchange.importer import forget_key, trusted_keys
    from lev_desktop.exchange.keys import format_fingerprint, office_fingerprint

    store = open_store(args, write=bool(args.forget or args.reset_sequence))
    if args.reset_sequence:
        from lev_desktop.exchange.importer import reset_sequence

        if not reset_sequence(store, args.reset_sequence):
            raise CliError(
                _("No package from office {office} was imported here").format(
                    office=args.reset_sequence
                ),
                2,
            )
        print(
            _(
                "The sequence numbers of office {office} start afresh: its next package is "
                "accepted whatever its number (and later ones must follow it)."
            ).format(office=args.reset_sequence)
        )
        return 0
    if args.forget:
        if not forget_key(store, args.forget):
            raise CliError(_("No trusted key for office {office}").format(office=args.forget), 2)
        print(
            _(
                "The key of office {office} is no longer trusted; its next package will ask again."
            ).format(office=args.forget)
        )
        return 0
    if not store.office_code:
        raise CliError(_("Set up this office first (Settings, or `lev init`)."), 2)
    print(_("Key fingerprint of this office ({office}):").format(office=store.office_code))
    print(format_fingerprint(office_fingerprint(store.office_code)))
    for key in trusted_keys(store):
        via = _(" (via {office})").format(office=key.via) if key.via else ""
        # grouped as the office reads its own out on the telephone ("EBEF 88C4 …")
        fingerprint = format_fingerprint(key.fingerprint, per_line=len(key.fingerprint))
        print(f"{key.office_code}\t{fingerprint}{via}")
    return 0


HISTORY_HEADER = (
    N_("Direction"),
    N_("Office"),
    N_("Office name"),
    N_("Via"),
    N_("Sequence"),
    N_("Kind"),
    N_("When (UTC, ISO)"),
    N_("When"),
    N_("Records"),
)


def cmd_history(args: argparse.Namespace) -> int:
    """One line per package, as the history tab lists them: the time as stored (UTC, ISO, for
    scripts) and as a person here reads it, the kind and the records in words and figures."""
    from lev_desktop.exchange.exporter import sent_history
    from lev_desktop.exchange.importer import received_history
    from lev_desktop.exchange.payloads import kind_label
    from lev_desktop.services.offices import office_names_for

    store = open_store(args)
    sent_rows, received_rows = sent_history(store), received_history(store)
    names = office_names_for(
        store, {s.recipient for s in sent_rows} | {r.relayed_by or "" for r in received_rows}
    )
    print("\t".join(_(title) for title in HISTORY_HEADER))
    for sent in sent_rows:
        print(
            "\t".join(
                [
                    _("sent"),
                    sent.recipient,
                    names.get(sent.recipient, ""),
                    "",
                    str(sent.sequence),
                    kind_label(sent.kind),
                    sent.created_at.isoformat(),
                    format_utc(sent.created_at),
                    format_number(sum(sent.counts.values())),
                ]
            )
        )
    for got in received_rows:
        print(
            "\t".join(
                [
                    _("received"),
                    got.sender,
                    names.get(got.sender) or got.sender_name,
                    got.relayed_by or "",
                    str(got.sequence),
                    kind_label(got.kind),
                    got.imported_at.isoformat(),
                    format_utc(got.imported_at),
                    format_number(sum(int(got.counts.get(k, 0)) for k in ("new", "updated"))),
                ]
            )
        )
    return 0


def cmd_restamp(args: argparse.Namespace) -> int:
    from db.models import utcnow
    from lev_desktop.domain.validation import shown_time
    from lev_desktop.exchange.restamp import RestampError, future_changes, restamp_future_changes

    store = open_store(args)
    now = utcnow()
    with store.read() as session:
        future = future_changes(session, store.office_code or "", now)
    if not future.count:
        print(_("No record of this office was saved at a time after now; nothing was changed."))
        return 0
    print(future.describe())
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(_("Not confirmed: answer on a terminal, or add --yes in a script."), 2)
        answer = input(
            _(
                "Are the date and time of this computer right now ({now}), and were the records "
                "saved while its clock was ahead? Set their times to now? (yes/no) "
            ).format(now=shown_time(now))
        )
        if answer.strip().lower() not in ("y", "yes", "ใช่", "ช"):
            print(_("Nothing was changed."))
            return 1
    try:
        done = restamp_future_changes(store)
    except RestampError as exc:
        raise CliError(str(exc), 2) from exc
    print(
        _(
            "The times of {count} records of this office were set to {now}. Packages can be "
            "exported again."
        ).format(count=done.count, now=shown_time(done.now) if done.now else "")
    )
    return 0
