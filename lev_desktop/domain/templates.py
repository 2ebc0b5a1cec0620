"""The five built-in programme templates (P1–P5), as data.

A template describes what a directive letter asks for:

- ``letter``: number, date, subject, addressee, from, references, enclosures, contact, phone;
- ``forms``: the forms an office fills (``kind`` says which editor serves it);
- ``obligations``: who (``level``) must do what by when (``rule``, expanded into dated
  deadlines by ``lev_desktop.deadlines``), which form fulfils it and where it goes
  (``sends_to``: ``route`` = the district for เทศบาลตำบล/อบต., the province for the others;
  or a level; or ``None`` when nothing is sent);
- ``indicators``: the fields of KPI forms with type, unit and validation; ``rules``: checks
  across fields; ``kpi_period``: how KPI entries are keyed in time;
- ``example_rows``: starting rows of an F1 action plan.

Rule types (all dates ISO Gregorian):
``once`` {date} · ``window`` {start, end} · ``monthly`` {day, first, until?} ·
``monthly_following`` {day, first, until?} (by day N of the month after each period) ·
``days_of_month`` {days, first, until?, until_all_reported} · ``fiscal_year`` {month, day,
offset_years?} (a date inside the programme's fiscal year) · ``event`` {date, time} (a meeting).

Texts are Thai because they come from Thai letters; they are data, not interface strings.
"""

from __future__ import annotations

import copy
from typing import Any

# Indicator types understood by lev_desktop.domain.validation.
INDICATOR_TYPES = ("integer", "decimal", "percent", "baht", "date", "url", "choice", "text", "bool")

