"""Property test (issue 10): whatever is done to a valid package or Excel form — bytes, zip
structure, JSON values, nesting, encodings, cells — importing it either imports correctly or
refuses it with a Thai reason and the database unchanged; it never raises.

Bounded for CI: LEV_FUZZ_EXAMPLES examples per test (default 25, a few tens of seconds on a
quiet machine); set it higher to search longer."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lev_desktop.exchange import format as fmt
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.exchange.importer import Status

from .helpers import make_district, make_lao, resign, snapshot, zip_bytes

EXAMPLES = int(os.environ.get("LEV_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
THAI = range(0x0E00, 0x0E80)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One LAO package, one filled Excel form and one empty district database, made once; each
    example imports into a fresh copy of the database (and with the LAO's key, so that mutated
    content can be signed again and reach the checks behind the signature)."""
    folder = tmp_path_factory.mktemp("fuzz")
    os.environ["LEV_DATA_DIR"] = str(folder / "data")
    lao = make_lao(folder / "lao.db", "4801006", seed=6)
    package = export_package(lao, "D4801", folder / "p.levpkg").path.read_bytes()
    lao.dispose()
    district = make_district(folder / "district.db")
    from lev_desktop.exchange.excel import write_template
    from lev_desktop.services.offices import add_lao

    add_lao(district, code="4801012", name="อบต.คำเตย", lao_type="sao", district_code="4801")
    form = write_template(district, "4801012", "P2", folder / "form.xlsx", period="FY2567")
    district.dispose()
    return {
        "folder": folder,
        "package": package,
        "form": form.read_bytes(),
        "db": folder / "district.db",
    }


def _import(world, tmp_path: Path, data: bytes, suffix: str) -> None:
    from db.store import Store

    os.environ["LEV_DATA_DIR"] = str(world["folder"] / "data")
    db = tmp_path / f"d{os.urandom(4).hex()}.db"
    shutil.copyfile(world["db"], db)
    store = Store(db, upgrade=False)  # a copy of a database made (and upgraded) once
    try:
        path = tmp_path / f"x{os.urandom(4).hex()}{suffix}"
        path.write_bytes(data)
        before = snapshot(store)
        plan, result = importer.import_files(store, [path], trust=True)
        package = plan.packages[0]
        if result.imported:
            conn = sqlite3.connect(db)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            finally:
                conn.close()
            _stored_rows_fit_the_schema(store)
        else:
            assert package.status in (Status.REFUSED, Status.DUPLICATE), package.status
            assert any(ord(ch) in THAI for ch in package.reason), package.reason
            assert snapshot(store) == before
    finally:
        store.dispose()


def _stored_rows_fit_the_schema(store) -> None:
    """A correct import: every travelling row read back passes the boundary schema."""
    from sqlalchemy import select

    from lev_desktop.domain.validation import check_record
    from lev_desktop.exchange.records import TABLES, row_to_json

    with store.engine.connect() as conn:
        for name, table in TABLES.items():
            for row in conn.execute(select(table).where(table.c.owner_office != "builtin")):
                record = row_to_json(dict(row._mapping))
                problems = check_record(name, record)
                assert not problems, (name, record, problems)


