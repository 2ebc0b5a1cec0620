"""Helpers for the exchange tests: offices, packages, tampering, database snapshots."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import select

from db.models import Base
from db.store import Store
from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer, keys
from lev_desktop.services import demo
from lev_desktop.services.offices import initialise

_TEMPLATES: dict[tuple, Path] = {}
_TEMPLATE_DIR = Path(tempfile.mkdtemp(prefix="lev-exchange-tests-"))


def make_lao(
    path: Path,
    code: str,
    *,
    district: str = "4801",
    seed: int = 1,
    parent: str = "D4801",
    fill: bool = True,
) -> Store:
    """An LAO database with demo records; built once per set of arguments, then copied (the
    key pair is not in the database: each test's data folder makes its own)."""
    key = (code, district, seed, parent, fill)
    template = _TEMPLATES.get(key)
    if template is None:
        template = _TEMPLATE_DIR / f"{'-'.join(map(str, key))}.db"
        store = Store(template)
        initialise(
            store,
            level="lao",
            code=code,
            name=f"อบต.ทดสอบ {code}",
            lao_type="sao",
            parent=parent,
            province_code=district[:2],
            district_code=district,
            officer="เจ้าหน้าที่ อปท.",
        )
        if fill:
            demo.fill(store, seed=seed)
        store.dispose()
        _TEMPLATES[key] = template
    shutil.copyfile(template, path)
    return Store(path)


def make_district(path: Path, code: str = "D4801", district: str = "4801") -> Store:
    store = Store(path)
    initialise(
        store,
        level="district",
        code=code,
        name="สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอ",
        province_code=district[:2],
        district_code=district,
        officer="เจ้าหน้าที่อำเภอ",
    )
    return store


def make_province(path: Path, code: str = "P48", province: str = "48") -> Store:
    store = Store(path)
    initialise(
        store,
        level="province",
        code=code,
        name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด",
        province_code=province,
        officer="เจ้าหน้าที่จังหวัด",
    )
    return store


def snapshot(store: Store) -> list[str]:
    """Every row of every table, sorted: equal snapshots = the database did not change. A
    SQLite file is dumped whole; a server database (PostgreSQL, no file) is read table by table
    through the schema, with its Alembic revision."""
    if store.path is not None:
        conn = sqlite3.connect(store.path)
        try:
            return sorted(conn.iterdump())
        finally:
            conn.close()
    out: list[str] = []
    with store.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            out.extend(f"{table.name}: {tuple(row)!r}" for row in connection.execute(select(table)))
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    out.append(f"alembic_version: {version}")
    return sorted(out)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_members(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def resign(
    files: dict[str, bytes],
    office: str,
    *,
    mutate_manifest=None,
    payloads: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """Re-signs a package's manifest with the office's real key (a 'legitimate' sender that
    made bad content), after changing payloads and the manifest."""
    files = dict(files)
    manifest = json.loads(files[fmt.MANIFEST])
    for name, data in (payloads or {}).items():
        files[name] = data
        manifest["files"][name] = {"sha256": fmt.sha256(data), "size": len(data)}
    if mutate_manifest:
        mutate_manifest(manifest)
    key = keys.load_or_create(office)
    data = fmt.canonical_json(manifest)
    files[fmt.MANIFEST] = data
    files[fmt.SIGNATURE] = keys.sign(key, data)
    return files


def jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def read_jsonl(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line]


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


THAI = range(0x0E00, 0x0E80)


def assert_refused(
    district: Store, path: Path, code: str | None = None, *, trust: bool = True
) -> str:
    """Imports ``path`` and checks the refusal as the officer meets it: the package refused
    (with ``code`` when given) for a reason in Thai, that reason in the refusal log, and the
    database exactly as it was (SQLite or server). Returns the reason."""
    before = snapshot(district)
    plan, result = importer.import_files(district, [path], trust=trust)
    assert snapshot(district) == before
    assert not result.imported
    package = plan.packages[0]
    assert package.status == importer.Status.REFUSED, package.reason
    if code:
        assert package.code == code, (package.code, package.reason)
    assert any(ord(ch) in THAI for ch in package.reason), package.reason
    logged = importer.refused_history()[-1]
    assert logged["file"] == str(path) and logged["reason"] == package.reason
    return package.reason
