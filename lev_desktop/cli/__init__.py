"""``lev``: the command-line tool, on the same core as the GUI.

Each area has a module here with ``register(subparsers)``, listed in ``COMMAND_MODULES``;
every command gets the store through ``open_store(args)`` (``cli/base.py``) so ``--db`` works
everywhere. Errors a person can fix are raised as ``CliError`` and printed in Thai to stderr
with a non-zero exit code. Handlers import what only their command needs (the PDF and Excel
libraries, the exchange) when they run.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any, TextIO

from exports.plain_text import ThaiArgumentParser
from lev_desktop import __version__
from lev_desktop.cli import board, continuity, core, deadlines, exchange, kpi, plans, reports
from lev_desktop.cli.base import CliError, open_store, release_locks
from lev_desktop.errors import describe_error
from lev_desktop.i18n import _, install

# The area modules with commands, in the order of ``lev --help``.
COMMAND_MODULES = (core, kpi, plans, deadlines, board, exchange, reports, continuity)

__all__ = ["COMMAND_MODULES", "CliError", "build_parser", "main", "open_store"]


def build_parser() -> argparse.ArgumentParser:
    parser = ThaiArgumentParser(prog="lev", description=_("LEV Desktop command-line tool"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"LEV Desktop {__version__}",
        help=_("show the version of the program and exit"),
    )
    parser.add_argument(
        "--db",
        help=_(
            "database file or SQLAlchemy URL (default: LEV_DB_URL, "
            "or the file in the user's data folder)"
        ),
    )
    parser.add_argument("--lang", help=_("language of messages: th or en"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


# What a terminal takes as a command, not text: the C0 controls but tab and line feed (a carriage
# return goes back over the line), ESC among them, and DEL.
_COMMANDS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


class _ShownStream:
    """stdout or stderr writing control characters as "U+001B": what ``lev`` prints holds text
    from packages (an office's code in a refusal, a file's name), which must not clear the
    screen or overwrite a key fingerprint on the officer's terminal."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(_COMMANDS.sub(lambda m: f"U+{ord(m.group()):04X}", text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv:
        index = argv.index("--lang")
        if index + 1 < len(argv):
            install(argv[index + 1])
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _ShownStream(sys.stdout), _ShownStream(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a reader that stopped early is found here, not at exit
        return code
    except BrokenPipeError:
        # The reader stopped reading (``lev status | head``): no traceback in English on the
        # officer's screen; what is left to print goes nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # as a shell reports a command ended by SIGPIPE
    except CliError as exc:
        print(f"lev: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print(_("lev: cancelled"), file=sys.stderr)
        return 130
    except Exception as exc:
        known = describe_error(exc)
        if known is None:
            raise
        print(f"lev: {known}", file=sys.stderr)
        return 1
    finally:
        release_locks()  # the command is over (several commands may run in one process)


if __name__ == "__main__":
    sys.exit(main())