# ---- mutations -------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(
        [
            "1e308",
            "2568-05-15",
            "9999-12-31T00:00:00",
            "../x",
            "\\\\h\\s\\x.exe",
            "๔๘๐๑๐๐๖",
            "4801\u200b006",
            "x" * 30_000,
            "",
            "FY-1",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


@st.composite
def mutated_packages(draw, package: bytes) -> bytes:
    kind = draw(st.sampled_from(["bytes", "zip", "value", "manifest", "nesting", "encoding"]))
    if kind == "bytes":
        data = bytearray(package)
        for _ in range(draw(st.integers(1, 4))):
            op = draw(st.sampled_from(["flip", "cut", "insert"]))
            at = draw(st.integers(0, len(data) - 1))
            if op == "flip":
                data[at] ^= 1 << draw(st.integers(0, 7))
            elif op == "cut":
                del data[at:]
                if not data:
                    break
            else:
                data[at:at] = draw(st.binary(min_size=1, max_size=8))
        return bytes(data)
    files = _members(package)
    if kind == "zip":
        names = sorted(files)
        op = draw(st.sampled_from(["drop", "add", "rename", "stored"]))
        name = draw(st.sampled_from(names))
        if op == "drop":
            del files[name]
        elif op == "add":
            files[
                draw(
                    st.sampled_from(
                        [
                            "payload/x.jsonl",
                            "../x",
                            "embedded/x/manifest.json",
                            "payload/plans.jsonl ",
                        ]
                    )
                )
            ] = b"{}\n"
        elif op == "rename":
            files[name + draw(st.sampled_from(["/", "x", "\\"]))] = files.pop(name)
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
                for n, d in files.items():
                    archive.writestr(n, d)
            return buffer.getvalue()
        return zip_bytes(files)
    if kind in ("value", "nesting", "encoding"):
        tables = sorted(n for n in files if n.startswith(fmt.PAYLOAD_DIR))
        member = draw(st.sampled_from(tables))
        lines = [json.loads(line) for line in files[member].decode().splitlines() if line]
        if kind == "value" and lines:
            record = lines[draw(st.integers(0, len(lines) - 1))]
            op = draw(st.sampled_from(["set", "delete", "add"]))
            key = draw(st.sampled_from(sorted(record)))
            if op == "set":
                record[key] = draw(JSON_VALUES)
            elif op == "delete":
                del record[key]
            else:
                record[draw(st.text(min_size=1, max_size=8))] = draw(JSON_VALUES)
            text = "".join(json.dumps(r, ensure_ascii=draw(st.booleans())) + "\n" for r in lines)
            payload = text.encode("utf-8")
        elif kind == "nesting":
            depth = draw(st.integers(100, 50_000))
            payload = files[member] + b'{"id":' + b"[" * depth + b"]" * depth + b"}\n"
        else:
            text = files[member].decode("utf-8")
            encoding = draw(st.sampled_from(["utf-16", "utf-8-sig", "cp874", "latin-1"]))
            payload = text.encode(encoding, errors="replace")
        files = resign(files, "4801006", payloads={member: payload})
        return zip_bytes(files)
    # manifest: any field, signed again by the sender
    key = draw(
        st.sampled_from(
            [
                "sequence",
                "recipient",
                "kind",
                "base_package",
                "sender",
                "counts",
                "created_at",
                "files",
                "embedded",
                "filters",
                "format_version",
            ]
        )
    )
    value = draw(JSON_VALUES)
    files = resign(files, "4801006", mutate_manifest=lambda m: m.__setitem__(key, value))
    return zip_bytes(files)


@FUZZ
@given(data=st.data())
def test_mutated_packages_import_correctly_or_are_refused_in_thai(world, tmp_path, data):
    package = data.draw(mutated_packages(world["package"]))
    _import(world, tmp_path, package, ".levpkg")


CELL_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(["=1+1", "=SUM(D6:D9)", "#REF!", "๑๒๓", "1,234.50", "15/02/2568", "ใช่"]),
)


@FUZZ
@given(data=st.data())
def test_mutated_excel_forms_import_correctly_or_are_refused_in_thai(world, tmp_path, data):
    from openpyxl import load_workbook

    kind = data.draw(st.sampled_from(["cell", "meta", "bytes"]))
    if kind == "bytes":
        raw = bytearray(world["form"])
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] ^= 1 << data.draw(st.integers(0, 7))
        _import(world, tmp_path, bytes(raw), ".xlsx")
        return
    book = load_workbook(io.BytesIO(world["form"]))
    if kind == "cell":
        sheet = book["ข้อมูล"]
        for _ in range(data.draw(st.integers(1, 4))):
            row = data.draw(st.integers(6, 20))
            sheet.cell(row=row, column=4, value=data.draw(CELL_VALUES))
    else:
        sheet = book["_lev"]
        row = data.draw(st.integers(1, sheet.max_row + 1))
        column = data.draw(st.integers(1, 3))
        sheet.cell(row=row, column=column, value=data.draw(CELL_VALUES))
    buffer = io.BytesIO()
    book.save(buffer)
    _import(world, tmp_path, buffer.getvalue(), ".xlsx")
