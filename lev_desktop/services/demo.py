"""Demo data: a district of Nakhon Phanom with 15 LAOs and realistic FY2568 records.

``lao_records`` makes one LAO's plans, activities, milestones, KPI values and form states as
plain rows; the demo and the benchmarks (``bench/``) both use it, so a benchmark measures the
same shape of data an office sees.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from db.models import (
    Activity,
    FormSubmission,
    KpiValue,
    Monitoring,
    Plan,
    PlanItem,
    Review,
    utcnow,
)
from db.models_deadlines import FormDelivery
from db.store import Store
from lev_desktop import options
from lev_desktop.deadlines.engine import get_since, set_since
from lev_desktop.domain import reviews
from lev_desktop.domain.form_status import FormStatus
from lev_desktop.domain.offices import LaoType, Level
from lev_desktop.domain.templates import P1
from lev_desktop.services import offices as office_service
from lev_desktop.services import programmes

DEMO_PROVINCE = "48"  # นครพนม
DEMO_DISTRICT = "4801"  # เมืองนครพนม
DEMO_DISTRICT_OFFICE = "D4801"
DEMO_FISCAL_YEAR = 2568
DEMO_SINCE = dt.date(2024, 10, 1)  # the demo offices use the app from the start of FY2568

_LAOS = [
    ("ทม.", "เทศบาลเมืองนครพนม", LaoType.TOWN),
    ("ทต.", "เทศบาลตำบลหนองญาติ", LaoType.SUBDISTRICT),
    ("ทต.", "เทศบาลตำบลนาทราย", LaoType.SUBDISTRICT),
    ("ทต.", "เทศบาลตำบลท่าค้อ", LaoType.SUBDISTRICT),
    ("ทต.", "เทศบาลตำบลนาราชควาย", LaoType.SUBDISTRICT),
    ("อบต.", "องค์การบริหารส่วนตำบลหนองแสง", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลกุรุคุ", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลบ้านผึ้ง", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลอาจสามารถ", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลขามเฒ่า", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลบ้านกลาง", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลคำเตย", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลดงขวาง", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลวังตามัว", LaoType.SAO),
    ("อบต.", "องค์การบริหารส่วนตำบลโพธิ์ตาก", LaoType.SAO),
]

_EXTRA_PROJECTS = [
    (
        "โครงการปลูกต้นไม้เฉลิมพระเกียรติ",
        "เพื่อเพิ่มพื้นที่สีเขียวในชุมชน",
        "ปลูกต้นไม้ ๑,๐๐๐ ต้น",
        "ที่สาธารณประโยชน์ริมแม่น้ำโขง",
        "ต้นไม้ที่ปลูกและอัตรารอด",
        "ชุมชนมีพื้นที่สีเขียวเพิ่มขึ้น ร่มรื่นน่าอยู่",
    ),
    (
        "โครงการลดใช้ถุงพลาสติกในตลาดสด",
        "เพื่อลดขยะพลาสติกจากตลาด",
        "ผู้ค้าในตลาดสดเข้าร่วมไม่น้อยกว่าร้อยละ ๖๐",
        "ตลาดสดเทศบาล",
        "ร้อยละของผู้ค้าที่เข้าร่วม",
        "ปริมาณถุงพลาสติกลดลง",
    ),
    (
        "โครงการอบรมแกนนำ อถล. ด้านการจัดการขยะอันตรายชุมชน",
        "เพื่อให้แกนนำรู้วิธีคัดแยกขยะอันตราย",
        "แกนนำ อถล. ๕๐ คน",
        "ห้องประชุมสำนักงาน",
        "จำนวนแกนนำที่ผ่านการอบรม",
        "ขยะอันตรายได้รับการคัดแยกและส่งกำจัดถูกวิธี",
    ),
]

_PLACES = [
    "ศาลาประชาคมหมู่ที่ ๑",
    "วัดศรีเทพประดิษฐาราม",
    "โรงเรียนบ้านหนองญาติ",
    "ริมฝั่งแม่น้ำโขง",
    "ตลาดสดชุมชน",
    "ศูนย์พัฒนาเด็กเล็ก",
    "สวนสาธารณะหนองบัว",
]
_PROBLEMS = [
    "ฝนตกในวันจัดกิจกรรม ผู้เข้าร่วมน้อยกว่าเป้าหมาย",
    "งบประมาณไม่เพียงพอ",
    "ประชาชนบางส่วนยังไม่เข้าใจการคัดแยกขยะ",
    "",
]
_REMEDIES = [
    "เลื่อนกิจกรรมและประชาสัมพันธ์ผ่านเสียงตามสาย",
    "ขอรับการสนับสนุนจากภาคีเครือข่าย",
    "จัดอบรมเพิ่มเติมในหมู่บ้านที่ยังคัดแยกไม่ได้",
    "",
]
_IDENTITIES = [
    ("ผ้าย้อมคราม", "กระเป๋าผ้าครามจากขวดพลาสติกรีไซเคิล", "กลุ่มทอผ้าบ้านหนองญาติ"),
    ("พญานาค ลุ่มน้ำโขง", "โคมไฟพญานาคจากขวดพลาสติก", "กลุ่มอาชีพรักษ์โลกท่าค้อ"),
    ("เรือไฟ ไหลเรือไฟ", "ของที่ระลึกเรือไฟจากกล่องนม", "กลุ่มแม่บ้านนาทราย"),
    ("ผ้าไหมมัดหมี่", "พวงกุญแจเศษผ้าไหม", "กลุ่มสตรีบ้านกลาง"),
]


def _row(owner: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "owner_office": owner,
        "revision": 1,
        "updated_at": utcnow(),
        "updated_by": "ข้อมูลตัวอย่าง",
        "deleted": False,
        **fields,
    }


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A time on ``day`` in Bangkok, stored as UTC like every time the app writes."""
    return dt.datetime(day.year, day.month, day.day, hour) - dt.timedelta(hours=7)


