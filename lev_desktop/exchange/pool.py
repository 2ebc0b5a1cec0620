"""Reading the payloads of many packages in worker processes while the preview compares.

The first half of a preview (``payloads.read_payload``: each payload file inflated, checked
against its signed manifest's SHA-256, decoded against the boundary schema and the programme
rules) needs nothing of the receiving database but the programmes it held when the preview
began. On a workstation with more cores it runs here, in a pool of processes, a few packages
ahead of the comparison, which stays in the importing process and keeps its order.

What this changes is only where the work runs, never what is decided:

- every result is handed to the comparison in the order of the preview, whatever order the
  workers finish in; a payload the comparison never asks for (a part already imported, a
  package refused before its records) is ignored, as it would not have been read;
- a refusal found in a worker is the same ``Refusal`` (code and Thai reason); an unexpected
  error is reported by its type, as ``importer._unexpected`` words it in-process;
- a worker that dies (killed, crashed, out of memory) loses nothing: the packages it had are
  read again in a fresh pool one at a time, and a package that stops a worker by itself is
  refused with a Thai reason (``WorkerCrashed``), never a traceback;
- one core (or a small import): no pool at all, everything in-process as before.

Workers are started with ``spawn`` on every platform (Windows has nothing else; a fork of the
window's process would copy its threads' locks). A frozen build calls
``multiprocessing.freeze_support()`` first thing in its entry points.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from lev_desktop.exchange import format as fmt
from lev_desktop.exchange.errors import Refusal
from lev_desktop.exchange.payloads import IndicatorRules, Payload, read_payload
from lev_desktop.exchange.records import codecs

# At most this many worker processes (a district workstation: 4–8 cores), and never more than
# the cores less one (the comparison runs in the importing process meanwhile).
MAX_WORKERS = 8
# Parts (signed packages) per worker: fewer than this in an import, read in-process. Starting
# a worker (spawn, then loading SQLAlchemy and the schema) took 1.8 s on the 2-core test
# machine under load, what reading ~400 LAO packages takes (4 ms each).
MIN_PARTS = 400
# Parts of one package file read per task (an upward package of 200 LAOs: 8 tasks).
PARTS_PER_TASK = 25
# Tasks in flight per worker: enough to keep a worker busy, few enough that results waiting
# for the comparison stay small (one LAO package: ~60 KB of rows).
AHEAD = 4
# A task no worker has begun when the comparison needs it is read by the importing process
# instead of waiting (2 cores, 2,000 LAOs: the one worker was behind, and the importing
# process waited 1.7 of 7.3 s). Tests of the workers themselves turn it off.
STEAL = True
# Tests: a worker dies reading a file whose path contains this (or, set to "start", at once).
CRASH_HOOK = "LEV_EXCHANGE_TEST_WORKER_CRASH"


def worker_count(parts: int, cores: int | None = None) -> int:
    """Workers for an import of ``parts`` signed packages; 0 = read in-process."""
    cores = os.cpu_count() if cores is None else cores
    if not cores or cores < 2:
        return 0
    return max(0, min(cores - 1, MAX_WORKERS, parts // MIN_PARTS))


@dataclass(frozen=True)
class PartTask:
    """What a worker reads of one signed package: its payload files (those the comparison
    will ask for, in its order) with their size and SHA-256 from the verified manifest, and
    the Excel forms it relays."""

    root: str
    sender: str
    budget: int
    files: tuple[tuple[str, str, int], ...]  # name, sha256, size
    excel: tuple[tuple[str, str, int, str], ...] = ()  # file, sha256, size, office


@dataclass(frozen=True)
class Task:
    path: str
    limits: fmt.Limits
    parts: tuple[PartTask, ...]


@dataclass(frozen=True)
class Refused:
    code: str
    message: str
    office: str

    def exception(self) -> Refusal:
        return Refusal(self.code, self.message, office=self.office)


@dataclass(frozen=True)
class Failed:
    """An unexpected error in a worker, by the name of its type."""

    type_name: str


class WorkerCrashed(Exception):
    """A worker process stopped (killed, crashed, out of memory) while it read this package."""


class PoolUnusable(Exception):
    """Worker processes cannot start here (a frozen build without freeze_support, a policy
    forbidding child processes): the preview reads in-process instead."""


class ReadFailure(Exception):
    """An unexpected error a worker met while reading: ``importer._unexpected`` names it by
    ``type_name``, exactly as the same error in-process."""

    def __init__(self, type_name: str):
        super().__init__(type_name)
        self.type_name = type_name


Result = Payload | None | Refused | Failed


# ---- in the worker -----------------------------------------------------------------------------

_CONTEXT: dict[str, Any] = {}


def _start(dialect: tuple[str, str], latest: dt.datetime, programmes: dict[str, Any]) -> None:
    """Each worker once: the codecs of the receiving database's kind, the preview's time and
    the programmes it knew."""
    dialect_class = make_url(f"{dialect[0]}+{dialect[1]}://").get_dialect()
    if os.environ.get(CRASH_HOOK) == "start":
        os._exit(70)
    _CONTEXT.update(
        codecs=codecs(dialect_class()),
        latest=latest,
        programmes=programmes,
        parsers=IndicatorRules(),
    )


def read_task(task: Task) -> dict[str, Result]:
    """One task: payload key (root + name, or the Excel file) → what reading it gave. Stops at
    the first refusal or failure (the comparison stops there too)."""
    if os.environ.get(CRASH_HOOK) and os.environ[CRASH_HOOK] in task.path:
        os._exit(70)
    out: dict[str, Result] = {}
    reader = fmt._Reader(Path(task.path), task.limits)
    try:
        for spec in task.parts:
            part = fmt.Part(
                manifest={"sender": {"code": spec.sender}},
                manifest_bytes=b"",
                signature=b"",
                files={name: (digest, size) for name, digest, size in spec.files},
                reader=reader,
                root=spec.root,
                budget=spec.budget,
            )
            jobs: list[tuple[str, str, str, Callable[[], bytes]]] = [
                (
                    name,
                    "kpi_values",
                    office,
                    functools.partial(
                        part.load_excel, {"file": name, "sha256": digest, "size": size}
                    ),
                )
                for name, digest, size, office in spec.excel
            ]
            jobs += [
                (
                    spec.root + name,
                    name[len(fmt.PAYLOAD_DIR) : -len(".jsonl")],
                    spec.sender,
                    functools.partial(part.load, name),
                )
                for name, _digest, _size in spec.files
            ]
            for key, table, sender, load in jobs:
                result = _read_one(load, table, sender)
                out[key] = result
                if isinstance(result, (Refused, Failed)):
                    return out
    finally:
        reader.close()
    return out


def _read_one(load: Callable[[], bytes], table: str, sender: str) -> Result:
    try:
        data = load()
        if not data:
            return None
        return read_payload(
            _CONTEXT["codecs"][table],
            data,
            sender=sender,
            latest=_CONTEXT["latest"],
            programmes=_CONTEXT["programmes"],
            parsers=_CONTEXT["parsers"],
            pickled=True,
        )
    except Refusal as refusal:
        return Refused(refusal.code, refusal.message, refusal.office)
    except Exception as exc:  # named to the comparison, which refuses the package
        return Failed(type(exc).__name__)


# ---- in the importing process -----------------------------------------------------------------


class Reads:
    """The pool of one preview and its tasks, handed back package by package in order."""

    def __init__(self, workers: int, init: tuple[tuple[str, str], dt.datetime, dict[str, Any]]):
        self._workers = workers
        self._init = init
        self._tasks: list[tuple[int, Task]] = []
        self._next = 0  # the next task to submit
        self._running: dict[int, Future[dict[str, Result]]] = {}  # task index → future
        self._executor: ProcessPoolExecutor | None = None
        self._by_package: dict[int, list[int]] = {}

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=self._init,
            )
        return self._executor

    def warm(self) -> None:
        """Starts the workers now: they load while the importing process opens the files."""
        for _ in range(self._workers):
            self._pool().submit(_ready)

    def add(self, tasks: list[tuple[int, Task]]) -> None:
        """(package number, Task) in the order the comparison takes the packages."""
        for number, task in tasks:
            self._by_package.setdefault(number, []).append(len(self._tasks))
            self._tasks.append((number, task))
        self._fill()

    def _fill(self) -> None:
        while self._next < len(self._tasks) and len(self._running) < self._workers * AHEAD:
            self._submit()

    def _submit(self) -> None:
        self._running[self._next] = self._pool().submit(read_task, self._tasks[self._next][1])
        self._next += 1

    def results(self, number: int) -> dict[str, Result]:
        """What the workers read of package ``number`` (waits for it); raises WorkerCrashed
        when reading it stops a worker by itself. Called for every package in order.

        A task no worker has begun (the workers are behind, or still starting) is taken back
        (``STEAL``): its payloads are left out of the result, and the comparison reads them
        in-process, as it reads any payload missing here, instead of waiting."""
        out: dict[str, Result] = {}
        for index in self._by_package.pop(number, ()):
            if STEAL and index >= self._next:  # not even handed to the pool yet
                self._next = index + 1
                continue
            while index >= self._next:
                self._submit()
            future = self._running[index]
            if STEAL and not future.done() and future.cancel():
                del self._running[index]
                continue
            out.update(self._result(index))
        self._fill()
        return out

    def _result(self, index: int) -> dict[str, Result]:
        future = self._running.pop(index)
        try:
            return future.result()
        except BrokenProcessPool:
            return self._alone(index)

    def _alone(self, index: int) -> dict[str, Result]:
        """After a worker died: a fresh pool, and this task again by itself, so that only a
        package that stops a worker is refused, whichever task was running beside it. A pool
        whose workers cannot even start is given up (PoolUnusable: read in-process)."""
        self._restart()
        try:
            return self._pool().submit(read_task, self._tasks[index][1]).result()
        except BrokenProcessPool:
            self._restart()
            try:
                self._pool().submit(_ready).result()
            except BrokenProcessPool:
                self.close()
                raise PoolUnusable from None
            raise WorkerCrashed(self._tasks[index][1].path) from None
        finally:
            if self._executor is not None:
                self._fill()

    def _restart(self) -> None:
        lost = sorted(self._running)
        self._running.clear()
        self.close()
        self._next = min([self._next, *lost])  # the lost ones are submitted again, in order

    def close(self) -> None:
        """Stops the workers: after the last package, on cancel, on any error."""
        executor, self._executor = self._executor, None
        self._running.clear()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _ready() -> None:
    """A task that only makes a worker start (and load the codecs)."""


def tasks_of(
    number: int, outer: fmt.Part, embedded: list[fmt.Part], tables: list[str]
) -> list[tuple[int, Task]]:
    """The tasks reading one package file: its relayed packages, the Excel forms its office
    entered, then its own payloads (the comparison's order), PARTS_PER_TASK parts a task.
    ``tables``: the travelling tables in the order the comparison reads them."""
    specs: list[PartTask] = []
    for part in [*embedded, outer]:
        names = [f"{fmt.PAYLOAD_DIR}{table}.jsonl" for table in tables]
        known = set(names)
        listed = part.payload_names
        if any(name not in known for name in listed):
            wanted: list[str] = []  # refused for an unknown table, before anything is read
        else:
            wanted = [name for name in names if name in part.files]
        specs.append(
            PartTask(
                root=part.root,
                sender=part.sender,
                budget=part.budget,
                files=tuple((name, *part.files[name]) for name in wanted),
                excel=tuple(
                    (str(e["file"]), str(e["sha256"]), int(e["size"]), str(e["office"]))
                    for e in (part.excel if part is outer else [])
                ),
            )
        )
    path = str(outer.source) if outer.source is not None else ""
    if not path or outer.reader is None or not any(spec.files or spec.excel for spec in specs):
        return []  # (a package given as bytes: read in-process)
    limits = outer.reader.limits
    return [
        (number, Task(path, limits, tuple(specs[start : start + PARTS_PER_TASK])))
        for start in range(0, len(specs), PARTS_PER_TASK)
    ]
