"""Thai public holidays 2564–2570 BE (2021–2027) that go into a new database's holiday table.

Only days we are sure of: the fixed-date national holidays every year, and the Buddhist
lunar holidays (มาฆบูชา, วิสาขบูชา, อาสาฬหบูชา, เข้าพรรษา) for 2564–2569, whose dates were
announced. Substitution days and special days off the cabinet adds each year are not here:
the officer adds them in the holiday dialog of the calendar screen (the table is editable).
Names are Thai data (as on the official calendar), not interface strings.
"""

from __future__ import annotations

import datetime as dt

FIXED = (
    (1, 1, "วันขึ้นปีใหม่"),
    (4, 6, "วันพระบาทสมเด็จพระพุทธยอดฟ้าจุฬาโลกมหาราชและวันที่ระลึกมหาจักรีบรมราชวงศ์"),
    (4, 13, "วันสงกรานต์"),
    (4, 14, "วันสงกรานต์"),
    (4, 15, "วันสงกรานต์"),
    (5, 4, "วันฉัตรมงคล"),
    (6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าสุทิดา พัชรสุธาพิมลลักษณ พระบรมราชินี"),
    (7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (8, 12, "วันเฉลิมพระชนมพรรษาสมเด็จพระบรมราชชนนีพันปีหลวง และวันแม่แห่งชาติ"),
    (10, 13, "วันนวมินทรมหาราช"),
    (10, 23, "วันปิยมหาราช"),
    (
        12,
        5,
        "วันคล้ายวันพระบรมราชสมภพของพระบาทสมเด็จพระบรมชนกาธิเบศร มหาภูมิพลอดุลยเดชมหาราช "
        "บรมนาถบพิตร วันชาติ และวันพ่อแห่งชาติ",
    ),
    (12, 10, "วันรัฐธรรมนูญ"),
    (12, 31, "วันสิ้นปี"),
)

LUNAR = (
    ("2021-02-26", "วันมาฆบูชา"),
    ("2021-05-26", "วันวิสาขบูชา"),
    ("2021-07-24", "วันอาสาฬหบูชา"),
    ("2021-07-25", "วันเข้าพรรษา"),
    ("2022-02-16", "วันมาฆบูชา"),
    ("2022-05-15", "วันวิสาขบูชา"),
    ("2022-07-13", "วันอาสาฬหบูชา"),
    ("2022-07-14", "วันเข้าพรรษา"),
    ("2023-03-06", "วันมาฆบูชา"),
    ("2023-06-03", "วันวิสาขบูชา"),
    ("2023-08-01", "วันอาสาฬหบูชา"),
    ("2023-08-02", "วันเข้าพรรษา"),
    ("2024-02-24", "วันมาฆบูชา"),
    ("2024-05-22", "วันวิสาขบูชา"),
    ("2024-07-20", "วันอาสาฬหบูชา"),
    ("2024-07-21", "วันเข้าพรรษา"),
    ("2025-02-12", "วันมาฆบูชา"),
    ("2025-05-11", "วันวิสาขบูชา"),
    ("2025-07-10", "วันอาสาฬหบูชา"),
    ("2025-07-11", "วันเข้าพรรษา"),
    ("2026-03-03", "วันมาฆบูชา"),
    ("2026-05-31", "วันวิสาขบูชา"),
    ("2026-07-29", "วันอาสาฬหบูชา"),
    ("2026-07-30", "วันเข้าพรรษา"),
)

FIRST_YEAR, LAST_YEAR = 2021, 2027  # 2564–2570 BE


def seed_holidays() -> list[tuple[dt.date, str]]:
    """(date, Thai name) of every seeded holiday, sorted; one name per date."""
    days: dict[dt.date, str] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for month, day, name in FIXED:
            days[dt.date(year, month, day)] = name
    for iso, name in LUNAR:
        date = dt.date.fromisoformat(iso)
        days[date] = f"{days[date]} และ{name}" if date in days else name
    return sorted(days.items())
