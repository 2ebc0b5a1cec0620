"""Issue 14: the payloads of many packages are read in worker processes (exchange/pool.py)
while the preview compares. Where the work runs must change nothing that is decided: the same
statuses, refusal codes and Thai reasons in the same order, the same records written; a worker
that dies is a Thai refusal of the package it was reading, never a traceback; cancel stops the
workers."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from db.store import Store
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer, pool
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.importer import Status
from lev_desktop.exchange.records import TABLES
from lev_desktop.progress import Cancelled, Progress

from .helpers import make_district, make_lao, make_province, members, resign, write_members

THAI = range(0x0E00, 0x0E80)
LAOS = ["4801001", "4801002", "4801003"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """LAO packages for a district: three good ones and three refused for three reasons found
    while reading payloads (a payload changed after signing, one the schema refuses, one of a
    table this version does not know), plus an upward package of the district for a province."""
    folder = tmp_path_factory.mktemp("pool")
    laos = [make_lao(folder / f"{code}.db", code, seed=int(code[-1]) * 11) for code in LAOS]
    good = [export_package(s, "D4801", folder / f"{s.office_code}.levpkg").path for s in laos]
    second = [export_package(s, "D4801", folder / f"{s.office_code}-2.levpkg").path for s in laos]
    files = members(second[0])
    files["payload/kpi_values.jsonl"] = files["payload/kpi_values.jsonl"].replace(b"1", b"2", 1)
    changed = write_members(folder / "changed.levpkg", files)
    deep = b'{"id":' + b"[" * 5_000 + b"]" * 5_000 + b"}\n"
    invalid = write_members(
        folder / "invalid.levpkg",
        resign(members(second[1]), LAOS[1], payloads={"payload/plans.jsonl": deep}),
    )
    unknown = write_members(
        folder / "unknown.levpkg",
        resign(members(second[2]), LAOS[2], payloads={"payload/secrets.jsonl": b"{}\n"}),
    )
    district = make_district(folder / "district.db")
    importer.import_files(district, good, trust=True)
    upward = export_package(district, "P48", folder / "district-up.levpkg").path
    for store in [*laos, district]:
        store.dispose()
    yield {"good": good, "refused": [changed, invalid, unknown], "upward": upward}


def _outcome(plan, result) -> list:
    """What the officer is shown and what was decided, in order."""
    return [
        (
            p.file_name,
            p.status,
            p.code,
            p.reason,
            [(r.sender, r.status, r.reasons, r.notes, r.counts) for r in p.parts],
        )
        for p in plan.packages
    ] + [sorted(p.file_name for p in result.imported)]


def _records(store) -> dict[str, list]:
    """The travelling tables, row by row (the history rows carry the time of the import)."""
    with store.engine.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(TABLES[name].select().order_by("id"))]
            for name in TABLES
        }


def _twins(make, folder: Path):
    """Two copies of one new receiving database (created twice, their own rows would differ
    in their creation times)."""
    make(folder / "a.db").dispose()
    shutil.copyfile(folder / "a.db", folder / "b.db")
    return Store(folder / "a.db"), Store(folder / "b.db")


def _import(monkeypatch, store, paths, workers: int, *, steal: bool = False, **limits):
    """(Each task goes to a worker unless ``steal``: the importing process then reads the
    tasks no worker has begun when it needs them, as in use.)"""
    monkeypatch.setattr(importer, "WORKERS", workers)
    monkeypatch.setattr(pool, "STEAL", steal)
    for name, value in limits.items():
        monkeypatch.setattr(pool, name, value)
    plan, result = importer.import_files(store, paths, trust=True)
    assert multiprocessing.active_children() == []  # the workers were stopped
    return _outcome(plan, result), _records(store)


def test_workers_decide_exactly_what_the_importing_process_decides(batch, tmp_path, monkeypatch):
    """Good and refused packages in one import, read by two workers two packages a task, and
    in-process: the same statuses, codes, reasons, counts and records."""
    paths = [*batch["good"], *batch["refused"]]
    first, second = _twins(make_district, tmp_path)
    alone, records = _import(monkeypatch, first, paths, 0)
    pooled, pooled_records = _import(monkeypatch, second, paths, 2)
    assert pooled == alone
    assert pooled_records == records
    codes = {entry[0]: entry[2] for entry in alone[:-1]}
    assert codes == {
        **{Path(p).name: "" for p in batch["good"]},
        "changed.levpkg": "hash_mismatch",
        "invalid.levpkg": "validation",
        "unknown.levpkg": "bad_format",
    }
    assert len(records["kpi_values"]) > 100


def test_tasks_taken_back_by_the_importing_process_decide_the_same(batch, tmp_path, monkeypatch):
    """As in use: the importing process reads itself the tasks no worker has begun when it
    needs them (here most of them, the worker still starting), the worker the others; the
    same outcome and records as all in-process."""
    paths = [*batch["good"], *batch["refused"]]
    first, second = _twins(make_district, tmp_path)
    alone, records = _import(monkeypatch, first, paths, 0)
    shared, shared_records = _import(monkeypatch, second, paths, 1, steal=True)
    assert shared == alone
    assert shared_records == records


def test_a_task_no_worker_has_begun_is_left_to_the_importing_process(monkeypatch):
    """``Reads.results``: a task a worker finished gives its payloads; one no worker has begun
    is cancelled and gives nothing (the comparison reads those payloads itself); one never
    handed to the pool is not handed any more. Without STEAL, the importing process waits."""
    from concurrent.futures import Future

    class Pool:
        def __init__(self):
            self.futures: list[Future] = []

        def submit(self, _fn, _task):
            self.futures.append(Future())
            return self.futures[-1]

        def shutdown(self, **_kwargs):
            pass

    def reads_of(ahead: int, steal: bool):
        monkeypatch.setattr(pool, "AHEAD", ahead)
        monkeypatch.setattr(pool, "STEAL", steal)
        fake = Pool()
        reads = pool.Reads(1, (("sqlite", "pysqlite"), None, {}))
        monkeypatch.setattr(reads, "_pool", lambda: fake)
        reads.add([(n, pool.Task(f"p{n}.levpkg", fmt.DEFAULT_LIMITS, ())) for n in range(4)])
        return reads, fake

    reads, fake = reads_of(1, True)
    assert len(fake.futures) == 1
    assert reads.results(0) == {}  # not begun: taken back
    assert fake.futures[0].cancelled()
    fake.futures[1].set_running_or_notify_cancel()  # begun, then finished by the worker
    fake.futures[1].set_result({"payload/plans.jsonl": None})
    assert reads.results(1) == {"payload/plans.jsonl": None}
    assert not fake.futures[1].cancelled()

    reads, fake = reads_of(0, True)  # nothing handed to the pool ahead
    assert [reads.results(n) for n in range(4)] == [{}, {}, {}, {}]
    assert fake.futures == []

    reads, fake = reads_of(1, False)
    fake.futures[0].set_result({"payload/plans.jsonl": None})
    assert reads.results(0) == {"payload/plans.jsonl": None}
    assert not fake.futures[0].cancelled()


def test_an_upward_package_split_over_workers_imports_the_same(batch, tmp_path, monkeypatch):
    """One file with the district's own part and three relayed LAO packages, read one part a
    task by two workers: the same as in-process."""
    upward = [batch["upward"]]
    first, second = _twins(make_province, tmp_path)
    alone, records = _import(monkeypatch, first, upward, 0)
    pooled, pooled_records = _import(monkeypatch, second, upward, 2, PARTS_PER_TASK=1)
    assert pooled == alone
    assert pooled_records == records
    assert [part[0] for part in alone[0][4]] == ["D4801", *LAOS]


def test_a_worker_that_dies_is_a_thai_refusal_of_its_package_only(batch, tmp_path, monkeypatch):
    """A worker process that stops while reading one package (here: it exits at once, as when
    killed or out of memory) refuses that package in Thai; the others are imported, as they
    are without it."""
    victim = tmp_path / "crashes-here.levpkg"
    shutil.copyfile(batch["good"][1], victim)
    others = [batch["good"][0], batch["good"][2]]
    first, second = _twins(make_district, tmp_path)
    expected, records = _import(monkeypatch, first, others, 0)
    monkeypatch.setenv(pool.CRASH_HOOK, "crashes-here")
    outcome, got = _import(monkeypatch, second, [*others, victim], 1)
    refused = [entry for entry in outcome[:-1] if entry[0] == victim.name]
    assert [(r[1], r[2]) for r in refused] == [(Status.REFUSED, "worker_stopped")]
    assert any(ord(ch) in THAI for ch in refused[0][3])
    assert outcome[-1] == expected[-1]
    assert got == records
    logged = importer.refused_history()[-1]
    assert logged["code"] == "worker_stopped" and logged["file"] == str(victim)


def test_workers_that_cannot_start_leave_the_reading_to_the_importing_process(
    batch, tmp_path, monkeypatch
):
    paths = [*batch["good"], *batch["refused"]]
    first, second = _twins(make_district, tmp_path)
    expected, records = _import(monkeypatch, first, paths, 0)
    monkeypatch.setenv(pool.CRASH_HOOK, "start")
    outcome, got = _import(monkeypatch, second, paths, 1)
    assert outcome == expected
    assert got == records


def test_cancel_stops_the_workers_and_writes_nothing(batch, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "WORKERS", 1)
    store = make_district(tmp_path / "d.db")
    before = _records(store)
    progress = Progress()

    def cancel_when_comparing(done: int, total: int, text: str) -> None:
        if done * 2 >= total:  # (the second half: comparing, while the workers read)
            progress.cancel()

    progress._callback = cancel_when_comparing
    with pytest.raises(Cancelled):
        importer.preview(store, [*batch["good"], *batch["refused"]], progress=progress)
    assert multiprocessing.active_children() == []
    assert _records(store) == before


def test_a_failure_in_a_worker_is_worded_as_the_same_failure_in_process(
    batch, tmp_path, monkeypatch
):
    """An unexpected error while decoding (a bug simulated in the reader): in a worker it
    comes back by name and is refused with the same Thai reason as in-process."""

    def broken(*_args, **_kwargs):
        raise IndexError("simulated")

    monkeypatch.setattr(importer, "read_payload", broken)
    path = [batch["good"][0]]
    expected, _records_alone = _import(monkeypatch, make_district(tmp_path / "a.db"), path, 0)
    assert expected[0][2] == "unreadable_content" and "IndexError" in expected[0][3]

    # The worker's side, run here (a monkeypatch does not reach a spawned process).
    monkeypatch.setattr(pool, "read_payload", broken)

    class InProcess:
        def __init__(self, workers, init):
            pool._start(*init)
            self.tasks = {}

        def add(self, tasks):
            for number, task in tasks:
                self.tasks.setdefault(number, []).append(task)

        def results(self, number):
            out = {}
            for task in self.tasks.pop(number, []):
                out.update(pool.read_task(task))
            assert any(isinstance(r, pool.Failed) for r in out.values())
            return out

        def close(self):
            pass

    monkeypatch.setattr(pool, "Reads", InProcess)
    outcome, _records_pooled = _import(monkeypatch, make_district(tmp_path / "b.db"), path, 1)
    assert outcome == expected


@pytest.mark.parametrize(
    ("parts", "cores", "workers"),
    [(7850, 1, 0), (7850, None, None), (7850, 2, 1), (7850, 16, 8), (200, 8, 0), (800, 8, 2)],
)
def test_worker_count_follows_the_cores_and_the_size(parts, cores, workers):
    """One core or a small import: in-process; otherwise at most the cores less one."""
    if cores is None:  # this machine
        found = pool.worker_count(parts)
        assert 0 <= found <= max(0, (multiprocessing.cpu_count() or 1) - 1)
        return
    assert pool.worker_count(parts, cores) == workers


def test_the_entry_points_start_no_program_in_a_worker():
    """A spawned worker imports the main module of the program as ``__mp_main__``: the
    command line's must not run there (and calls freeze_support for the frozen build)."""
    import runpy

    namespace = runpy.run_module("lev_desktop.cli.__main__", run_name="__mp_main__")
    assert "main" in namespace
    source = Path(importer.__file__).parents[1].joinpath("cli", "__main__.py").read_text()
    assert "multiprocessing.freeze_support()" in source
    app = Path(importer.__file__).parents[2].joinpath("ui", "app.py").read_text()
    assert "multiprocessing.freeze_support()" in app.split('if __name__ == "__main__":')[-1]
