"""Report test data: the LAO database with demo records plus a project whose texts carry the
Thai words that break naive PDF text (stacked marks, sara am) and a formula-looking text."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

HARD_WORDS = ["ที่", "ผู้", "ญี่ปุ่น", "ปั้น", "น้ำ", "ปุ๋ย"]
PROJECT = "โครงการปั้นปุ๋ยหมักแบบญี่ปุ่นกับผู้สูงอายุริมน้ำ"
LOCATION = "ริมบ่อน้ำสาธารณะที่หมู่ ๓"
FORMULA_TEXT = '=HYPERLINK("http://evil.example","คลิก")'
ACTIVITY = "อบรมการปั้นปุ๋ยหมักแบบญี่ปุ่น"


def norm(text: str) -> str:
    """Without whitespace (pdftotext's layout), code points exactly as typed (no NFKD: ำ must
    come back as U+0E33)."""
    return "".join(text.split())


def pdftotext(path: Path, *pages: int, layout: bool = False) -> str:
    """The text of a PDF; ``layout`` keeps the lines of the page in order (a table's rows)."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else [])]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run(
        [*args, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdffonts) not installed"
)
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="libreoffice-calc-nogui not installed"
)


@pytest.fixture
def report_store(lao_store):
    from sqlalchemy import select

    from db.models import Activity, Monitoring, Plan, PlanItem
    from lev_desktop.services import demo

    demo.fill(lao_store)
    with lao_store.session() as s:
        plan = s.scalar(select(Plan).where(Plan.owner_office == "4801006"))
        item = PlanItem(
            plan_id=plan.id,
            seq=99,
            project=PROJECT,
            objective=FORMULA_TEXT,
            target="ผู้เข้าร่วม ๕๐ คน",
            location=LOCATION,
            budget=Decimal("12500.50"),
            no_budget=False,
            kpi="น้ำหนักปุ๋ยที่ได้ (กิโลกรัม)",
            expected_result="ขยะอินทรีย์ลดลง",
            planned_activities=2,
        )
        s.add(item)
        s.flush()
        s.add(
            Activity(
                plan_item_id=item.id,
                title=ACTIVITY,
                held_on=dt.date(2025, 2, 15),
                place=LOCATION,
                participants=48,
                outputs="ได้ปุ๋ยหมัก ๒๐๐ กิโลกรัม",
                budget_spent=Decimal("7250.25"),
                problems="-",
                remedies="@ทีมงาน",
            )
        )
        mon = s.scalar(select(Monitoring).where(Monitoring.owner_office == "4801006"))
        mon.notice_posted_on = dt.date(2025, 9, 30)
        mon.reported_on = dt.date(2025, 9, 30)
    return lao_store


@pytest.fixture
def province_store(tmp_path):
    """A province office (P48, Nakhon Phanom) with the demo LAOs under it and their FY2568
    records, for the province report (F4)."""
    from db.store import Store
    from lev_desktop.services import demo
    from lev_desktop.services.offices import initialise

    store = Store(tmp_path / "province.db")
    initialise(
        store,
        level="province",
        code="P48",
        name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครพนม",
        province_code="48",
    )
    demo.fill(store)
    yield store
    store.dispose()


def store_for(request, kind: str):
    """The demo district database, or for the province report the province one."""
    return request.getfixturevalue("province_store" if kind == "province" else "demo_store")