P1: dict[str, Any] = {
    "code": "P1",
    "kind": "lev_network",
    "fiscal_year": 2568,
    "name": "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
    "short_name": "เครือข่าย อถล. ปีงบประมาณ ๒๕๖๘",
    "name_en": "LEV network committee drive, FY2568",
    "letter": {
        "number": "มท ๐๘๒๐.๒/ว ๕๐๓๗",
        "date": "2024-05-26",
        "subject": "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก ประจำปีงบประมาณ พ.ศ. ๒๕๖๘",
        "addressee": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        "from_org": "กรมส่งเสริมการปกครองท้องถิ่น",
        "forwarded_as": "นพ ๐๐๒๓.๖/ว ๕๘๗ ลงวันที่ ๑๕ พฤษภาคม ๒๕๖๗ (จังหวัดนครพนม)",
        "references": [
            "ระเบียบกระทรวงมหาดไทย ว่าด้วยอาสาสมัครท้องถิ่นรักษ์โลก พ.ศ. ๒๕๖๑",
        ],
        "enclosures": ["แผนปฏิบัติงาน (ตัวอย่าง)", "แบบติดตามการจัดกิจกรรมระดับองค์กรปกครองส่วนท้องถิ่น"],
        "contact": "กองสิ่งแวดล้อมท้องถิ่น กรมส่งเสริมการปกครองท้องถิ่น",
        "phone": "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๑๑๒",
    },
    "forms": [
        {"code": "F1", "kind": "action_plan", "period": "fiscal_year", "name": "แผนปฏิบัติงาน"},
        {
            "code": "F2",
            "kind": "results",
            "period": "fiscal_year",
            "name": "แบบสรุปผลการดำเนินงานตามแผนปฏิบัติงาน",
        },
        {
            "code": "F3",
            "kind": "monitoring",
            "period": "fiscal_year",
            "name": "แบบติดตามการจัดกิจกรรมระดับองค์กรปกครองส่วนท้องถิ่น",
        },
        {
            "code": "F4",
            "kind": "province_report",
            "period": "fiscal_year",
            "name": "แบบรายงานระดับจังหวัด",
        },
    ],
    "obligations": [
        {
            "code": "P1.LAO.PLAN",
            "level": "lao",
            "form": "F1",
            "sends_to": None,
            "title": "ประชุมคณะกรรมการเครือข่าย อถล. เพื่อจัดทำแผนปฏิบัติงาน",
            "rule": {"type": "once", "date": "2024-12-31"},
        },
        {
            "code": "P1.LAO.RUN",
            "level": "lao",
            "form": "F2",
            "sends_to": None,
            "title": "ดำเนินกิจกรรมตามแผนปฏิบัติงานในปีงบประมาณ พ.ศ. ๒๕๖๘",
            "rule": {"type": "window", "start": "2024-10-01", "end": "2025-09-30"},
        },
        {
            "code": "P1.LAO.REPORT",
            "level": "lao",
            "form": "F3",
            "sends_to": "route",
            "title": "สรุปผลการดำเนินงานตามแผน รายงานผู้บริหารท้องถิ่น และปิดประกาศให้ประชาชนทราบ",
            "rule": {"type": "once", "date": "2025-09-30"},
        },
        {
            "code": "P1.PAO.NETWORK",
            "level": "lao",
            "lao_types": ["pao"],
            "form": None,
            "sends_to": None,
            "title": "อบจ. สนับสนุนการขับเคลื่อนเครือข่ายและกิจกรรมระดับจังหวัด",
            "rule": {"type": "window", "start": "2024-10-01", "end": "2025-09-30"},
        },
        {
            "code": "P1.DISTRICT.COMPILE",
            "level": "district",
            "form": "F3",
            "sends_to": "province",
            "title": "รวบรวมแบบติดตามของ อปท. ในพื้นที่ส่งจังหวัด",
            "rule": {"type": "once", "date": "2025-09-30"},
        },
        {
            "code": "P1.PROVINCE.FOLLOWUP",
            "level": "province",
            "form": "F3",
            "sends_to": None,
            "title": "ติดตามการดำเนินงานของ อปท. ทุกแห่งตามแบบติดตาม",
            "rule": {"type": "once", "date": "2025-09-30"},
        },
        {
            "code": "P1.PROVINCE.WEEK",
            "level": "province",
            "form": "F4",
            "sends_to": None,
            "title": "จัดกิจกรรม LEV Week เครือข่าย อถล. ร่วมใจ ขับเคลื่อนสิ่งแวดล้อมไทยยั่งยืน",
            "rule": {"type": "window", "start": "2025-02-01", "end": "2025-02-15"},
        },
        {
            "code": "P1.PROVINCE.REPORT",
            "level": "province",
            "form": "F4",
            "sends_to": "national",
            "title": "รายงานผลการดำเนินงานระดับจังหวัดให้กรมส่งเสริมการปกครองท้องถิ่น",
            "rule": {"type": "once", "date": "2025-03-21"},
        },
    ],
    "indicators": [],
    "rules": [],
    "kpi_period": "fiscal_year",
    "example_rows": [
        {
            "project": "โครงการรณรงค์ทำความสะอาดครั้งใหญ่ (Big Cleaning Day)",
            "objective": "เพื่อให้ชุมชนสะอาด ลดแหล่งเพาะพันธุ์ยุงลายและขยะตกค้าง",
            "target": "ประชาชนและเครือข่าย อถล. ร่วมกิจกรรมไม่น้อยกว่า ๑๐๐ คน ปีละ ๔ ครั้ง",
            "location": "ถนนสายหลักและพื้นที่สาธารณะในเขต อปท.",
            "budget": "20000.00",
            "no_budget": False,
            "kpi": "จำนวนครั้งที่จัดกิจกรรม และจำนวนผู้เข้าร่วม",
            "expected_result": "พื้นที่สาธารณะสะอาด ประชาชนมีส่วนร่วมดูแลสิ่งแวดล้อม",
            "planned_activities": 4,
        },
        {
            "project": "โครงการคัดแยกขยะและเศรษฐกิจหมุนเวียน (ธนาคารขยะ)",
            "objective": "เพื่อส่งเสริมการคัดแยกขยะที่ต้นทางและสร้างรายได้จากขยะรีไซเคิล",
            "target": "จัดตั้งธนาคารขยะอย่างน้อย ๑ แห่ง สมาชิกไม่น้อยกว่า ๕๐ ครัวเรือน",
            "location": "ศูนย์พัฒนาเด็กเล็กและหมู่บ้านในเขต อปท.",
            "budget": "15000.00",
            "no_budget": False,
            "kpi": "ปริมาณขยะรีไซเคิลที่รับซื้อ (กิโลกรัม/เดือน)",
            "expected_result": "ขยะที่ต้องนำไปกำจัดลดลง ครัวเรือนมีรายได้เพิ่ม",
            "planned_activities": 12,
        },
        {
            "project": "โครงการทำปุ๋ยหมักจากขยะอินทรีย์",
            "objective": "เพื่อลดขยะอินทรีย์และนำกลับมาใช้ประโยชน์เป็นปุ๋ย",
            "target": "ครัวเรือนทำถังขยะเปียกลดโลกร้อนไม่น้อยกว่าร้อยละ ๘๐",
            "location": "ทุกหมู่บ้านในเขต อปท.",
            "budget": None,
            "no_budget": True,
            "kpi": "ร้อยละของครัวเรือนที่มีถังขยะเปียก",
            "expected_result": "ขยะอินทรีย์ลดลง ได้ปุ๋ยหมักใช้ในชุมชน",
            "planned_activities": 2,
        },
    ],
}

