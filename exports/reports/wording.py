"""The wording of the official documents.

Reports are Thai government documents: their titles, column headings and set phrases are
Thai whatever the language of the interface (like the texts of the programme templates,
they are data, not interface strings), so they live here and not in the catalogue.
"""

from __future__ import annotations

SIGNED = "(ลงชื่อ)"  # only on copies: an original is signed in the space above the name
SIGN_FORM = "ลงชื่อ"  # a form's signature line
CONTINUED = "(ต่อ)"
DATE_LINE = "วันที่ " + "." * 6 + " เดือน " + "." * 14 + " พ.ศ. " + "." * 6
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

PROGRAMME_LEV = "คณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก"  # as the letter names the forms
PROGRAMME_P1 = "การขับเคลื่อนคณะกรรมการเครือข่ายอาสาสมัครท้องถิ่นรักษ์โลก"

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
# the columns of the form attached to the letter (สิ่งที่ส่งมาด้วย ๕), in its wording
MONITORING_HEADER = [
    "ที่",
    "อำเภอ",
    "อปท.",
    "๑. การคัดเลือก\nคณะกรรมการ\nเครือข่าย\nอถล. (วันที่)",
    "๒. การประชุม\nคณะกรรมการ\nเครือข่าย\nอถล. (วันที่)",
    "๓. การจัดทำ\nแผนปฏิบัติงาน\n(วันที่)",
    "๔. ผลการ\nดำเนิน\nกิจกรรม\n(จำนวน)",
    "๕. การรายงานผล\nการดำเนินงาน\nและปิดประกาศ\nให้ประชาชน\nทราบ (วันที่)",
    "หมายเหตุ",
]
MONITORING_FOOTNOTE = (
    "หมายเหตุ แบบรายงานนี้สำหรับจังหวัดใช้ในการติดตามผลการดำเนินงานขององค์กรปกครองส่วนท้องถิ่น "
    "ให้เป็นไปตามเป้าหมายที่กำหนด ไม่ต้องรายงานกรมส่งเสริมการปกครองท้องถิ่น"
)

SOFTPOWER_TITLE = (
    "แบบรายงานการสร้างอาชีพ และเพิ่มรายได้ให้ประชาชนในท้องถิ่นผ่านการเพิ่มมูลค่าจากขยะ "
    "โดยผสมผสานกับอัตลักษณ์ท้องถิ่น (Soft Power)"
)
# the nine fields as the letter lists them (never hyphenated: Thai is not)
SOFTPOWER_HEADER = [
    "ที่",
    "อปท.",
    "(๑) อัตลักษณ์ท้องถิ่นของผลิตภัณฑ์ (Soft Power)",
    "(๒) ชื่อผลิตภัณฑ์",
    "(๓) ชื่อกลุ่มชุมชน",
    "(๔) จำนวนประชาชนที่เข้าร่วม (คน)",
    "(๕) รายได้ที่เกิดขึ้นจากการดำเนินงาน (บาท)",
    "(๖) การจัดอบรมให้ความรู้การสร้างรายได้จากขยะ",
    "(๗) การประชาสัมพันธ์การสร้างอาชีพและเพิ่มรายได้จากขยะ",
    "(๘) URL Google Drive ภาพถ่ายกิจกรรม",
    "(๙) URL วิดีโอถอดบทเรียนฯ",
]

KPI_TITLE = "รายงานผลตัวชี้วัด"
KPI_HEADER_ONE = ["ที่", "ตัวชี้วัด", "หน่วย", "ผลการดำเนินงาน"]
KPI_HEADER_ALL = ["ที่", "ตัวชี้วัด", "หน่วย", "อปท. ที่รายงาน", "รวม", "เฉลี่ย", "ต่ำสุด", "สูงสุด"]

CALENDAR_TITLE = "กำหนดส่งงานและกิจกรรม"
CALENDAR_HEADER = ["ที่", "วันที่", "สิ่งที่ต้องดำเนินการ", "โครงการ", "ส่งถึง", "สถานะ"]

NOTICE_CLOSING = "จึงประกาศมาเพื่อทราบโดยทั่วกัน"