def lao_records(
    lao: str,
    rng: random.Random,
    *,
    fiscal_year: int = DEMO_FISCAL_YEAR,
    name: str = "",
    received_by: str | None = None,
) -> dict[type, list[dict[str, Any]]]:
    """All demo records of one LAO, as rows per model — consistent with each other, as an
    LAO's own work would be: a form is complete only when the one validation passes and the
    LAO finished it, with the day it was finished.

    ``received_by``: the office above that imported the LAO's packages (its district): the
    receipts of the complete reports it carried are recorded for that office.
    """
    p1, p2, p4, p5 = (programmes.builtin_id(c) for c in ("P1", "P2", "P4", "P5"))
    out: dict[type, list[dict[str, Any]]] = {
        m: []
        for m in (
            Plan,
            PlanItem,
            Activity,
            Monitoring,
            KpiValue,
            FormSubmission,
            Review,
            FormDelivery,
        )
    }
    fy_start = dt.date(fiscal_year - 543 - 1, 10, 1)
    # F1: most plans complete, some still drafts, one in a while returned by the district
    status = rng.choices(
        [FormStatus.COMPLETE, FormStatus.DRAFT, FormStatus.RETURNED], weights=[9, 3, 1]
    )[0]
    if status == FormStatus.RETURNED and received_by is None:
        status = FormStatus.COMPLETE
    plan = _row(
        lao,
        programme_id=p1,
        fiscal_year=fiscal_year,
        status=FormStatus.COMPLETE if status == FormStatus.RETURNED else status,
        note="",
    )
    out[Plan].append(plan)
    projects: list[dict[str, Any]] = [dict(r) for r in P1["example_rows"]]
    for extra in rng.sample(_EXTRA_PROJECTS, rng.randint(0, 3)):
        name, objective, target, location, kpi, expected = extra
        projects.append(
            {
                "project": name,
                "objective": objective,
                "target": target,
                "location": location,
                "budget": str(rng.choice([5000, 8000, 12000, 30000])),
                "no_budget": False,
                "kpi": kpi,
                "expected_result": expected,
                "planned_activities": rng.randint(1, 3),
            }
        )
    total_activities = 0
    for seq, project in enumerate(projects, start=1):
        budget = project.get("budget")
        item = _row(
            lao,
            plan_id=plan["id"],
            seq=seq,
            project=project["project"],
            objective=project["objective"],
            target=project["target"],
            location=project["location"],
            budget=Decimal(budget) if budget else None,
            no_budget=bool(project.get("no_budget")),
            kpi=project["kpi"],
            expected_result=project["expected_result"],
            planned_activities=int(project.get("planned_activities") or 1),
        )
        out[PlanItem].append(item)
        held = rng.randint(0, item["planned_activities"])
        for n in range(held):
            day = fy_start + dt.timedelta(days=rng.randint(20, 350))
            spent = Decimal(rng.randint(5, 60) * 100) if item["budget"] else None
            problem_index = rng.randrange(len(_PROBLEMS))
            out[Activity].append(
                _row(
                    lao,
                    plan_item_id=item["id"],
                    title=f"{project['project']} ครั้งที่ {n + 1}",
                    held_on=day,
                    held_until=None,
                    place=rng.choice(_PLACES),
                    participants=rng.randint(25, 250),
                    outputs=f"ดำเนินการแล้ว ผู้เข้าร่วมตามเป้าหมาย {project['kpi']}",
                    budget_spent=spent,
                    problems=_PROBLEMS[problem_index],
                    remedies=_REMEDIES[problem_index],
                    attachments=[],
                )
            )
            total_activities += 1
    selected = fy_start + dt.timedelta(days=rng.randint(10, 40))
    met = selected + dt.timedelta(days=rng.randint(3, 20))
    plan_made = met + dt.timedelta(days=rng.randint(0, 15))
    reported = dt.date(fiscal_year - 543, 9, rng.randint(10, 30)) if rng.random() < 0.7 else None
    out[Monitoring].append(
        _row(
            lao,
            programme_id=p1,
            fiscal_year=fiscal_year,
            committee_selected_on=selected,
            committee_met_on=met,
            plan_made_on=plan_made,
            activities_override=None,
            override_reason="",
            reported_on=reported,
            notice_posted_on=reported,
            note="",
        )
    )
    period = f"FY{fiscal_year}"
    forms: dict[str, tuple[str, dt.date | None]] = {"F1": (status, plan_made)}
    # F2 results and F3 monitoring: complete when the LAO reported its year (F3's date 5)
    finished = FormStatus.COMPLETE if reported else FormStatus.DRAFT
    forms["F2"] = (finished, reported)
    forms["F3"] = (finished, reported)
    for code, (form_state, on) in forms.items():
        complete = form_state == FormStatus.COMPLETE or (
            form_state == FormStatus.RETURNED and code == "F1"
        )
        out[FormSubmission].append(
            _row(
                lao,
                programme_id=p1,
                form_code=code,
                period=period,
                status=FormStatus.COMPLETE if complete else FormStatus.DRAFT,
                completed_at=_at(on) if complete and on else None,
                sent_at=None,
            )
        )
    if status == FormStatus.RETURNED and received_by:
        review = _row(
            received_by,
            target_office=lao,
            target_kind="F1",
            target_id=reviews.plan_forms_target(p1, fiscal_year),
            action=reviews.RETURNED,
            text="โปรดระบุงบประมาณของโครงการให้ครบทุกโครงการ",
        )
        review["updated_at"] = utcnow() + dt.timedelta(seconds=1)
        out[Review].append(review)
    if reported and received_by:
        sent = reported + dt.timedelta(days=rng.randint(0, 4))
        _received(out, received_by, lao, p1, "F3", period, sent, rng)
    # P2 "Clean Province" indicators, plan year 2567.
    households = rng.randint(600, 4500)
    generated = Decimal(rng.randint(20, 150)) / 10
    collected = (generated * Decimal(rng.randint(70, 100)) / 100).quantize(Decimal("0.01"))
    p2_values = {
        "households_total": households,
        "households_sorting": int(households * rng.uniform(0.4, 0.95)),
        "households_organic_bin": int(households * rng.uniform(0.3, 0.9)),
        "waste_generated": generated,
        "waste_recovered": (generated * Decimal(rng.randint(15, 45)) / 100).quantize(
            Decimal("0.01")
        ),
        "waste_banks": rng.randint(0, 6),
        "collection_coverage": Decimal(rng.randint(55, 100)),
        "waste_collected": collected,
        "collection_vehicles": rng.randint(1, 5),
        "hazardous_points": rng.randint(1, 12),
        "waste_disposed_correctly": (collected * Decimal(rng.randint(60, 100)) / 100).quantize(
            Decimal("0.01")
        ),
        "disposal_method": rng.choice(["ฝังกลบถูกหลักสุขาภิบาล", "ส่งศูนย์กำจัดขยะรวม"]),
        "dumps_fixed": rng.randint(0, 2),
        "budget_spent": Decimal(rng.randint(50, 900) * 1000),
    }
    for code, value in p2_values.items():
        out[KpiValue].append(_kpi(lao, p2, code, "FY2567", value))
    p2_done = dt.date(2024, 11, rng.randint(8, 24))
    out[FormSubmission].append(
        _row(
            lao,
            programme_id=p2,
            form_code="KPI",
            period="FY2567",
            status=FormStatus.COMPLETE,
            completed_at=_at(p2_done),
            sent_at=None,
        )
    )
    if received_by:
        _received(out, received_by, lao, p2, "KPI", "FY2567", p2_done, rng)
    # P4 monthly reports, Oct → the last month of the fiscal year.
    for year, month in [(fy_start.year + (m + 9) // 12, (m + 9) % 12 + 1) for m in range(12)]:
        if rng.random() < 0.15:
            continue  # a month not reported
        period = f"{year:04d}-{month:02d}"
        for code, value in {
            "activities_held": rng.randint(1, 6),
            "temples": rng.randint(1, 4),
            "participants": rng.randint(20, 300),
            "budget_spent": Decimal(rng.randint(0, 20) * 500),
            "summary": "วัดและชุมชนร่วมกันทำความสะอาดและคัดแยกขยะในวันพระ",
        }.items():
            out[KpiValue].append(_kpi(lao, p4, code, period, value))
        out[FormSubmission].append(
            _row(
                lao,
                programme_id=p4,
                form_code="M",
                period=period,
                status=FormStatus.COMPLETE,
                completed_at=_at(dt.date(year, month, 1) - dt.timedelta(days=rng.randint(0, 3))),
                sent_at=None,
            )
        )
    # P5 Soft-Power products: one or two.
    for identity, product, group in rng.sample(_IDENTITIES, rng.randint(1, 2)):
        key = str(uuid.uuid4())
        values = {
            "identity": identity,
            "product": product,
            "group": group,
            "participants": rng.randint(8, 60),
            "income": Decimal(rng.randint(20, 400) * 100),
            "training": "จัดแล้ว",
            "publicity": "ดำเนินการแล้ว",
            "photos_url": f"https://drive.example.go.th/{lao}/photos",
            "video_url": f"https://www.youtube.com/watch?v={lao}{rng.randint(100, 999)}",
        }
        for code, value in values.items():
            out[KpiValue].append(_kpi(lao, p5, code, f"FY{fiscal_year}", value, row_key=key))
    p5_done = dt.date(fiscal_year - 543, 9, rng.randint(5, 16))
    # One LAO in five had not finished its product form when its last package left: the
    # district holds a draft and is still waiting for the report.
    p5_sent = received_by is None or rng.random() < 0.8
    out[FormSubmission].append(
        _row(
            lao,
            programme_id=p5,
            form_code="SP",
            period=f"FY{fiscal_year}",
            status=FormStatus.COMPLETE if p5_sent else FormStatus.DRAFT,
            completed_at=_at(p5_done) if p5_sent else None,
            sent_at=None,
        )
    )
    if received_by and p5_sent:
        _received(out, received_by, lao, p5, "SP", f"FY{fiscal_year}", p5_done, rng)
    return out


def _received(
    out: dict[type, list[dict[str, Any]]],
    office: str,
    lao: str,
    programme_id: str,
    form: str,
    period: str,
    sent: dt.date,
    rng: random.Random,
) -> None:
    """The district imported the LAO's package that carried this complete form."""
    received = sent + dt.timedelta(days=rng.randint(0, 3))
    out[FormDelivery].append(
        {
            "direction": "received",
            "owner_office": lao,
            "programme_id": programme_id,
            "form_code": form,
            "period": period,
            "package_uuid": str(uuid.UUID(int=rng.getrandbits(128))),
            "counterpart": lao,
            "sent_at": _at(sent, 15),
            "received_at": _at(received, 9),
            "via": "package",
        }
    )


def _kpi(
    owner: str, programme_id: str, code: str, period: str, value: Any, row_key: str = ""
) -> dict[str, Any]:
    fields: dict[str, Any] = {"value_num": None, "value_text": None, "value_date": None}
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        fields["value_num"] = Decimal(value)
    else:
        fields["value_text"] = str(value)
    return _row(
        owner,
        programme_id=programme_id,
        indicator_code=code,
        period=period,
        row_key=row_key,
        **fields,
    )


def insert_records(session: Any, records: dict[type, list[dict[str, Any]]]) -> int:
    """Bulk-inserts rows made by ``lao_records`` (Core inserts: no per-object ORM cost)."""
    count = 0
    for model in (
        Plan,
        PlanItem,
        Activity,
        Monitoring,
        KpiValue,
        FormSubmission,
        Review,
        FormDelivery,
    ):
        rows = records.get(model) or []
        if rows:
            session.execute(insert(model), rows)
            count += len(rows)
    return count


def fill(
    store: Store, *, seed: int = 2568, progress: Callable[[int, int], None] | None = None
) -> str:
    """Fills the database with demo data; returns a short description of what it did.

    Empty database → becomes the demo district office with its 15 LAOs. A district or
    province office → gets the demo LAOs under it. An LAO office → gets its own records.
    """
    rng = random.Random(seed)
    if not store.office_code:
        office_service.initialise(
            store,
            level=Level.DISTRICT.value,
            code=DEMO_DISTRICT_OFFICE,
            name="สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองนครพนม",
            province_code=DEMO_PROVINCE,
            district_code=DEMO_DISTRICT,
            officer="ข้อมูลตัวอย่าง",
        )
        options.save(store, {"fiscal_year": DEMO_FISCAL_YEAR})
    programmes.seed_builtins(store)
    me = office_service.this_office(store)
    assert me is not None
    if get_since(store, me.code) is None:
        set_since(store, me.code, DEMO_SINCE, source="demo")
    if me.level == Level.LAO:
        with store.session() as session:
            if session.scalar(select(Plan.id).where(Plan.owner_office == me.code)) is None:
                insert_records(session, lao_records(me.code, rng, name=me.name))
        options.save(store, {"fiscal_year": DEMO_FISCAL_YEAR})
        return me.name
    district = me.district_code or DEMO_DISTRICT
    province = me.province_code or DEMO_PROVINCE
    if district[:2] != province:
        district = DEMO_DISTRICT
    total = len(_LAOS)
    for index, (_abbr, name, lao_type) in enumerate(_LAOS, start=1):
        code = f"{district}{index:03d}"
        if office_service.get_office(store, code) is None:
            office_service.add_lao(
                store, code=code, name=name, lao_type=lao_type.value, district_code=district
            )
            set_since(store, code, DEMO_SINCE, source="demo")
        reaches_me = me.level != Level.DISTRICT or lao_type.reports_via_district
        with store.session(importing=True) as session:
            if session.scalar(select(Plan.id).where(Plan.owner_office == code)) is None:
                records = lao_records(
                    code, rng, name=name, received_by=me.code if reaches_me else None
                )
                insert_records(session, records)
        if progress is not None:
            progress(index, total)
    options.save(store, {"fiscal_year": DEMO_FISCAL_YEAR})
    return me.name
