"""The one place that turns dates, money and numbers into text a Thai officer reads.

Dates are stored as ISO Gregorian ``datetime.date``; people always read Buddhist-era years
(พ.ศ. = ค.ศ. + 543). Neither Qt nor Babel has a Buddhist calendar (Babel's Thai long format
even prints "ค.ศ."), so the formatting is done here by hand. Thai digits (๐–๙) are an
option for printed output.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import ROUND_HALF_UP, Decimal

from lev_desktop.i18n import _, current_language

BE_OFFSET = 543

MONTHS_FULL = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
MONTHS_EN_ABBR = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
MONTHS_EN_FULL = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Monday first, as datetime.weekday() counts.
WEEKDAYS_FULL = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
WEEKDAYS_ABBR = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_EN_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


def arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC)


_KEEP_DIGITS = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[A-Za-z_]+[0-9][A-Za-z0-9_]*|[0-9]+[A-Za-z_][A-Za-z0-9_]*"
)
_FILE_EXTENSIONS = r"\.(?:levpkg|levbak|levkey|pdf|xlsx|xlsm|xls|csv|db|zip|jsonl|json|txt|log)"
_KEEP_MORE = re.compile(
    _KEEP_DIGITS.pattern
    # a file's path or name names it on the disk: C:\LEV\รายงาน 2568\F1.pdf (on Windows a
    # folder's name may have spaces: the path runs to its last backslash on the line; dates
    # use "/"), /home/a/2568 (no spaces), F1-2568.pdf
    + r"|(?:\b[A-Za-z]:|\\\\[^\\\s]+)\\(?:[^\\\n]*\\)*[^\s\\]*"
    + r"|\b[A-Za-z]:/\S*|(?<![\w/.\\])~?/[^\s/]+/\S*"
    + r"|[^\s/\\]+"
    + _FILE_EXTENSIONS
    + r"(?![A-Za-z0-9])"
    # a key's fingerprint, read aloud to compare: groups of four hex digits (some with A-F)
    + r"|(?=[0-9A-F \n]*[A-F])\b[0-9A-F]{4}(?:[ \n][0-9A-F]{4}){3,}\b"
)
_FILE_NAME_END = re.compile(_FILE_EXTENSIONS)
_FINGERPRINT_START = re.compile(r"[0-9A-F]{4}[ \n][0-9A-F]{4}")


def _may_keep_more(text: str) -> bool:
    """Whether ``_KEEP_MORE`` may keep more of ``text`` than ``_KEEP_DIGITS``: its paths have a
    slash, its file names an extension, its fingerprints two groups of four with a letter A–F.
    Most texts of a report (dates, amounts, Thai words) have none and are read by the shorter
    pattern, twice as fast."""
    return (
        "/" in text
        or "\\" in text
        or ("." in text and _FILE_NAME_END.search(text) is not None)
        or (
            any(letter in text for letter in "ABCDEF")
            and _FINGERPRINT_START.search(text) is not None
        )
    )


def document_digits(text: str, digits: str) -> str:
    """One digit style for a whole printed document: ``digits='thai'`` turns 0–9 into ๐–๙
    and ``'arabic'`` the other way, except inside URLs and e-mail addresses, in codes that
    mix digits with Latin letters (P5, 3Rs, COVID19) and in files' paths and names
    (C:\\LEV\\2568, F1-2568.pdf: the disk's names) and keys' fingerprints (3F2A 9120 …),
    which must stay as typed."""
    if not text:
        return text
    table = _TO_THAI if digits == "thai" else _TO_ARABIC
    if digits != "thai":
        return text.translate(table)
    keep = _KEEP_MORE if _may_keep_more(text) else _KEEP_DIGITS
    if not keep.search(text):
        return text.translate(table)
    out, prev = [], 0
    for m in keep.finditer(text):
        out.append(text[prev : m.start()].translate(table))
        out.append(m.group())
        prev = m.end()
    out.append(text[prev:].translate(table))
    return "".join(out)


def be_year(value: dt.date | int) -> int:
    year = value if isinstance(value, int) else value.year
    return year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def _thai_ui() -> bool:
    return current_language() == "th"


def format_date(
    value: dt.date | dt.datetime | None,
    style: str = "short",
    *,
    digits: str = "arabic",
    thai: bool | None = None,
) -> str:
    """Formats a date with its Buddhist-era year.

    styles: ``short`` "15 ก.พ. 2568" (tables), ``long`` "15 กุมภาพันธ์ 2568" (letters),
    ``full`` "วันเสาร์ที่ 15 กุมภาพันธ์ 2568", ``weekday`` "ส. 15 ก.พ. 2568",
    ``numeric`` "15/02/2568". ``digits='thai'`` gives ๑๕ กุมภาพันธ์ ๒๕๖๘.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    thai = _thai_ui() if thai is None else thai
    day, month, year = value.day, value.month, be_year(value)
    if style == "numeric":
        text = f"{day:02d}/{month:02d}/{year}"
    elif style == "short":
        text = f"{day} {(MONTHS_ABBR if thai else MONTHS_EN_ABBR)[month - 1]} {year}"
    elif style == "long":
        text = f"{day} {(MONTHS_FULL if thai else MONTHS_EN_FULL)[month - 1]} {year}"
    elif style == "full":
        if thai:
            text = f"วัน{WEEKDAYS_FULL[value.weekday()]}ที่ {day} {MONTHS_FULL[month - 1]} {year}"
        else:
            text = f"{WEEKDAYS_EN[value.weekday()]} {day} {MONTHS_EN_FULL[month - 1]} {year} BE"
    elif style == "weekday":
        names = WEEKDAYS_ABBR if thai else WEEKDAYS_EN_ABBR
        months = MONTHS_ABBR if thai else MONTHS_EN_ABBR
        text = f"{names[value.weekday()]} {day} {months[month - 1]} {year}"
    elif style == "month":
        text = f"{(MONTHS_FULL if thai else MONTHS_EN_FULL)[month - 1]} {year}"
    else:
        raise ValueError(f"unknown date style {style!r}")
    return thai_digits(text) if digits == "thai" else text


def format_datetime(value: dt.datetime | None, *, digits: str = "arabic") -> str:
    if value is None:
        return ""
    text = f"{format_date(value, 'short')} {value:%H:%M}"
    if _thai_ui():
        text += " น."
    return thai_digits(text) if digits == "thai" else text


def format_utc(value: dt.datetime | None, *, digits: str = "arabic") -> str:
    """A time the database stores (UTC, naive) as a person here reads it: this computer's local
    time, "4 ธ.ค. 2569 21:17 น." (``format_datetime``)."""
    if value is None:
        return ""
    local = value.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
    return format_datetime(local, digits=digits)


def format_date_range(
    start: dt.date, end: dt.date, *, style: str = "short", digits: str = "arabic"
) -> str:
    """ "1–15 ก.พ. 2568" inside one month, "28 ก.พ. – 3 มี.ค. 2568" across months."""
    if start == end:
        return format_date(start, style, digits=digits)
    if (start.year, start.month) == (end.year, end.month) and style in ("short", "long"):
        text = f"{start.day}–{format_date(end, style)}"
        return thai_digits(text) if digits == "thai" else text
    return f"{format_date(start, style, digits=digits)} – {format_date(end, style, digits=digits)}"


_DATE_RE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})\s*$")
_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_MONTH_RE = re.compile(r"^\s*(?:(\d{4})\s*[-/.]\s*(\d{1,2})|(\d{1,2})\s*[-/.]\s*(\d{4}))\s*$")

