"""The wording of the official documents.

Reports are Thai government documents: their titles, column headings and set phrases are
Thai whatever the language of the interface (like the texts of the programme templates,
they are data, not interface strings), so they live here and not in the catalogue.
"""

from __future__ import annotations

SIGNED = "(ลงชื่อ)"
POSITION = "ตำแหน่ง"
PAGE_OF = "หน้า {page}/{total}"
NO_BUDGET = "ไม่ใช้งบประมาณ"
TOTAL = "รวม"
BAHT = "บาท"

# Form names, also used in file names.
FILE_STEM = {
    "plan": "แผนปฏิบัติงาน",
    "summary": "สรุปผลการดำเนินงาน",
    "notice": "ประกาศผลการดำเนินงาน",
    "monitoring": "แบบติดตาม",
    "softpower": "รายงานSoftPower",
    "kpi": "รายงานตัวชี้วัด",
    "calendar": "ปฏิทินกำหนดส่ง",
}

PROGRAMME_LEV = "เครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก (อถล.)"

PLAN_TITLE = "แผนปฏิบัติงาน" + PROGRAMME_LEV
PLAN_HEADER = [
    "ลำดับ",
    "โครงการ",
    "วัตถุประสงค์",
    "เป้าหมาย\n(ผลผลิตของโครงการ)",
    "สถานที่ดำเนินการ",
    "งบประมาณ\n(บาท)",
    "ตัวชี้วัด\n(KPI)",
    "ผลที่คาดว่าจะได้รับ",
]

SUMMARY_TITLE = "แบบสรุปผลการดำเนินงานตามแผนปฏิบัติงาน" + PROGRAMME_LEV
SUMMARY_HEADER = [
    "ที่",
    "โครงการ / กิจกรรม",
    "วันที่ดำเนินการ",
    "สถานที่",
    "ผู้เข้าร่วม\n(คน)",
    "ผลการดำเนินงาน\n(เทียบตัวชี้วัด)",
    "งบประมาณ\nตามแผน (บาท)",
    "งบประมาณ\nที่ใช้จริง (บาท)",
    "ปัญหาอุปสรรค",
    "แนวทางแก้ไข",
]
NOT_HELD = "ยังไม่ได้ดำเนินการ"

MONITORING_TITLE = "แบบติดตามการจัดกิจกรรมระดับองค์กรปกครองส่วนท้องถิ่น"
MONITORING_HEADER = [
    "ที่",
    "อำเภอ",
    "อปท.",
    "(๑)\nวันที่คัดเลือก\nคณะกรรมการ\nเครือข่าย\nอถล.",
    "(๒)\nวันที่ประชุม\nคณะกรรมการ",
    "(๓)\nวันที่จัดทำ\nแผนปฏิบัติงาน",
    "(๔)\nจำนวนกิจกรรม\nที่จัด",
    "(๕)\nวันที่รายงานผล\nและปิดประกาศ",
    "หมายเหตุ",
]

SOFTPOWER_TITLE = "แบบรายงานผลิตภัณฑ์เพิ่มมูลค่าจากขยะโดยผสมผสานกับอัตลักษณ์ท้องถิ่น (Soft Power)"
SOFTPOWER_HEADER = [
    "ที่",
    "อปท.",
    "(๑)\nอัตลักษณ์ท้องถิ่น\n(Soft Power)",
    "(๒)\nชื่อผลิตภัณฑ์",
    "(๓)\nกลุ่มชุมชน",
    "(๔)\nผู้เข้าร่วม\n(คน)",
    "(๕)\nรายได้ที่เกิดขึ้น\n(บาท)",
    "(๖)\nการฝึกอบรม",
    "(๗)\nการประชา-\nสัมพันธ์",
    "(๘)\nURL ภาพกิจกรรม",
    "(๙)\nURL คลิปวิดีโอ",
]

KPI_TITLE = "รายงานผลตัวชี้วัด"
KPI_HEADER_ONE = ["ที่", "ตัวชี้วัด", "หน่วย", "ผลการดำเนินงาน"]
KPI_HEADER_ALL = ["ที่", "ตัวชี้วัด", "หน่วย", "อปท. ที่รายงาน", "รวม", "เฉลี่ย", "ต่ำสุด", "สูงสุด"]

CALENDAR_TITLE = "กำหนดส่งงานและกิจกรรม"
CALENDAR_HEADER = ["ที่", "วันที่", "สิ่งที่ต้องดำเนินการ", "โครงการ", "ส่งถึง", "สถานะ"]

NOTICE_CLOSING = "จึงประกาศมาเพื่อทราบโดยทั่วกัน"