_STAGES = {"source": "ต้นทาง", "middle": "กลางทาง", "end": "ปลายทาง"}

P2: dict[str, Any] = {
    "code": "P2",
    "kind": "indicators",
    "fiscal_year": 2567,
    "name": "แผนปฏิบัติการจัดการขยะมูลฝอยชุมชน “จังหวัดสะอาด” ประจำปี พ.ศ. ๒๕๖๗",
    "short_name": "จังหวัดสะอาด ๒๕๖๗",
    "name_en": "Clean Province community solid-waste action plan 2567",
    "letter": {
        "number": "มท ๐๘๒๐.๒/",
        "date": "2024-11-01",
        "subject": "การบันทึกข้อมูลตัวชี้วัดตามแผนปฏิบัติการจัดการขยะมูลฝอยชุมชน “จังหวัดสะอาด” ประจำปี พ.ศ. ๒๕๖๗",
        "addressee": "อสถ.",
        "from_org": "กองสิ่งแวดล้อมท้องถิ่น (กสว.)",
        "references": [],
        "enclosures": ["แผนปฏิบัติการจัดการขยะมูลฝอยชุมชน “จังหวัดสะอาด” (เอกสาร ๑)"],
        "contact": "กสว. (กง.สว.)",
        "phone": "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๑๑๒",
    },
    "stages": _STAGES,
    "forms": [
        {
            "code": "KPI",
            "kind": "kpi",
            "period": "fiscal_year",
            "name": "แบบบันทึกข้อมูลตัวชี้วัด “จังหวัดสะอาด”",
        },
    ],
    "obligations": [
        {
            "code": "P2.BRIEFING",
            "level": "lao",
            "form": None,
            "sends_to": None,
            "title": "ประชุมชี้แจงการบันทึกข้อมูลตัวชี้วัด (๐๙.๓๐ น.)",
            "rule": {"type": "event", "date": "2024-11-07", "time": "09:30"},
        },
        {
            "code": "P2.LAO.KPI",
            "level": "lao",
            "form": "KPI",
            "sends_to": "route",
            "title": "บันทึกผลตัวชี้วัดตามแผนปฏิบัติการ “จังหวัดสะอาด”",
            "rule": {"type": "window", "start": "2024-11-07", "end": "2024-11-22"},
        },
    ],
    "indicators": [
        {
            "code": "households_total",
            "group": "source",
            "name": "จำนวนครัวเรือนทั้งหมดในพื้นที่",
            "type": "integer",
            "unit": "ครัวเรือน",
            "required": True,
            "min": 0,
        },
        {
            "code": "households_sorting",
            "group": "source",
            "name": "ครัวเรือนที่คัดแยกขยะที่ต้นทาง",
            "type": "integer",
            "unit": "ครัวเรือน",
            "required": True,
            "min": 0,
        },
        {
            "code": "households_organic_bin",
            "group": "source",
            "name": "ครัวเรือนที่มีถังขยะเปียกลดโลกร้อน",
            "type": "integer",
            "unit": "ครัวเรือน",
            "required": False,
            "min": 0,
        },
        {
            "code": "waste_generated",
            "group": "source",
            "name": "ปริมาณขยะมูลฝอยที่เกิดขึ้น",
            "type": "decimal",
            "unit": "ตัน/วัน",
            "required": True,
            "min": 0,
        },
        {
            "code": "waste_recovered",
            "group": "source",
            "name": "ปริมาณขยะที่ลดและนำกลับมาใช้ประโยชน์ (3R)",
            "type": "decimal",
            "unit": "ตัน/วัน",
            "required": True,
            "min": 0,
        },
        {
            "code": "waste_banks",
            "group": "source",
            "name": "จำนวนธนาคารขยะ",
            "type": "integer",
            "unit": "แห่ง",
            "required": False,
            "min": 0,
        },
        {
            "code": "collection_coverage",
            "group": "middle",
            "name": "พื้นที่ที่ได้รับบริการเก็บขนขยะ",
            "type": "percent",
            "unit": "%",
            "required": True,
            "min": 0,
            "max": 100,
        },
        {
            "code": "waste_collected",
            "group": "middle",
            "name": "ปริมาณขยะที่เก็บขนได้",
            "type": "decimal",
            "unit": "ตัน/วัน",
            "required": True,
            "min": 0,
        },
        {
            "code": "collection_vehicles",
            "group": "middle",
            "name": "จำนวนรถเก็บขนขยะ",
            "type": "integer",
            "unit": "คัน",
            "required": False,
            "min": 0,
        },
        {
            "code": "hazardous_points",
            "group": "middle",
            "name": "จุดรวบรวมขยะอันตรายชุมชน",
            "type": "integer",
            "unit": "จุด",
            "required": False,
            "min": 0,
        },
        {
            "code": "waste_disposed_correctly",
            "group": "end",
            "name": "ปริมาณขยะที่กำจัดอย่างถูกต้องตามหลักวิชาการ",
            "type": "decimal",
            "unit": "ตัน/วัน",
            "required": True,
            "min": 0,
        },
        {
            "code": "disposal_method",
            "group": "end",
            "name": "วิธีการกำจัดขยะหลัก",
            "type": "choice",
            "unit": "",
            "required": True,
            "choices": [
                "ฝังกลบถูกหลักสุขาภิบาล",
                "เตาเผาขยะ",
                "ผลิตเชื้อเพลิงขยะ (RDF)",
                "ส่งศูนย์กำจัดขยะรวม",
                "อื่น ๆ",
            ],
        },
        {
            "code": "dumps_fixed",
            "group": "end",
            "name": "บ่อขยะที่ได้รับการแก้ไขปรับปรุง",
            "type": "integer",
            "unit": "แห่ง",
            "required": False,
            "min": 0,
        },
        {
            "code": "budget_spent",
            "group": "end",
            "name": "งบประมาณที่ใช้จัดการขยะ",
            "type": "baht",
            "unit": "บาท",
            "required": False,
            "min": 0,
        },
    ],
    "rules": [
        {
            "type": "lte",
            "left": "households_sorting",
            "right": "households_total",
            "message": "ครัวเรือนที่คัดแยกขยะต้องไม่มากกว่าครัวเรือนทั้งหมด",
        },
        {
            "type": "lte",
            "left": "households_organic_bin",
            "right": "households_total",
            "message": "ครัวเรือนที่มีถังขยะเปียกต้องไม่มากกว่าครัวเรือนทั้งหมด",
        },
        {
            "type": "lte",
            "left": "waste_recovered",
            "right": "waste_generated",
            "message": "ขยะที่นำกลับมาใช้ประโยชน์ต้องไม่มากกว่าขยะที่เกิดขึ้น",
        },
        {
            "type": "lte",
            "left": "waste_collected",
            "right": "waste_generated",
            "message": "ขยะที่เก็บขนได้ต้องไม่มากกว่าขยะที่เกิดขึ้น",
        },
        {
            "type": "lte",
            "left": "waste_disposed_correctly",
            "right": "waste_collected",
            "message": "ขยะที่กำจัดถูกต้องต้องไม่มากกว่าขยะที่เก็บขนได้",
        },
    ],
    "kpi_period": "fiscal_year",
    "example_rows": [],
}

