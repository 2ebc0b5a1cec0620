"""Continuity commands: backup, restore, check, key-export, key-import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lev_desktop.cli.base import CliError, open_store
from lev_desktop.i18n import _
from lev_desktop.thai_format import format_datetime, format_number


def register(sub: argparse._SubParsersAction) -> None:
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
    export.set_defaults(handler=cmd_key_export)

    imp = sub.add_parser(
        "key-import",
        help=_(
            "make a key from a key file (or, without a file, the copy the database carries) this "
            "office's key again"
        ),
    )
    imp.add_argument("file", nargs="?", help=_("key file (.levkey)"))
    imp.add_argument("--password-file", help=_("read the password from this file (for scripts)"))
    imp.set_defaults(handler=cmd_key_import)


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


def describe_backup(info) -> list[str]:
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
    from lev_desktop.continuity.restore import (
        RestoreError,
        inspect_backup,
        open_elsewhere,
        refusal,
        restore_backup,
    )

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
    if open_elsewhere(db_path):
        raise CliError(
            _(
                "LEV Desktop is open with this database. Close it first, then restore (or "
                "restore from the Settings of the open program)."
            ),
            2,
        )
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
        result = restore_backup(db_path, backup)
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
