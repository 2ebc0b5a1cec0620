"""Two `lev` processes started at once on a fresh data folder: the first-run caches (compiled
catalogues, the combined word list) are written without a race (issue 10)."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

WORKERS = 4
ROUNDS = 6


def _worker(folder: str, barrier, errors) -> None:
    from lev_desktop import i18n

    po = i18n.catalog_files("th")[0]
    for round_ in range(ROUNDS):
        os.environ["LEV_DATA_DIR"] = f"{folder}/round{round_}"
        barrier.wait(timeout=60)
        try:
            mo = i18n._compiled(po, "th")
            with mo.open("rb") as handle:
                import gettext

                gettext.GNUTranslations(handle)
        except BaseException as exc:  # the test reports whatever a racing process meets
            errors.put(f"{type(exc).__name__}: {exc}")


def test_catalogue_cache_written_by_many_processes_at_once(tmp_path: Path):
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(WORKERS)
    errors = context.Queue()
    workers = [
        context.Process(target=_worker, args=(str(tmp_path), barrier, errors))
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert not found, found
    assert all(w.exitcode == 0 for w in workers)
    leftovers = list(tmp_path.rglob("*.tmp"))
    assert not leftovers, leftovers