P3: dict[str, Any] = {
    "code": "P3",
    "kind": "questionnaire",
    "fiscal_year": 2564,
    "name": "แนวทางปฏิบัติงานเพื่อขับเคลื่อนการจัดการพื้นที่สีเขียวอย่างยั่งยืน",
    "short_name": "พื้นที่สีเขียวยั่งยืน ๒๕๖๔",
    "name_en": "Sustainable green-space guideline report 2564",
    "letter": {
        "number": "มท ๐๘๒๐.๓/ว",
        "date": "2021-09-01",
        "subject": "ขอความอนุเคราะห์เผยแพร่ “แนวทางปฏิบัติงานเพื่อขับเคลื่อนการจัดการพื้นที่สีเขียวอย่างยั่งยืน” "
        "และแบบรายงานผลการดำเนินงานตามแนวทางปฏิบัติงานฯ",
        "addressee": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        "from_org": "กรมส่งเสริมการปกครองท้องถิ่น",
        "references": [],
        "enclosures": [
            "สำเนาหนังสือสำนักงานนโยบายและแผนทรัพยากรธรรมชาติและสิ่งแวดล้อม ที่ ทส ๑๐๑๑.๔/๑๒๙๓๒ "
            "ลงวันที่ ๒๔ สิงหาคม ๒๕๖๔"
        ],
        "contact": "กองสิ่งแวดล้อมท้องถิ่น",
        "phone": "",
    },
    "forms": [
        {
            "code": "Q",
            "kind": "kpi",
            "period": "once",
            "name": "แบบรายงานผลการดำเนินงานตามแนวทางปฏิบัติงานฯ",
        },
    ],
    "obligations": [
        {
            "code": "P3.LAO.REPORT",
            "level": "lao",
            "form": "Q",
            "sends_to": "route",
            "title": "ตอบแบบรายงานผลการดำเนินงานตามแนวทางการจัดการพื้นที่สีเขียวอย่างยั่งยืน",
            "rule": {"type": "once", "date": "2021-09-30"},
        },
    ],
    "indicators": [
        {
            "code": "has_green_plan",
            "group": "",
            "name": "มีแผนหรือนโยบายเพิ่มพื้นที่สีเขียว",
            "type": "choice",
            "choices": ["มี", "ไม่มี"],
            "unit": "",
            "required": True,
        },
        {
            "code": "green_area_rai",
            "group": "",
            "name": "พื้นที่สีเขียวในความรับผิดชอบ",
            "type": "decimal",
            "unit": "ไร่",
            "required": True,
            "min": 0,
        },
        {
            "code": "green_area_percent",
            "group": "",
            "name": "สัดส่วนพื้นที่สีเขียวต่อพื้นที่ทั้งหมด",
            "type": "percent",
            "unit": "%",
            "required": False,
            "min": 0,
            "max": 100,
        },
        {
            "code": "trees_planted",
            "group": "",
            "name": "จำนวนต้นไม้ที่ปลูกเพิ่ม",
            "type": "integer",
            "unit": "ต้น",
            "required": True,
            "min": 0,
        },
        {
            "code": "public_parks",
            "group": "",
            "name": "สวนสาธารณะ / สวนหย่อม",
            "type": "integer",
            "unit": "แห่ง",
            "required": False,
            "min": 0,
        },
        {
            "code": "activities",
            "group": "",
            "name": "กิจกรรมที่ดำเนินการ",
            "type": "text",
            "unit": "",
            "required": True,
        },
        {
            "code": "problems",
            "group": "",
            "name": "ปัญหาอุปสรรคและข้อเสนอแนะ",
            "type": "text",
            "unit": "",
            "required": False,
        },
    ],
    "rules": [],
    "kpi_period": "once",
    "example_rows": [],
}

