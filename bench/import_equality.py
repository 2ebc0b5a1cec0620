"""What an import decides, written out to compare two versions of the code (issue 14: a faster
import must decide exactly as before).

    python bench/import_equality.py OUT_DIR

Runs the same import scenarios every time, with a fixed clock, fixed ids and fixed keys:

1. the province bench's 200 LAO packages into a province (first import);
2. into the same database: a package imported again (duplicate), a copy whose payload was
   changed after signing (hash mismatch), an office's package signed with another key, one at
   an old sequence (replay), one breaking a rule across fields (refused) and one updating a
   value and changing another at the same revision (an update and a conflict);
3. the province's upward package into the Department, then again (duplicate).

For each it writes ``N-name.plan.json`` (every package and part of the preview: status,
reasons, notes, counts, conflicts, key clashes, the rows of every chunk with what the commit
does with each), ``N-name.result.json`` (what the commit did) and ``N-name.db.json`` (every
table of the database afterwards, rows sorted). Run it with each tree's interpreter into two
folders and compare the files byte for byte (``cmp``). Not part of the test suite.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import sys
import time
import types
import uuid
import zipfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

HERE = Path(__file__).resolve().parent


class _FixedZipTime(types.ModuleType):
    """``time`` for ``zipfile``: every entry written at the same moment."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def time() -> float:
        return 1764583200.0


class _KeyMeta(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, Ed25519PrivateKey)


class _Keys(metaclass=_KeyMeta):
    """``Ed25519PrivateKey`` whose ``generate`` gives the same keys in the same order."""

    rng = random.Random(6)
    made: list[Ed25519PrivateKey] = []  # noqa: RUF012 - the keys generated, in order

    @classmethod
    def generate(cls) -> Ed25519PrivateKey:
        key = Ed25519PrivateKey.from_private_bytes(bytes(cls.rng.getrandbits(8) for _ in range(32)))
        cls.made.append(key)
        return key


def _fix_randomness() -> None:
    ids = random.Random(14)
    uuid.uuid4 = lambda: uuid.UUID(int=ids.getrandbits(128), version=4)  # type: ignore[assignment]
    zipfile.time = _FixedZipTime("time")  # type: ignore[attr-defined]
    import db.models

    db.models.clock = lambda: dt.datetime(2026, 12, 1, 10, 0, 0, tzinfo=dt.UTC)
    import exchange_bench

    from lev_desktop.exchange import keys

    exchange_bench.Ed25519PrivateKey = _Keys  # type: ignore[attr-defined,misc]
    keys.Ed25519PrivateKey = _Keys  # type: ignore[misc]


def _plan(plan: Any) -> dict[str, Any]:
    packages = []
    for package in plan.packages:
        parts = []
        for part in package.parts:
            chunks = [
                [
                    chunk.table,
                    chunk.modes.hex(),
                    chunk.number,
                    repr(chunk.last),
                    [repr(row) for row in chunk.select(bytes(range(4)))],
                ]
                for chunk in part.chunks
            ]
            fields = {
                name: getattr(part, name)
                for name in (
                    "sender",
                    "sender_name",
                    "relayed_by",
                    "sequence",
                    "kind",
                    "fingerprint",
                    "public_key",
                    "signed",
                    "status",
                    "reasons",
                    "notes",
                    "counts",
                    "new_key",
                    "created_at",
                    "package_uuid",
                    "base",
                    "container_uuid",
                )
            }
            for name in ("offices", "conflicts", "office_info", "claims", "clashes"):
                fields[name] = repr(getattr(part, name))
            fields["replacements"] = repr(part.replacements)
            fields["provenance"] = repr(part.provenance)
            parts.append({**fields, "chunks": chunks})
        packages.append(
            {
                "path": Path(package.path).name,
                "status": package.status,
                "reason": package.reason,
                "code": package.code,
                "uuid": package.package_uuid,
                "sender": package.sender,
                "parts": parts,
            }
        )
    return {"me": plan.me, "received_count": plan.received_count, "packages": packages}


