"""A shared province server: the same store, migrations and services on a real PostgreSQL.

CI starts PostgreSQL on loopback and sets LEV_TEST_PG_URL (see .ci/run). Without it the test
is skipped locally, but fails under CI so a missing server can never pass silently.
"""

from __future__ import annotations

import os
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select, text

PG_URL = os.environ.get("LEV_TEST_PG_URL")

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store():
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("LEV_TEST_PG_URL is not set under CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL (set LEV_TEST_PG_URL)")
    from sqlalchemy.engine import make_url

    from db.store import Store

    name = f"lev_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    store = Store(url)
    yield store
    store.dispose()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_full_schema_demo_and_services_on_postgresql(pg_store):
    from db.migrate import current_revision, head_revision
    from db.models import KpiValue, PlanItem
    from lev_desktop.services import demo, offices, programmes

    assert current_revision(pg_store) == head_revision()
    demo.fill(pg_store)
    assert [p.code for p in programmes.list_programmes(pg_store)] == ["P1", "P2", "P3", "P4", "P5"]
    laos = offices.subordinate_laos(pg_store)
    assert len(laos) == 14  # the town municipality reports straight to the province
    with pg_store.read() as s:
        budgets = list(s.scalars(select(PlanItem.budget).where(PlanItem.budget.is_not(None))))
        assert budgets and all(isinstance(b, Decimal) for b in budgets)
        assert s.scalar(select(KpiValue.id).limit(1)) is not None


def test_ownership_guard_on_postgresql(pg_store):
    from db.models import PlanItem
    from db.store import ForeignRecordError
    from lev_desktop.services import demo

    demo.fill(pg_store)
    with pytest.raises(ForeignRecordError), pg_store.session() as s:
        s.scalars(select(PlanItem)).first().project = "x"