P4: dict[str, Any] = {
    "code": "P4",
    "kind": "monthly",
    "fiscal_year": None,
    "name": "บทบาทในการเกื้อหนุนระหว่างวัดและชุมชนให้มีความสุขอย่างยั่งยืน",
    "short_name": "วัดกับชุมชน (รายงานรายเดือน)",
    "name_en": "Temple–community cooperation (monthly report)",
    "letter": {
        "number": "ขย ๐๐๒๓.๓/ว ๑๕๓๕",
        "date": "2022-06-07",
        "subject": "การขับเคลื่อนการดำเนินงานภายใต้บันทึกข้อตกลงความร่วมมือ บทบาทในการเกื้อหนุน"
        "ระหว่างวัดและชุมชนให้มีความสุขอย่างยั่งยืน",
        "addressee": "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอทุกอำเภอ",
        "from_org": "จังหวัดชัยภูมิ",
        "references": [],
        "enclosures": [],
        "contact": "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด",
        "phone": "",
    },
    "forms": [
        {
            "code": "M",
            "kind": "kpi",
            "period": "monthly",
            "name": "แบบรายงานผลการดำเนินงานวัดและชุมชน (รายเดือน)",
        },
    ],
    "obligations": [
        {
            "code": "P4.LAO.MONTHLY",
            "level": "lao",
            "form": "M",
            "sends_to": "province",
            "title": "รายงานผลการดำเนินงานวัดและชุมชนให้จังหวัดทราบ (ทุกวันที่ ๑ ของเดือน)",
            "rule": {"type": "monthly", "day": 1, "first": "2022-07-01"},
        },
        {
            "code": "P4.PROVINCE.MONTHLY",
            "level": "province",
            "form": "M",
            "sends_to": "national",
            "title": "จังหวัดรายงานกรมส่งเสริมการปกครองท้องถิ่น (ภายในวันที่ ๕ ของเดือนถัดไป)",
            "rule": {"type": "monthly_following", "day": 5, "first": "2022-07-01"},
        },
    ],
    "indicators": [
        {
            "code": "activities_held",
            "group": "",
            "name": "จำนวนกิจกรรมที่วัดและชุมชนร่วมกันจัด",
            "type": "integer",
            "unit": "กิจกรรม",
            "required": True,
            "min": 0,
        },
        {
            "code": "temples",
            "group": "",
            "name": "จำนวนวัดที่เข้าร่วม",
            "type": "integer",
            "unit": "วัด",
            "required": True,
            "min": 0,
        },
        {
            "code": "participants",
            "group": "",
            "name": "จำนวนผู้เข้าร่วม",
            "type": "integer",
            "unit": "คน",
            "required": True,
            "min": 0,
        },
        {
            "code": "budget_spent",
            "group": "",
            "name": "งบประมาณที่ใช้",
            "type": "baht",
            "unit": "บาท",
            "required": False,
            "min": 0,
        },
        {
            "code": "summary",
            "group": "",
            "name": "สรุปผลการดำเนินงาน",
            "type": "text",
            "unit": "",
            "required": True,
        },
    ],
    "rules": [],
    "kpi_period": "monthly",
    "example_rows": [],
}

