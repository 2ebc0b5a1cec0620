"""Issue 10, faults and the command line: the database lock shared by the window and `lev`,
two imports of one package at once, a disk that is full, the trust prompt on a terminal,
`--dry-run` exit codes, and sequence numbers that cannot lock an office out."""

from __future__ import annotations

import errno
import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from lev_desktop.dblock import DatabaseLock
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.importer import Status

from .helpers import members, resign, snapshot, write_members

THAI = range(0x0E00, 0x0E80)


def _thai(text: str) -> bool:
    return any(ord(ch) in THAI for ch in text)


def _lev(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lev_desktop.cli", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        **kw,
    )


def test_two_imports_of_one_package_the_loser_says_what_happened(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    first = importer.preview(district, [path])
    second = importer.preview(district, [path])  # both previews before either commits
    assert len(importer.commit(district, first, trust=True).imported) == 1
    before = snapshot(district)
    result = importer.commit(district, second, trust=True)
    assert snapshot(district) == before
    assert not result.imported and not result.refused
    assert result.duplicates[0].code == "imported_meanwhile"
    assert _thai(result.duplicates[0].reason)


def test_cli_honours_the_lock_the_window_holds(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    lock = DatabaseLock(district.path.with_name(district.path.name + ".lock"), "lev-desktop")
    assert lock.acquire()
    try:
        before = snapshot(district)
        out = _lev("--db", str(district.path), "import", str(path), "--trust")
        assert out.returncode == 2 and _thai(out.stderr), out.stderr
        assert str(os.getpid()) in out.stderr  # who holds it
        assert snapshot(district) == before
        dry = _lev("--db", str(district.path), "import", str(path), "--dry-run", "--trust")
        assert dry.returncode == 0, dry.stderr  # reading is allowed
    finally:
        lock.release()
    out = _lev("--db", str(district.path), "import", str(path), "--trust")
    assert out.returncode == 0, out.stderr


def test_window_and_cli_share_one_lock(tmp_path):
    from db.store import resolve_url

    url = resolve_url(tmp_path / "x.db")
    held = DatabaseLock.for_url(url, "lev")
    assert held.acquire()
    assert not DatabaseLock.for_url(url, "lev-desktop").acquire()
    held.release()
    assert DatabaseLock.for_url(url, "lev-desktop").acquire()


def test_disk_full_under_the_database_during_export(offices, tmp_path, monkeypatch, capsys):
    """SQLite reports a write that fails on a full disk as 'disk I/O error': a Thai message,
    the sequence unchanged, no package or partial file left behind."""
    lao, _district = offices
    from sqlalchemy import exc as sa_exc

    from db.store import Store
    from lev_desktop import cli

    real_session = Store.session

    def failing(self, **kw):
        if kw:
            return real_session(self, **kw)
        raise sa_exc.OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error"))

    out = tmp_path / "out"
    out.mkdir()
    lao.dispose()
    monkeypatch.setattr(Store, "session", failing)
    code = cli.main(["--db", str(lao.path), "export", "--to", "D4801", "--out", str(out / "p")])
    err = capsys.readouterr().err
    assert code != 0 and _thai(err) and "disk I/O" not in err, err
    assert list(out.iterdir()) == []


def test_disk_full_at_the_export_target(offices, tmp_path, monkeypatch, capsys):
    lao, _district = offices
    from lev_desktop import cli

    out = tmp_path / "usb"
    out.mkdir()
    real_write = fmt.write_package

    def full(target, outer, embedded=()):
        real_write(target, outer, embedded)  # written, then the disk fills on the last block
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(fmt, "write_package", full)
    lao.dispose()
    code = cli.main(["--db", str(lao.path), "export", "--to", "D4801", "--out", str(out / "p")])
    err = capsys.readouterr().err
    assert code != 0 and _thai(err), err
    assert list(out.iterdir()) == []


def test_trust_prompt_on_a_terminal_shows_the_claims_and_fingerprint(offices, tmp_path):
    lao, district = offices
    path = export_package(lao, "D4801", tmp_path / "p.levpkg").path
    from lev_desktop.exchange.keys import format_fingerprint, office_fingerprint

    fingerprint = format_fingerprint(office_fingerprint("4801006")).splitlines()[0]
    before = snapshot(district)
    pid, fd = pty.fork()
    if pid == 0:  # the child: lev import on a terminal
        os.execv(
            sys.executable,
            [
                sys.executable,
                "-m",
                "lev_desktop.cli",
                "--db",
                str(district.path),
                "import",
                str(path),
            ],
        )
    output = b""
    deadline = time.monotonic() + 90
    answered = False
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        if not answered and "(ใช่/ไม่)".encode() in output:
            os.write(fd, "ไม่\n".encode())
            answered = True
    os.waitpid(pid, 0)
    text = output.decode("utf-8", "replace")
    assert answered, text
    assert "อบต.ทดสอบ 4801006" in text and "4801006" in text
    assert "อำเภอ" in text and fingerprint in text
    assert snapshot(district) == before  # not trusted: nothing imported


def _resequenced(lao, tmp_path, sequence: int, name: str) -> Path:
    files = members(export_package(lao, "D4801", tmp_path / f"{name}-src.levpkg").path)
    files = resign(files, "4801006", mutate_manifest=lambda m: m.update(sequence=sequence))
    return write_members(tmp_path / f"{name}.levpkg", files)


def test_a_sequence_far_ahead_is_refused_and_cannot_lock_the_office_out(offices, tmp_path):
    lao, district = offices
    first = export_package(lao, "D4801", tmp_path / "first.levpkg").path
    importer.import_files(district, [first], trust=True)
    before = snapshot(district)
    plan, _result = importer.import_files(
        district, [_resequenced(lao, tmp_path, 2**31, "huge")], trust=True
    )
    assert plan.packages[0].code in ("sequence_jump", "bad_format")
    plan, _result = importer.import_files(
        district, [_resequenced(lao, tmp_path, 9_000_000, "far")], trust=True
    )
    assert plan.packages[0].code == "sequence_jump" and _thai(plan.packages[0].reason)
    assert snapshot(district) == before
    # The real office's next package still goes in.
    _plan, result = importer.import_files(
        district, [export_package(lao, "D4801", tmp_path / "next.levpkg").path], trust=True
    )
    assert len(result.imported) == 1


def test_reinstalled_office_starts_a_new_sequence_once_trusted_again(offices, tmp_path):
    lao, district = offices
    for n in range(3):
        path = export_package(lao, "D4801", tmp_path / f"p{n}.levpkg").path
        importer.import_files(district, [path], trust=True)
    from lev_desktop.exchange import keys

    keys.key_path("4801006").unlink()  # reinstall: a new key, and (below) sequence 1 again
    fresh = _resequenced(lao, tmp_path, 1, "fresh")
    assert importer.import_files(district, [fresh], trust=True)[0].packages[0].code == (
        "key_changed"
    )
    assert importer.forget_key(district, "4801006")
    _plan, result = importer.import_files(district, [fresh], trust=True)
    assert len(result.imported) == 1, _plan.packages[0].reason


def test_documented_recovery_resets_an_office_sequence(offices, tmp_path, clock):
    """Every import here falls in the same second (times are kept to the second): on a quick
    machine the package imported after the reset was not counted, and an older one was then
    accepted (CI, 3 Dec)."""
    lao, district = offices
    importer.import_files(district, [_resequenced(lao, tmp_path, 500, "ahead")], trust=True)
    behind = _resequenced(lao, tmp_path, 3, "behind")  # e.g. the office restored a backup
    assert importer.import_files(district, [behind], trust=True)[0].packages[0].code == "replay"
    out = _lev("--db", str(district.path), "keys", "--reset-sequence", "4801006")
    assert out.returncode == 0 and _thai(out.stdout), out.stderr
    plan, result = importer.import_files(district, [behind], trust=True)
    assert len(result.imported) == 1, plan.packages[0].reason
    older = _resequenced(lao, tmp_path, 2, "older")  # later ones must follow it again
    assert importer.import_files(district, [older], trust=True)[0].packages[0].code == "replay"


def test_dry_run_exits_non_zero_when_something_would_be_refused(offices, tmp_path):
    lao, district = offices
    good = export_package(lao, "D4801", tmp_path / "good.levpkg").path
    cut = tmp_path / "cut.levpkg"
    cut.write_bytes(good.read_bytes()[:200])
    out = _lev("--db", str(district.path), "import", str(good), str(cut), "--dry-run", "--trust")
    assert out.returncode == 2 and _thai(out.stderr), out.stderr
    out = _lev("--db", str(district.path), "import", str(good), "--dry-run", "--trust")
    assert out.returncode == 0, out.stderr
    assert Status.REFUSED  # the statuses the CLI prints
