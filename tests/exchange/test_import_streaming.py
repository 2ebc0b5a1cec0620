"""Issue 14, the import that keeps the checked rows in a spool instead of in memory: the commit
writes exactly what the preview checked, and what happens between preview and commit is judged
as before."""

from __future__ import annotations

import errno

import pytest
from sqlalchemy import select

from db.models_exchange import ReceivedPackage
from lev_desktop.errors import describe_error
from lev_desktop.exchange import importer, spool
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.records import TABLES

from .helpers import make_district, make_lao, snapshot


def test_records_written_by_another_import_meanwhile_are_not_a_refusal(offices, tmp_path):
    """Two full packages of one office carry the same records. The first is previewed, the
    second imported (another window), then the first committed: its records are already here
    at the same revision, so it is imported (nothing to change), as an upsert always did. A
    plain insert of the records the preview found new failed here with the driver's own
    IntegrityError (which has no ``orig``: AttributeError instead of a Thai message)."""
    lao, district = offices
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    second = export_package(lao, "D4801", tmp_path / "second.levpkg").path
    plan = importer.preview(district, [first])
    assert plan.packages[0].status == importer.Status.NEEDS_TRUST  # (first package: new key)
    other = importer.preview(district, [second])
    assert len(importer.commit(district, other, trust=True).imported) == 1
    before = _records(district)
    assert len(before) > 100
    result = importer.commit(district, plan, trust=True)
    assert [p.reason for p in result.refused] == []
    assert len(result.imported) == 1
    assert _records(district) == before


def _records(store) -> list[str]:
    """The rows of the travelling tables (not the history of received packages)."""
    wanted = tuple(f'INSERT INTO "{name}" ' for name in TABLES if name != "offices")
    return [line for line in snapshot(store) if line.startswith(wanted)]


def test_a_spooled_block_changed_before_the_commit_is_refused_not_read(tmp_path):
    """The rows wait in a temporary file between preview and commit: a block changed there is
    refused (keyed digest), never unpickled."""
    rows = [("id-1", "4801006", 1, "ข้อความ")] * 3
    store = spool.RowSpool(memory=0)  # straight to the file
    block = store.put_blob(spool.dump(rows))
    assert store.get(block) == rows
    store._file.seek(block.offset + block.size - 2)
    store._file.write(b"\x00")
    with pytest.raises(spool.SpoolError) as raised:
        store.get(block)
    store.close()
    message = describe_error(raised.value)  # what the window shows: Thai, not a crash dialog
    assert message and any(0x0E00 <= ord(ch) < 0x0E80 for ch in message), message
    disk_full = describe_error(spool.SpoolError(errno.ENOSPC, "No space left on device"))
    assert disk_full == describe_error(OSError(errno.ENOSPC, "No space left on device"))


def test_received_files_are_kept_exactly_when_written_in_batches(tmp_path, monkeypatch):
    """The files as received wait in the spool and their history rows are written a few at a
    time: every package's stored file is the very file that was checked."""
    district = make_district(tmp_path / "district.db")
    paths = []
    for n, code in enumerate(("4801001", "4801002", "4801003"), start=1):
        lao = make_lao(tmp_path / f"{code}.db", code, seed=n)
        paths.append(export_package(lao, "D4801", tmp_path / f"{code}.levpkg").path)
        lao.dispose()
    monkeypatch.setattr(importer, "RECEIVED_BATCH", 2)  # 3 packages: a batch and a rest
    _plan, result = importer.import_files(district, paths, trust=True)
    assert len(result.imported) == 3
    with district.read() as session:
        rows = session.execute(select(ReceivedPackage.file_name, ReceivedPackage.payload)).all()
    stored = dict(rows)
    assert stored == {path.name: path.read_bytes() for path in paths}
    district.dispose()


def test_two_full_packages_of_one_office_in_one_import(offices, tmp_path):
    """The second package's records are compared with the first's, read back from the spool:
    all unchanged, nothing counted twice, the database as after the first alone."""
    lao, district = offices
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    second = export_package(lao, "D4801", tmp_path / "second.levpkg").path
    plan = importer.preview(district, [first, second])
    one, two = (package.parts[0].counts for package in plan.packages)
    assert one["new"] > 100 and one["unchanged"] == 0
    assert two["new"] == two["updated"] == two["conflicts"] == 0
    assert two["unchanged"] == one["new"]
    result = importer.commit(district, plan, trust=True)
    assert len(result.imported) == 2 and result.counts()["new"] == one["new"]