P5: dict[str, Any] = {
    "code": "P5",
    "kind": "products",
    "fiscal_year": 2568,
    "name": "การสร้างอาชีพ และเพิ่มรายได้ให้ประชาชนในท้องถิ่น"
    "ผ่านการเพิ่มมูลค่าจากขยะ โดยผสมผสานกับอัตลักษณ์ท้องถิ่น (Soft Power)",
    "short_name": "มูลค่าจากขยะ Soft Power ๒๕๖๘",
    "name_en": "Income from waste with local identity (Soft Power), 2568",
    "target": "อย่างน้อย ๑ อปท. : ๑ ผลิตภัณฑ์",
    "letter": {
        "number": "มท ๐๘๒๑.๒/ว ๓๙๑๔",
        "date": "2025-09-04",
        "subject": "แนวทางการสร้างอาชีพ และเพิ่มรายได้ให้ประชาชนในท้องถิ่น"
        "ผ่านการเพิ่มมูลค่าจากขยะ โดยผสมผสานกับอัตลักษณ์ท้องถิ่น (Soft Power)",
        "addressee": "นายอำเภอทุกอำเภอ และนายกเทศมนตรีเมืองแพร่",
        "from_org": "กรมส่งเสริมการปกครองท้องถิ่น",
        "references": [],
        "enclosures": ["แนวทางการขับเคลื่อนฯ ของจังหวัดแพร่"],
        "contact": "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดแพร่",
        "phone": "",
    },
    "forms": [
        {
            "code": "SP",
            "kind": "products",
            "period": "fiscal_year",
            "name": "แบบรายงานผลิตภัณฑ์เพิ่มมูลค่าจากขยะ (Soft Power)",
        },
    ],
    "obligations": [
        {
            "code": "P5.LAO.REPORT",
            "level": "lao",
            "form": "SP",
            "sends_to": "route",
            "title": "รายงานผลการเพิ่มมูลค่าจากขยะโดยผสมผสานอัตลักษณ์ท้องถิ่น (Soft Power)",
            "rule": {
                "type": "days_of_month",
                "days": [5, 15],
                "first": "2025-09-15",
                "until_all_reported": True,
            },
        },
        {
            "code": "P5.DISTRICT.REPORT",
            "level": "district",
            "form": "SP",
            "sends_to": "province",
            "title": "อำเภอรวบรวมรายงาน Soft Power ของ ทต. และ อบต. ส่งจังหวัด",
            "rule": {
                "type": "days_of_month",
                "days": [5, 15],
                "first": "2025-09-15",
                "until_all_reported": True,
            },
        },
        {
            "code": "P5.PROVINCE.REPORT",
            "level": "province",
            "form": "SP",
            "sends_to": "national",
            "title": "จังหวัดรายงานผล Soft Power ให้กรมส่งเสริมการปกครองท้องถิ่น",
            "rule": {
                "type": "days_of_month",
                "days": [5, 15],
                "first": "2025-09-15",
                "until_all_reported": True,
            },
        },
    ],
    "indicators": [
        {
            "code": "identity",
            "group": "",
            "name": "อัตลักษณ์ท้องถิ่น (Soft Power)",
            "type": "text",
            "unit": "",
            "required": True,
            "repeat": True,
        },
        {
            "code": "product",
            "group": "",
            "name": "ชื่อผลิตภัณฑ์",
            "type": "text",
            "unit": "",
            "required": True,
            "repeat": True,
        },
        {
            "code": "group",
            "group": "",
            "name": "กลุ่มชุมชน",
            "type": "text",
            "unit": "",
            "required": True,
            "repeat": True,
        },
        {
            "code": "participants",
            "group": "",
            "name": "จำนวนผู้เข้าร่วม",
            "type": "integer",
            "unit": "คน",
            "required": True,
            "min": 0,
            "repeat": True,
        },
        {
            "code": "income",
            "group": "",
            "name": "รายได้ที่เกิดขึ้น",
            "type": "baht",
            "unit": "บาท",
            "required": True,
            "min": 0,
            "repeat": True,
        },
        {
            "code": "training",
            "group": "",
            "name": "การฝึกอบรมการสร้างรายได้จากขยะ",
            "type": "choice",
            "choices": ["จัดแล้ว", "ยังไม่ได้จัด"],
            "unit": "",
            "required": True,
            "repeat": True,
        },
        {
            "code": "publicity",
            "group": "",
            "name": "การประชาสัมพันธ์",
            "type": "choice",
            "choices": ["ดำเนินการแล้ว", "ยังไม่ได้ดำเนินการ"],
            "unit": "",
            "required": True,
            "repeat": True,
        },
        {
            "code": "photos_url",
            "group": "",
            "name": "URL โฟลเดอร์ภาพกิจกรรม",
            "type": "url",
            "unit": "",
            "required": False,
            "repeat": True,
        },
        {
            "code": "video_url",
            "group": "",
            "name": "URL คลิปวิดีโอถอดบทเรียน",
            "type": "url",
            "unit": "",
            "required": False,
            "repeat": True,
        },
    ],
    "rules": [],
    "kpi_period": "fiscal_year",
    "video_title": "การเพิ่มมูลค่าจากขยะโดยผสมผสานกับอัตลักษณ์ท้องถิ่น (Soft Power) ของ{office}",
    "example_rows": [],
}

BUILTIN_TEMPLATES: tuple[dict[str, Any], ...] = (P1, P2, P3, P4, P5)


def builtin_template(code: str) -> dict[str, Any]:
    for template in BUILTIN_TEMPLATES:
        if template["code"] == code:
            return copy.deepcopy(template)
    raise KeyError(code)


def spec_of(template: dict[str, Any]) -> dict[str, Any]:
    """The part of a template stored in ``Programme.spec``."""
    keys = (
        "forms",
        "obligations",
        "indicators",
        "rules",
        "kpi_period",
        "example_rows",
        "stages",
        "target",
        "video_title",
        "name_en",
    )
    return {k: copy.deepcopy(template[k]) for k in keys if k in template}


def indicator(spec: dict[str, Any], code: str) -> dict[str, Any] | None:
    for item in spec.get("indicators", []):
        if item["code"] == code:
            found: dict[str, Any] = item
            return found
    return None


def form(spec: dict[str, Any], code: str) -> dict[str, Any] | None:
    for item in spec.get("forms", []):
        if isinstance(item, dict) and item.get("code") == code:
            return item
    return None
