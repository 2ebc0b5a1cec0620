"""Continuity commands: backup, restore, check, key-export, key-import, and after a lost
computer recovery-package, recover, reinstalled."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lev_desktop.cli.base import CliError, open_store
from lev_desktop.continuity.restore import BackupInfo
from lev_desktop.i18n import _
from lev_desktop.thai_format import format_datetime, format_number


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser(
        "backup",
        help=_(
            "back up the database into the data folder (and a second folder); exit code 3 when "
            "only the copy in the second folder failed"
        ),
    )
    backup.add_argument(
        "--to",
        metavar="DIR",
        help=_("also copy the backup into this folder (instead of the second folder in Settings)"),
    )
    backup.add_argument("--list", action="store_true", help=_("list the backups instead"))
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser(
        "restore", help=_("put a backup in place of the database (the current one is kept)")
    )
    restore.add_argument("file", help=_("backup file (.db)"))
    restore.add_argument(
        "--yes", action="store_true", help=_("do not ask for confirmation (for scripts)")
    )
    restore.set_defaults(handler=cmd_restore)

    check = sub.add_parser("check", help=_("check the database file with SQLite's integrity check"))
    check.set_defaults(handler=cmd_check)

    export = sub.add_parser(
        "key-export",
        help=_(
            "write the office's private key to a password-protected file (backups then carry it, "
            "encrypted)"
        ),
    )
    export.add_argument("file", help=_("key file to write (.levkey)"))
    export.add_argument("--password-file", help=_("read the password from this file (for scripts)"))
    export.set_defaults(handler=cmd_key_export, writes=True)

    imp = sub.add_parser(
        "key-import",
        help=_(
            "make a key from a key file (or, without a file, the copy the database carries) this "
            "office's key again"
        ),
    )
    imp.add_argument("file", nargs="?", help=_("key file (.levkey)"))
    imp.add_argument("--password-file", help=_("read the password from this file (for scripts)"))
    imp.set_defaults(handler=cmd_key_import, writes=True)
    register_recovery(sub)


def _sqlite_path(args: argparse.Namespace) -> Path:
    from sqlalchemy.engine import make_url

    from db.store import resolve_url

    url = make_url(resolve_url(args.db))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise CliError(
            _(
                "This database is on a server (PostgreSQL): back it up and restore it on the "
                "server (pg_dump, pg_restore)."
            ),
            2,
        )
    return Path(url.database)


def _kind_label(kind: str) -> str:
    from lev_desktop.continuity import backups

    return {
        backups.ROTATED: _("backup"),
        backups.BEFORE_RESTORE: _("kept before a restore"),
        backups.DAMAGED: _("damaged database set aside"),
        backups.BEFORE_UPGRADE: _("before a program upgrade"),
    }.get(kind, kind)


def cmd_backup(args: argparse.Namespace) -> int:
    from lev_desktop.continuity import backups

    if args.list:
        path = _sqlite_path(args)
        folders: list[Path | None] = [Path(args.to)] if args.to else []
        if not args.to and path.exists():
            store = open_store(args)
            try:
                folders.append(backups.second_folder(store))
            finally:
                store.dispose()
        for item in backups.list_backups(path, folders):
            print(
                "\t".join(
                    [
                        format_datetime(item.made_at),
                        _kind_label(item.kind),
                        format_number(item.size),
                        str(item.path),
                    ]
                )
            )
        return 0
    _sqlite_path(args)
    store = open_store(args)
    try:
        result = backups.make_backup(store, to=Path(args.to).expanduser() if args.to else None)
    except backups.BackupError as exc:
        raise CliError(exc.message, 1) from exc
    finally:
        store.dispose()
    print(
        _("Backup made: {path} ({size} bytes, {seconds} s)").format(
            path=result.path,
            size=format_number(result.size),
            seconds=f"{result.seconds:.2f}",
        )
    )
    if result.second_path is not None:
        print(_("Copy in the second folder: {path}").format(path=result.second_path))
    for removed in result.removed:
        print(_("Old backup removed by the rotation: {name}").format(name=removed.name))
    for warning in result.warnings:
        print(f"lev: {warning}", file=sys.stderr)
    return 3 if result.warnings else 0


def describe_backup(info: BackupInfo) -> list[str]:
    from lev_desktop.continuity.restore import describe_counts
    from lev_desktop.domain.offices import Level

    lines = [
        _("Backup: {path}").format(path=info.path),
        _("Made on: {when}").format(when=format_datetime(info.made_at)),
    ]
    if info.office_code:
        level = Level(info.level).label if info.level else ""
        lines.append(
            _("Office: {name} ({code}) {level}")
            .format(name=info.office_name, code=info.office_code, level=level)
            .rstrip()
        )
    if info.counts:
        lines.append(_("Records: {counts}").format(counts=describe_counts(info.counts)))
    if info.ok:
        lines.append(_("SQLite integrity check: no problems found"))
    else:
        lines.append(_("SQLite integrity check: {problem}").format(problem=info.problems[0]))
    return lines


def cmd_restore(args: argparse.Namespace) -> int:
    from lev_desktop.continuity.restore import RestoreError, inspect_backup, refusal
    from lev_desktop.dblock import DatabaseLock

    db_path = _sqlite_path(args)
    backup = Path(args.file).expanduser()
    try:
        info = inspect_backup(backup)
    except RestoreError as exc:
        raise CliError(exc.message, 2) from exc
    for line in describe_backup(info):
        print(line)
    reason = refusal(info)
    if reason:
        raise CliError(reason, 2)
    lock = DatabaseLock.for_url(f"sqlite:///{db_path}", owner="lev restore")
    if not lock.acquire():
        raise CliError(
            _(
                "LEV Desktop is open with this database. Close it first, then restore (or "
                "restore from the Settings of the open program)."
            ),
            2,
        )
    try:
        return _restore_holding_the_lock(args, db_path, backup, info)
    finally:
        lock.release()


def _restore_holding_the_lock(
    args: argparse.Namespace, db_path: Path, backup: Path, info: BackupInfo
) -> int:
    from lev_desktop.continuity.restore import RestoreError, inspect_backup, restore_backup

    current = None
    if db_path.exists():
        try:
            current = inspect_backup(db_path, full=False)
        except RestoreError:
            current = None
    if current is not None and current.office_code and current.office_code != info.office_code:
        print(
            _(
                "Warning: the database now belongs to office {current}; the backup is of office "
                "{other}."
            ).format(current=current.office_code, other=info.office_code or "-")
        )
    print(_("The current database is kept as a backup before it is replaced."))
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(
                _("Not restored: confirm on a terminal, or add --yes in a script."),
                2,
            )
        answer = input(_("Restore this backup in place of the database? (yes/no) "))
        if answer.strip().lower() not in ("y", "yes", "ใช่", "ช"):
            print(_("Not restored; nothing was changed."))
            return 1
    try:
        result = restore_backup(db_path, backup, force_lock=True)
    except RestoreError as exc:
        raise CliError(exc.message, 2) from exc
    from db.store import Store
    from lev_desktop.continuity.keysafe import key_state

    store = Store(db_path)  # an older backup is brought up to this version's schema now
    try:
        state = key_state(store)
    finally:
        store.dispose()
    print(
        _("Restored. The database is now the backup of {when}").format(
            when=format_datetime(info.made_at)
        )
    )
    if result.kept is not None:
        print(_("The database as it was is kept in {path}").format(path=result.kept))
    if state is not None and state.restorable:
        print(
            _(
                "The backup carries the office's key (encrypted). Put it back with "
                "“lev key-import” and its password, so that packages keep the same signature."
            )
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from db.store import check_sqlite_file

    path = _sqlite_path(args)
    if not path.exists():
        raise CliError(_("File not found: {name}").format(name=path), 2)
    problems = check_sqlite_file(path, quick=False)
    if not problems:
        print(_("SQLite integrity check: no problems found"))
        return 0
    for problem in problems:
        print(problem)
    from lev_desktop.errors import damaged_message

    raise CliError(damaged_message(), 1)


def _password(args: argparse.Namespace, *, twice: bool) -> tuple[str, str | None]:
    if args.password_file:
        try:
            text = Path(args.password_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(_("File not found: {name}").format(name=args.password_file), 2) from exc
        return text.rstrip("\r\n"), None
    if not sys.stdin.isatty():
        raise CliError(_("Give the password on a terminal, or with --password-file."), 2)
    import getpass

    first = getpass.getpass(_("Password: "))
    second = getpass.getpass(_("The same password again: ")) if twice else None
    return first, second


def cmd_key_export(args: argparse.Namespace) -> int:
    from lev_desktop.continuity import keysafe
    from lev_desktop.exchange.keys import KeyFileError, format_fingerprint

    store = open_store(args)
    password, repeated = _password(args, twice=True)
    try:
        path, fingerprint = keysafe.export_key(store, Path(args.file), password, repeated)
    except KeyFileError as exc:
        raise CliError(str(exc), 2) from exc
    print(_("Key file written: {path}").format(path=path))
    print(_("Key fingerprint of this office:"))
    print(format_fingerprint(fingerprint))
    print(
        _(
            "Keep the file and the password apart (the password not on the same USB drive). "
            "Backups now carry the key, encrypted with the same password."
        )
    )
    return 0


def cmd_key_import(args: argparse.Namespace) -> int:
    from lev_desktop.continuity import keysafe
    from lev_desktop.exchange.keys import KeyFileError, format_fingerprint

    store = open_store(args)
    password, _unused = _password(args, twice=False)
    try:
        if args.file:
            fingerprint = keysafe.import_key_file(store, Path(args.file), password)
        else:
            fingerprint = keysafe.restore_key_from_database(store, password)
    except KeyFileError as exc:
        raise CliError(str(exc), 2) from exc
    print(_("The office's key is back; packages are signed with it again."))
    print(_("Key fingerprint of this office:"))
    print(format_fingerprint(fingerprint))
    return 0


# ---- recovery after a lost computer ----------------------------------------------------------


def register_recovery(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    package = sub.add_parser(
        "recovery-package",
        help=_("write the recovery package of an office below this one (it lost its computer)"),
    )
    package.add_argument("--office", required=True, help=_("code of the office"))
    package.add_argument("--out", required=True, help=_("file to write (.levrecovery)"))
    package.set_defaults(handler=cmd_recovery_package, writes=True)

    recover = sub.add_parser(
        "recover",
        help=_("take an office's data back from its recovery package (a reinstalled computer)"),
    )
    recover.add_argument("file", help=_("recovery package (.levrecovery)"))
    recover.add_argument(
        "--yes",
        action="store_true",
        help=_("the fingerprint of the office that wrote it was compared: do not ask"),
    )
    recover.add_argument("--officer", default="", help=_("officer name for the audit log"))
    recover.set_defaults(handler=cmd_recover, writes=True)

    reinstalled = sub.add_parser(
        "reinstalled",
        help=_(
            "an office reinstalled: trust the new key its package is signed with, after "
            "comparing the fingerprint"
        ),
    )
    reinstalled.add_argument("files", nargs="+", help=_("package files (.levpkg)"))
    reinstalled.add_argument(
        "--yes", action="store_true", help=_("the new fingerprint was compared: do not ask")
    )
    reinstalled.add_argument("--how", default="", help=_("how it was compared (for the record)"))
    reinstalled.add_argument(
        "--letter", help=_("write the letter for the office above here (.pdf)")
    )
    reinstalled.set_defaults(handler=cmd_reinstalled, writes=True)


def _confirmed(args: argparse.Namespace, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise CliError(_("Not confirmed: answer on a terminal, or add --yes in a script."), 2)
    return input(question).strip().lower() in ("y", "yes", "ใช่", "ช")


def cmd_recovery_package(args: argparse.Namespace) -> int:
    from lev_desktop.exchange.exporter import ExportError
    from lev_desktop.exchange.recovery import RecoveryError, export_recovery

    store = open_store(args)
    try:
        result = export_recovery(store, args.office, Path(args.out))
    except (RecoveryError, ExportError) as exc:
        raise CliError(str(exc), 2) from exc
    print(
        _(
            "Recovery package written: {path}. It holds {packages} packages of the office (the "
            "last one number {sequence}) and {records} records."
        ).format(
            path=result.path,
            packages=result.packages,
            sequence=result.last_sequence,
            records=format_number(sum(result.counts.values())),
        )
    )
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from lev_desktop.continuity.restore import describe_counts
    from lev_desktop.exchange.keys import format_fingerprint
    from lev_desktop.exchange.recovery import RecoveryError, apply_recovery, read_recovery

    store = open_store(args)
    try:
        recovery = read_recovery(Path(args.file))
    except RecoveryError as exc:
        raise CliError(str(exc), 2) from exc
    issuer = recovery.issuer
    print(
        _(
            "Recovery package of {office} ({code}) from {issuer} ({issuer_code}). Its "
            "signature and the signatures of the office's {packages} packages are valid."
        ).format(
            office=recovery.office.get("name", ""),
            code=recovery.office_code,
            issuer=issuer.get("name", ""),
            issuer_code=issuer.get("code", ""),
            packages=len(recovery.packages),
        )
    )
    print(_("Records: {counts}").format(counts=describe_counts(recovery.counts)))
    print(
        _(
            "Key fingerprint of {issuer}: compare it with them by telephone before recovering."
        ).format(issuer=issuer.get("code", ""))
    )
    print(format_fingerprint(recovery.issuer_fingerprint))
    if not _confirmed(args, _("Is the fingerprint the same? Recover the data? (yes/no) ")):
        print(_("Not recovered; nothing was changed."))
        return 1
    try:
        applied = apply_recovery(store, recovery, officer=args.officer)
    except RecoveryError as exc:
        raise CliError(str(exc), 2) from exc
    print(
        _(
            "This database is now office {code}'s, with {records} records of its history; its "
            "next package has sequence number {sequence} or more."
        ).format(
            code=applied.office,
            records=format_number(sum(applied.written.values())),
            sequence=applied.sequence + 1,
        )
    )
    return 0


def cmd_reinstalled(args: argparse.Namespace) -> int:
    from lev_desktop.exchange.errors import Refusal
    from lev_desktop.exchange.importer import preview
    from lev_desktop.exchange.keys import format_fingerprint
    from lev_desktop.exchange.reinstall import confirm_new_key, forwarded_to, key_changes

    store = open_store(args)
    try:
        plan = preview(store, args.files)
    except Refusal as exc:
        raise CliError(exc.message, 2) from exc
    changes = key_changes(store, plan)
    if not changes:
        raise CliError(
            _("No package here is signed with a new key of an office this office trusts."), 2
        )
    for change in changes:
        print(_("{name} ({code}) has a new key").format(name=change.name, code=change.office))
        print(_("Old fingerprint"))
        print(format_fingerprint(change.old_fingerprint))
        print(_("New fingerprint"))
        print(format_fingerprint(change.new_fingerprint))
        if not _confirmed(
            args, _("Is the new fingerprint the same as the office's? Trust it? (yes/no) ")
        ):
            print(_("Not trusted; nothing was changed."))
            return 1
        how = args.how or (
            _("from the district's letter") if change.relayed_by else _("by telephone")
        )
        confirm_new_key(store, change, how=how)
        print(
            _("The new key of {code} is trusted; import its package again.").format(
                code=change.office
            )
        )
        above = forwarded_to(store, change.office)
        if above:
            print(
                _(
                    "{offices} received this office's packages through you and still trusts the "
                    "old key: send it the letter (--letter FILE.pdf)."
                ).format(offices=", ".join(above))
            )
            if args.letter:
                from exports.reports.key_letter import write_key_letter

                path = write_key_letter(store, change, above[0], how, Path(args.letter))
                print(_("Letter written: {path}").format(path=path))
    return 0