def _tables(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    out = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        columns = ", ".join(f'"{row[1]}"' for row in conn.execute(f'PRAGMA table_info("{name}")'))
        rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY {columns}').fetchall()
        out[name] = [repr(row) for row in rows]
    conn.close()
    return out


def _step(out: Path, name: str, db: Path, files: list[Path]) -> None:
    from exchange_bench import _reopen

    from lev_desktop.exchange import importer

    store = _reopen(db)
    plan = importer.preview(store, files)
    written = {"plan": _plan(plan)}
    result = importer.commit(store, plan, trust=True)
    store.dispose()
    written["result"] = {
        "imported": [Path(p.path).name for p in result.imported],
        "refused": [(Path(p.path).name, p.code, p.reason) for p in result.refused],
        "duplicates": [Path(p.path).name for p in result.duplicates],
        "counts": result.counts(),
    }
    written["db"] = _tables(db)
    for kind, value in written.items():
        text = json.dumps(value, ensure_ascii=False, indent=0, sort_keys=True)
        (out / f"{name}.{kind}.json").write_text(text, encoding="utf-8")
    print(name, written["result"]["counts"], flush=True)


def _rebuild(
    source: Path, key: Ed25519PrivateKey, target: Path, sequence: int, change: Any
) -> None:
    """``source``'s records, changed by ``change``, signed again as a new package."""
    from exchange_bench import made_now

    from lev_desktop.exchange import format as fmt

    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read(fmt.MANIFEST))
        payloads = {n: archive.read(n) for n in archive.namelist() if n.startswith(fmt.PAYLOAD_DIR)}
    payloads = change(payloads)
    signed = fmt.build_manifest(
        package_uuid=str(uuid.uuid4()),
        kind="full",
        base=None,
        sender=manifest["sender"],
        key=key,
        recipient=manifest["recipient"],
        sequence=sequence,
        created_at=made_now(),
        payloads=payloads,
        counts=manifest["counts"],
    )
    fmt.write_package(target, fmt.sign_part(signed, payloads, key))


def _values(payloads: dict[str, bytes], edit: Any) -> dict[str, bytes]:
    name = "payload/kpi_values.jsonl"
    lines = [json.loads(line) for line in payloads[name].decode("utf-8").splitlines()]
    edit(lines)
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return {**payloads, name: text.encode("utf-8")}


def _over_the_rule(lines: list[dict[str, Any]]) -> None:
    lines[0]["revision"] += 1
    lines[0]["value_num"] = "7"  # fewer households than sort their waste
    lines[1]["value_num"] = "5"


def _update_and_conflict(lines: list[dict[str, Any]]) -> None:
    temples = [line for line in lines if line["programme_id"].startswith("16915dd8")]
    temples[0]["revision"] += 1
    temples[0]["value_num"] = "3"
    temples[1]["value_num"] = "4"  # same revision, other content: a conflict
    temples[1]["updated_at"] = "2026-11-30T10:00:00"


def main(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    work = out / "work"
    work.mkdir(parents=True)
    os.environ["LEV_DATA_DIR"] = str(work / "data")
    _fix_randomness()
    from exchange_bench import _reopen, _store, generate

    from lev_desktop.exchange.exporter import export_package

    files, _rows = generate(work, 200, "P10")
    keys = list(_Keys.made)
    province = work / "province.db"
    _store(province, "province", "P10", parent="DLA").dispose()
    _step(out, "1-province", province, files)

    odd = work / "odd"
    odd.mkdir()
    shutil.copy(files[0], odd / "replay.levpkg")
    _rebuild(files[2], _Keys.generate(), odd / "wrongkey.levpkg", 2, lambda p: p)
    _rebuild(files[3], keys[3], odd / "update-rule.levpkg", 2, lambda p: _values(p, _over_the_rule))
    _rebuild(files[4], keys[4], odd / "oldseq.levpkg", 1, lambda p: p)
    update = lambda p: _values(p, _update_and_conflict)  # noqa: E731
    _rebuild(files[5], keys[5], odd / "update.levpkg", 2, update)
    _rebuild(files[6], keys[6], work / "signed.levpkg", 2, update)
    with zipfile.ZipFile(work / "signed.levpkg") as archive:
        entries = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    with zipfile.ZipFile(odd / "tampered.levpkg", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "payload/kpi_values.jsonl":  # changed after it was signed
                data = data[:-2] + bytes((data[-2] ^ 1,)) + data[-1:]
            archive.writestr(name, data)
    _step(out, "2-odd", province, sorted(odd.iterdir()))

    store = _reopen(province)
    upward = export_package(store, "DLA", work / "upward.levpkg").path
    store.dispose()
    top = work / "top.db"
    _store(top, "national", "DLA").dispose()
    _step(out, "3-upward", top, [upward])
    _step(out, "4-upward-again", top, [upward])
    shutil.rmtree(work)


if __name__ == "__main__":
    # (the code compared is the one the interpreter's environment installs: run this file with
    # each tree's .venv/bin/python, e.g. a checkout of main's and this one's)
    main(Path(sys.argv[1]))