# Four-digit years a person types from the Western calendar (ค.ศ.); BE years start at 2400.
CE_YEARS = range(1900, 2400)
# Four-digit years read as Buddhist-era years (พ.ศ.) wherever a year is typed.
BE_YEARS = range(2400, 2800)


def _typed_year(year: int, text: str) -> int:
    """A four-digit year written year first (ISO order) → its CE year: BE (2400–2799) or CE
    (1900–2399), the two ranges never meeting; anything else is not a year a person means."""
    if year in BE_YEARS:
        return ce_year(year)
    if year in CE_YEARS:
        return year
    raise ValueError(text)


class NoSuchDay(ValueError):
    """A typed date of the right shape that the calendar does not have ("31/02/2568"); its
    text says so, in the interface's language."""


def _calendar_date(year: int, month: int, day: int, written_year: int) -> dt.date:
    """The date (``year`` CE), or NoSuchDay naming what is wrong with it as written."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    if not 1 <= month <= 12:
        raise NoSuchDay(
            _("There is no month {month}: months are numbered 1 to 12.").format(month=month)
        )
    names = MONTHS_FULL if _thai_ui() else MONTHS_EN_FULL
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    days = (following - dt.timedelta(days=1)).day
    raise NoSuchDay(
        _("There is no {day} {month} {year}: {month} {year} has {days} days.").format(
            day=day, month=names[month - 1], year=written_year, days=days
        )
    )


def date_refusal(exc: ValueError | None) -> str:
    """What a person is told when ``parse_date`` or ``read_date`` refuses a typed date: the day
    the calendar lacks ("31/02/2568": the date was written right), or how to write one."""
    if isinstance(exc, NoSuchDay):
        return str(exc)
    return _("Please enter a date as day/month/BE year, e.g. 15/02/2568")


def parse_date(text: str) -> dt.date | None:
    """Parses a typed date: "15/2/2568", "15-02-68", "2568-02-15" or "2025-02-15", Thai digits
    too.

    Day-month-year input takes its year as BE (2 digits mean 25xx). Year-first (ISO order)
    input takes a year from 2400 as BE and one from 1900 to 2399 as CE: an officer writes
    2568-09-30 and means 30 September 2025, never the year 2568 CE.
    Returns None for empty text; raises ValueError for text that is not a date.
    """
    text = arabic_digits(text or "").strip()
    if not text:
        return None
    iso = _ISO_RE.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return _calendar_date(_typed_year(year, text), month, day, year)
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2500
    if year not in BE_YEARS:
        raise ValueError(text)
    return _calendar_date(ce_year(year), month, day, year)


def parse_month(text: str) -> tuple[int, int]:
    """A typed month → (CE year, month): "2568-09", "2025-09", "09/2568", "๒๕๖๘-๐๙". The year
    is read as in ``parse_date``'s year-first form (from 2400: BE). ValueError otherwise."""
    cleaned = arabic_digits(text or "").strip()
    match = _MONTH_RE.match(cleaned)
    if not match:
        raise ValueError(text)
    year_text, month_text = (
        (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    )
    year, month = _typed_year(int(year_text), text), int(month_text)
    if not 1 <= month <= 12:
        raise ValueError(text)
    return year, month


_TIME_RE = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*(?:น\.?|นาฬิกา)?\s*$")


def parse_time(text: str) -> dt.time:
    """A typed time of day: "09:30", "9.30", "09.30 น." (as the screens show a time), Thai
    digits too. ValueError otherwise."""
    match = _TIME_RE.match(arabic_digits(text or ""))
    if not match:
        raise ValueError(text)
    return dt.time(int(match.group(1)), int(match.group(2)))


def read_date(text: str) -> tuple[dt.date | None, int | None]:
    """What the entry screens read from a typed date: like ``parse_date``, but a day/month/year
    with a Christian-era year ("16/1/2025") is that CE date instead of an error. Returns the
    date and the CE year that was converted (None when the year was BE), so that the screen
    can say what it did. Raises ValueError for text that is not a date."""
    try:
        return parse_date(text), None
    except ValueError:
        match = _DATE_RE.match(arabic_digits(text or "").strip())
        if not match or len(match.group(3)) != 4 or int(match.group(3)) not in CE_YEARS:
            raise
        day, month, year = (int(g) for g in match.groups())
        return _calendar_date(year, month, day, year), year


# A month as written after a day in the year: its Thai name or abbreviation (dots and spaces
# optional: "ก.ย.", "กย"), or its English one; "เดือน" may come before it.
_MONTH_NAMES = {
    re.sub(r"[.\s]", "", name).lower(): number
    for names in (MONTHS_FULL, MONTHS_ABBR, MONTHS_EN_FULL, MONTHS_EN_ABBR)
    for number, name in enumerate(names, start=1)
}
_DAY_AND_MONTH_RE = re.compile(r"^\s*(?:วันที่\s*)?(\d{1,2})\s*(?:/\s*(\d{1,2})|(.+?))\s*$")
# The most days each month has (February in a leap year).
LONGEST_MONTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_day_and_month(text: str) -> tuple[int, int]:
    """A day in the year as an officer writes it → (day, month): "30 กันยายน", "30 ก.ย.",
    "๓๐ ก.ย.", "วันที่ 30 เดือนกันยายน", "30/9", "30 September". The day is read as 1–31
    whatever the month (``LONGEST_MONTHS`` says which a month has). ValueError otherwise."""
    match = _DAY_AND_MONTH_RE.match(arabic_digits(text or ""))
    if not match:
        raise ValueError(text)
    day = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
    else:
        name = re.sub(r"[.\s]", "", match.group(3)).lower().removeprefix("เดือน")
        month = _MONTH_NAMES.get(name, 0)
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise ValueError(text)
    return day, month


def day_and_month_problem(day: int, month: int) -> str | None:
    """Why a day in every year (a deadline fixed in the fiscal year) cannot be ``day``
    ``month`` (1–31, 1–12), in the interface's language, or None: a day the month never has
    (30 February, 31 April). 29 February is a day the month has: it exists in leap years,
    and the deadline engine takes 28 February in the others (``deadlines.rules``), as a
    monthly rule's 31st is a shorter month's last day."""
    last = LONGEST_MONTHS[month - 1]
    if day <= last:
        return None
    return _("{month} has no day {day}: write a day from 1 to {last}.").format(
        month=month_name(month), day=day, last=last
    )


def format_day_and_month(day: int, month: int, *, thai: bool | None = None) -> str:
    """A day in the year: "30 กันยายน" ("30 September" in the English interface)."""
    thai = _thai_ui() if thai is None else thai
    return f"{day} {(MONTHS_FULL if thai else MONTHS_EN_FULL)[month - 1]}"


def month_name(month: int, *, thai: bool | None = None) -> str:
    """The full name of a month (1–12) in the interface's language."""
    thai = _thai_ui() if thai is None else thai
    return (MONTHS_FULL if thai else MONTHS_EN_FULL)[month - 1]


def _quantize(value: Decimal | float | int, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(
    value: Decimal | float | int | None, places: int = 0, *, digits: str = "arabic"
) -> str:
    if value is None:
        return ""
    text = f"{_quantize(value, places):,.{places}f}"
    return thai_digits(text) if digits == "thai" else text


def format_money(
    value: Decimal | float | int | None, *, unit: bool = True, digits: str = "arabic"
) -> str:
    """Baht with two decimals: "12,500.00 บาท"."""
    if value is None:
        return ""
    text = format_number(value, 2, digits=digits)
    if unit:
        text += " บาท" if _thai_ui() else " THB"
    return text


# A percentage in a printed document is written "ร้อยละ": Thai official writing spells the
# word (the plans' own texts say "ไม่น้อยกว่าร้อยละ ๘๐", "ร้อยละของครัวเรือน…", F4's row
# "ร้อยละของ อปท. ทั้งหมด"); "%" is the screen's short form of a unit.
PERCENT_WORD = "ร้อยละ"


def document_unit(unit: str) -> str:
    """A unit as a printed document writes it: "%" is "ร้อยละ", any other as given."""
    return PERCENT_WORD if unit.strip() == "%" else unit


_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def parse_number(text: str) -> Decimal | None:
    """Reads "12,500.50", "๑๒,๕๐๐", "12500 บาท"; None when empty; ValueError when not a number.

    Commas must group thousands: "1,000,00" (a slip for 1,000.00) and "12,50" (a decimal
    comma) are not numbers, rather than 100,000.00 and 1,250 read without a word."""
    cleaned = arabic_digits(text or "").replace("บาท", "").replace("฿", "").strip()
    if "," in cleaned:
        if not _GROUPED.fullmatch(cleaned):
            raise ValueError(text)
        cleaned = cleaned.replace(",", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except Exception as exc:  # decimal.InvalidOperation
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


# ---- fiscal year -------------------------------------------------------------------------


def today() -> dt.date:
    """Today: the one day the deadlines, the fiscal year shown, Home's "วันนี้" and the reports'
    "ข้อมูล ณ วันที่" are of. ``LEV_TODAY=YYYY-MM-DD`` pins it (demos, screenshots, support)."""
    pinned = os.environ.get("LEV_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()


def fiscal_year(value: dt.date) -> int:
    """The Thai fiscal year (BE) a date belongs to: 1 Oct 2024 → 2568."""
    return be_year(value) + (1 if value.month >= 10 else 0)


def fiscal_year_range(fy_be: int) -> tuple[dt.date, dt.date]:
    """ปีงบประมาณ 2568 → (2024-10-01, 2025-09-30)."""
    end_year = ce_year(fy_be)
    return dt.date(end_year - 1, 10, 1), dt.date(end_year, 9, 30)


def fiscal_year_label(fy_be: int, *, digits: str = "arabic") -> str:
    text = f"ปีงบประมาณ พ.ศ. {fy_be}" if _thai_ui() else f"Fiscal year {fy_be} BE"
    return thai_digits(text) if digits == "thai" else text


def fiscal_months(fy_be: int) -> list[tuple[int, int]]:
    """(year, month) pairs Oct → Sep of a fiscal year, Gregorian."""
    start, _end = fiscal_year_range(fy_be)
    months = []
    year, month = start.year, start.month
    for _month in range(12):
        months.append((year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return months


# ---- reporting periods -------------------------------------------------------------------

ONCE_PERIOD = "ONCE"  # the period of a one-off questionnaire (P3), as forms and deadlines store it


def parse_period(text: str) -> str:
    """A typed period → its stored code, the inverse of ``format_period``: "FY2568", "2568",
    "ปีงบประมาณ 2568" → "FY2568"; a month "2568-07" (BE), "2025-07", "07/2568" → "2025-07";
    "once", "ครั้งเดียว" → "ONCE". Thai digits read as Arabic ones (the code is stored in Arabic
    digits, as every other period). ValueError otherwise."""
    value = arabic_digits(text or "").strip().upper()
    if value in (ONCE_PERIOD, "ครั้งเดียว"):
        return ONCE_PERIOD
    for prefix in ("FY", "ปีงบประมาณ", "พ.ศ."):
        value = value.removeprefix(prefix).strip()
    if value.isascii() and value.isdigit() and len(value) == 4 and int(value) > 2400:
        return f"FY{value}"
    year, month = parse_month(value)  # ValueError when it is not a month either
    return f"{year:04d}-{month:02d}"


def format_period(period: str, *, digits: str = "arabic") -> str:
    """How a form's period reads: "FY2568" → "ปีงบประมาณ พ.ศ. 2568", "2025-07" → "กรกฎาคม 2568",
    a reporting round "2025-09-15" → "15 ก.ย. 2568", "ONCE" → "รายงานครั้งเดียว"."""
    if period == ONCE_PERIOD:
        return _("One-off report")
    if period.startswith("FY") and period[2:].isdigit():
        return fiscal_year_label(int(period[2:]), digits=digits)
    try:
        if len(period) == 7:
            return format_date(dt.date.fromisoformat(period + "-01"), "month", digits=digits)
        return format_date(dt.date.fromisoformat(period), "short", digits=digits)
    except ValueError:
        return period
