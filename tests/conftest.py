"""Shared fixtures: every test gets its own data folder and database; nothing touches the
user's real files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path_factory.mktemp("levdata")
    monkeypatch.setenv("LEV_DATA_DIR", str(data))
    monkeypatch.delenv("LEV_DB_URL", raising=False)
    yield data


@pytest.fixture(autouse=True)
def _thai():
    from lev_desktop import i18n

    i18n.install("th")
    yield
    i18n.install("th")


@pytest.fixture
def empty_store(tmp_path: Path):
    """A fresh SQLite file with the schema and no office."""
    from db.store import Store

    store = Store(tmp_path / "empty.db")
    yield store
    store.dispose()


@pytest.fixture
def lao_store(tmp_path: Path):
    """An LAO database (อบต.หนองแสง under the demo district), with the built-in programmes."""
    from db.store import Store
    from lev_desktop.services.offices import initialise

    store = Store(tmp_path / "lao.db")
    initialise(
        store,
        level="lao",
        code="4801006",
        name="องค์การบริหารส่วนตำบลหนองแสง",
        lao_type="sao",
        parent="D4801",
        province_code="48",
        district_code="4801",
        officer="นางสาวทดสอบ ใจดี",
    )
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db.store import Store
    from lev_desktop.services import demo

    folder = tmp_path_factory.mktemp("demo-template")
    os.environ["LEV_DATA_DIR"] = str(folder)
    store = Store(folder / "demo.db")
    demo.fill(store)
    store.dispose()
    return folder / "demo.db"


@pytest.fixture
def demo_store(tmp_path: Path, _demo_template: Path):
    """A copy of the demo district database (15 LAOs with FY2568 data)."""
    from db.store import Store

    target = tmp_path / "demo.db"
    shutil.copyfile(_demo_template, target)
    store = Store(target)
    yield store
    store.dispose()


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database for one test (its URL); dropped afterwards.

    CI starts PostgreSQL on loopback and sets LEV_TEST_PG_URL (.ci/run). Without it the test is
    skipped locally, but fails under CI so a missing server can never pass silently."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ.get("LEV_TEST_PG_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("LEV_TEST_PG_URL is not set under CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL (set LEV_TEST_PG_URL)")
    name = f"lev_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
