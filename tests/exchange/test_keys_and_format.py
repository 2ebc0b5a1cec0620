"""Keys (made lazily, private file 0600, fingerprint for a letter) and manifest checks."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import keys
from lev_desktop.exchange.errors import Refusal
from lev_desktop.exchange.exporter import export_package

from .helpers import make_lao, members, resign, write_members


def test_key_is_made_on_first_export_with_private_permissions(tmp_path: Path):
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=1, fill=False)
    assert not keys.has_key("4801006")
    export_package(lao, "D4801", tmp_path / "p.levpkg")
    path = keys.key_path("4801006")
    assert path.exists()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    fp = keys.office_fingerprint("4801006")
    printed = keys.format_fingerprint(fp)
    assert len(printed.splitlines()) == 2 and len(printed.split()) == 16
    # The office record carries the public key; the package too.
    manifest = json.loads(members(tmp_path / "p.levpkg")[fmt.MANIFEST])
    assert manifest["sender_key"]["fingerprint"] == fp
    lao.dispose()


@pytest.mark.parametrize(
    "change",
    [
        {"package_uuid": "../../etc"},
        {"sequence": 0},
        {"sequence": True},
        {"kind": "partial"},
        {"base_package": "not-a-uuid"},
        {"sender": {"code": "x" * 40}},
    ],
)
def test_malformed_manifest_fields_are_refused(tmp_path: Path, change: dict):
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=1, fill=False)
    files = members(export_package(lao, "D4801", tmp_path / "p.levpkg").path)
    files = resign(files, "4801006", mutate_manifest=lambda m: m.update(change))
    with pytest.raises(Refusal) as caught:
        fmt.open_package(write_members(tmp_path / "bad.levpkg", files))
    assert caught.value.code in ("bad_format", "bad_signature")
    lao.dispose()


def test_inbox_lists_packages_not_yet_imported(tmp_path: Path):
    from lev_desktop.exchange import importer
    from lev_desktop.exchange.inbox import inbox_dir, pending_packages

    from .helpers import make_district

    lao = make_lao(tmp_path / "lao.db", "4801006", seed=1)
    district = make_district(tmp_path / "d.db")
    path = export_package(lao, "D4801", inbox_dir() / "from-lao.levpkg").path
    (inbox_dir() / "junk.levpkg").write_bytes(b"not a zip")
    pending = pending_packages(district)
    # the junk is listed as damaged (tests/exchange/test_inbox.py), never as from an office
    assert [(p.from_office, p.importable) for p in pending] == [("4801006", True), ("", False)]
    assert pending[0].path == str(path) and pending[0].sequence == 1
    importer.import_files(district, [path], trust=True)
    assert [p.file_name for p in pending_packages(district)] == ["junk.levpkg"]
    lao.dispose()
    district.dispose()
