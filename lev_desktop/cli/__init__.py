"""``lev``: the command-line tool, on the same core as the GUI.

Each area adds a module here with ``register(subparsers)``; every command gets the store
through ``open_store(args)`` so ``--db`` works everywhere. Errors a person can fix are raised
as ``CliError`` and printed in Thai to stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from lev_desktop import __version__
from lev_desktop.i18n import _, install

# Area modules with commands; each has register(subparsers).
COMMAND_MODULES = ["core", "kpi", "plans", "deadlines", "board", "exchange", "reports"]


class CliError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


_LOCKS: list = []  # held until the process ends


def open_store(args: argparse.Namespace, *, write: bool | None = None):
    """The database of ``--db``. A command that writes (``writes=True`` in its defaults, or
    ``write=True``) first takes the database's lock, the same one the window takes, so that
    LEV Desktop and ``lev`` never write one database at the same time."""
    from db.store import Store, resolve_url
    from lev_desktop.dblock import DatabaseLock

    if write if write is not None else getattr(args, "writes", False):
        lock = DatabaseLock.for_url(resolve_url(args.db), owner="lev")
        if not lock.acquire():
            raise CliError(
                _(
                    "This database is in use by LEV Desktop or another lev command ({holder}). "
                    "Close the program or wait until the command finishes, then try again."
                ).format(holder=lock.holder() or "-"),
                2,
            )
        _LOCKS.append(lock)
    return Store(args.db)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lev", description=_("LEV Desktop command-line tool"))
    parser.add_argument("--version", action="version", version=f"LEV Desktop {__version__}")
    parser.add_argument(
        "--db",
        help=_(
            "database file or SQLAlchemy URL (default: LEV_DB_URL, "
            "or the file in the user's data folder)"
        ),
    )
    parser.add_argument("--lang", help=_("language of messages: th or en"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"lev_desktop.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv:
        index = argv.index("--lang")
        if index + 1 < len(argv):
            install(argv[index + 1])
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(f"lev: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print(_("lev: cancelled"), file=sys.stderr)
        return 130
    except Exception as exc:
        from lev_desktop.errors import describe_error

        known = describe_error(exc)
        if known is None:
            raise
        print(f"lev: {known}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
