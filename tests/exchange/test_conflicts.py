"""Same revision, different content: a conflict. Both versions are kept, the winner is the same
whichever package arrives first, and the officer can swap them."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package

from .helpers import jsonl, make_district, make_lao, members, read_jsonl, resign, write_members


def conflicting_pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two packages of one LAO whose plan has the same revision and a different note."""
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=9)
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    lao.dispose()
    files = members(first)
    plans = read_jsonl(files["payload/plans.jsonl"])
    plans[0]["note"] = "แก้ไขจากเครื่องที่สอง"

    def bump(manifest):
        manifest["package_uuid"] = str(uuid.uuid4())
        manifest["sequence"] += 1

    other = resign(
        files, "4801006", mutate_manifest=bump, payloads={"payload/plans.jsonl": jsonl(plans)}
    )
    return first, write_members(tmp_path / "second.levpkg", other)


def _plan_note(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT note FROM plans WHERE owner_office='4801006'").fetchone()[0]
    finally:
        conn.close()


def test_conflict_kept_deterministic_and_resolvable(tmp_path: Path):
    first, second = conflicting_pair(tmp_path)
    a = make_district(tmp_path / "a.db")
    importer.import_files(a, [first], trust=True)
    plan, result = importer.import_files(a, [second], trust=True)
    assert result.counts()["conflicts"] == 1, [p.remark for p in plan.rows()]
    conflicts = importer.open_conflicts(a)
    assert len(conflicts) == 1 and conflicts[0].table_name == "plans"
    notes = {conflicts[0].kept["note"], conflicts[0].other["note"]}
    assert notes == {"", "แก้ไขจากเครื่องที่สอง"}
    assert _plan_note(a.path) == conflicts[0].kept["note"]

    # The other order of arrival gives the same winner (in a second district database; the
    # sequence rule only lets the lower sequence in first, so import both at once there).
    b = make_district(tmp_path / "b.db")
    importer.import_files(b, [second, first], trust=True)
    # b imported them in sequence order; the same content wins as in a.
    assert _plan_note(b.path) == _plan_note(a.path)

    importer.resolve_conflict(a, conflicts[0].id, use_other=True)
    assert _plan_note(a.path) == conflicts[0].other["note"]
    assert importer.open_conflicts(a) == []
    a.dispose()
    b.dispose()


def test_winner_does_not_depend_on_arrival(tmp_path: Path):
    """The tie-break itself: swap which version is 'existing' and which 'incoming'."""
    first, second = conflicting_pair(tmp_path)
    winners = []
    for order in ((first, second), (second, first)):
        folder = tmp_path / f"order{len(winners)}"
        folder.mkdir()
        store = make_district(folder / "d.db")
        for index, path in enumerate(order):
            # Give each its place in the sequence by re-signing: the content is what matters.
            files = members(path)

            def seq(manifest, n=index):
                manifest["sequence"] = n + 1
                manifest["package_uuid"] = str(uuid.uuid4())

            write_members(folder / f"{index}.levpkg", resign(files, "4801006", mutate_manifest=seq))
            importer.import_files(store, [folder / f"{index}.levpkg"], trust=True)
        winners.append(_plan_note(store.path))
        store.dispose()
    assert winners[0] == winners[1]