@pytest.mark.parametrize("objects", [0, 10**9], ids=["pickled", "objects"])
def test_rows_kept_as_objects_or_pickled_into_the_file_are_written_alike(
    offices, tmp_path, monkeypatch, objects
):
    """A small import keeps the checked rows as they are; beyond spool.OBJECTS they are pickled
    into the spool's file: the same records either way, as in the package."""
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    monkeypatch.setattr(spool, "OBJECTS", objects)
    plan = importer.preview(district, [path])
    blocks = [chunk.block for part in plan.rows() for chunk in part.chunks]
    assert blocks and all((block.rows is not None) == bool(objects) for block in blocks)
    importer.commit(district, plan, trust=True)
    with lao.engine.connect() as sent, district.engine.connect() as got:
        for name in ("plans", "plan_items", "activities", "kpi_values", "form_submissions"):
            query = TABLES[name].select().order_by("id")
            assert [tuple(r) for r in got.execute(query)] == [
                tuple(r) for r in sent.execute(query)
            ], name


def test_a_newer_revision_previewed_as_new_wins_over_an_older_one_written_meanwhile(
    offices, tmp_path
):
    """The records a preview found new are written with a plain insert that skips ids already
    there (the quicker statement on SQLite). Here an older version of one of them is imported
    between the preview and the commit: the commit must still leave the newer revision, as the
    upsert always did (the skipped rows go through the upsert as well)."""
    from db.models import Activity

    lao, district = offices
    older = export_package(lao, "D4801", tmp_path / "older.levpkg").path
    with lao.session() as session:
        activity = session.scalars(select(Activity).order_by(Activity.id).limit(1)).one()
        changed_id = activity.id
        activity.participants = (activity.participants or 0) + 1000
    newer = export_package(lao, "D4801", tmp_path / "newer.levpkg").path
    plan = importer.preview(district, [newer])
    assert plan.rows()[0].counts["new"] > 100
    other = importer.preview(district, [older])
    assert len(importer.commit(district, other, trust=True).imported) == 1
    result = importer.commit(district, plan, trust=True)
    assert [p.reason for p in result.refused] == []
    assert len(result.imported) == 1
    with district.session() as session:
        kept = session.get(Activity, changed_id)
        with lao.session() as lao_session:
            sent = lao_session.get(Activity, changed_id)
            assert (kept.participants, kept.revision) == (sent.participants, sent.revision)


def test_no_collection_walks_the_rows_a_preview_keeps(offices, tmp_path):
    """The collector is off while a preview builds its rows (``progress.paused_gc``). What it made
    then went to the youngest generation, so the first collection after it walked every row
    kept for the commit (22 k tuples at a province, 10 ms of a preview): it is moved to the
    oldest generation instead, walked only by a full collection (and still collected)."""
    import gc

    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "lao.levpkg").path
    if not gc.isenabled():
        pytest.skip("the collector is off in this process")
    gc.collect()
    youngest = gc.get_stats()[0]["collections"]
    plan = importer.preview(district, [path])
    assert gc.get_stats()[0]["collections"] == youngest
    rows = [row for part in plan.rows() for chunk in part.chunks for row in chunk.select()]
    assert len(rows) > 100
    young = {id(obj) for obj in gc.get_objects(0)}
    assert not any(id(row) in young for row in rows)
    assert gc.isenabled()
    plan.close()


def test_a_preview_on_the_windows_worker_leaves_the_collector_on(offices, tmp_path):
    """The window runs a preview on its worker thread. The importer paused the collector there
    (its own ``_bulk``), though ``progress.paused_gc`` skips the pause off the main thread:
    the window's garbage was then collected on the worker, Qt objects destroyed off their
    thread, and the window crashed (progress.paused_gc's docstring). One pause now, with the
    one rule."""
    import gc
    import threading

    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "lao.levpkg").path
    if not gc.isenabled():
        pytest.skip("the collector is off in this process")
    seen: list[bool] = []
    progress = importer.Progress(lambda done, total, text: seen.append(gc.isenabled()))
    worker = threading.Thread(target=lambda: importer.preview(district, [path], progress=progress))
    worker.start()
    worker.join()
    assert seen and all(seen)


def test_a_spool_left_at_interpreter_exit_closes_quietly(monkeypatch):
    """At interpreter shutdown the module's globals are set to None before a plan left in a
    script is collected: the finaliser named ``contextlib`` and printed "Exception ignored in
    RowSpool.__del__ … 'NoneType' object has no attribute 'suppress'" on every such exit."""
    kept = spool.RowSpool()
    for name in [n for n in vars(spool) if not n.startswith("__")]:
        monkeypatch.setattr(spool, name, None)  # as the interpreter leaves the module
    kept.__del__()  # raised AttributeError before
    assert kept._file is None
