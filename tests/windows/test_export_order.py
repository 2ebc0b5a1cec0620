"""Export records a package (sequence, sent record) only once its file is in place: a rename
refused by Windows (the old package open in another program) must leave no trace, or the
next "changes only" package would name a package nobody has as its base."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Setting
from db.models_exchange import SentPackage
from lev_desktop.errors import describe_error

try:
    from lev_desktop import files
except ImportError:  # the code before this helper existed, where these tests show the defects
    files = None  # type: ignore[assignment]
from lev_desktop.exchange.exporter import SEQUENCE_SETTING, export_package
from tests.exchange.helpers import make_lao
from tests.windows.test_locked_files import HeldBy


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """The retries' waits take no time in tests."""
    if files is not None:
        monkeypatch.setattr(files.time, "sleep", lambda _seconds: None)


@pytest.fixture
def lao(tmp_path):
    store = make_lao(tmp_path / "lao.db", "4801006")
    yield store
    store.dispose()


def sent(store) -> list[SentPackage]:
    with store.read() as session:
        return list(session.scalars(select(SentPackage).order_by(SentPackage.sequence)))


def sequence(store) -> int:
    with store.read() as session:
        row = session.get(Setting, SEQUENCE_SETTING)
        return int(row.value) if row is not None else 0


def test_a_refused_rename_records_nothing(lao, tmp_path, monkeypatch):
    out = tmp_path / "to-district.levpkg"
    out.write_bytes(b"yesterday's package, open in another program")
    monkeypatch.setattr(os, "replace", HeldBy(out, 5))
    with pytest.raises(OSError) as caught:
        export_package(lao, "D4801", out)
    message = describe_error(caught.value)
    assert str(out) in message and "ปิดไฟล์" in message
    assert sent(lao) == [] and sequence(lao) == 0
    assert out.read_bytes() == b"yesterday's package, open in another program"
    assert sorted(p.name for p in tmp_path.iterdir() if ".db" not in p.name) == [out.name]


def test_the_next_delta_builds_on_the_package_that_exists(lao, tmp_path, monkeypatch):
    first = export_package(lao, "D4801", tmp_path / "1.levpkg")
    held = tmp_path / "2.levpkg"
    held.write_bytes(b"open")
    monkeypatch.setattr(os, "replace", HeldBy(held, 32))
    with pytest.raises(OSError):
        export_package(lao, "D4801", held, since_last=True)
    monkeypatch.undo()
    delta = export_package(lao, "D4801", tmp_path / "3.levpkg", since_last=True)
    assert delta.kind == "delta" and delta.base == first.package_uuid
    assert [p.sequence for p in sent(lao)] == [1, 2] and delta.sequence == 2
    assert Path(delta.path).exists()


def test_a_failed_commit_takes_the_placed_file_back(lao, tmp_path, monkeypatch):
    from sqlalchemy.orm import Session

    out = tmp_path / "pkg.levpkg"

    def disk_full(self):
        raise OSError(28, "database or disk is full")

    monkeypatch.setattr(Session, "commit", disk_full)
    with pytest.raises(OSError):
        export_package(lao, "D4801", out)
    monkeypatch.undo()
    assert not out.exists()
    assert sent(lao) == [] and sequence(lao) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~lev-")] == []
