import datetime as dt
from decimal import Decimal

import pytest

from lev_desktop import i18n
from lev_desktop.thai_format import (
    NoSuchDay,
    be_year,
    date_refusal,
    fiscal_months,
    fiscal_year,
    fiscal_year_range,
    format_date,
    format_date_range,
    format_money,
    format_number,
    parse_date,
    parse_day_and_month,
    parse_month,
    parse_number,
    parse_time,
    read_date,
    thai_digits,
)


def test_be_year_is_gregorian_plus_543():
    assert be_year(dt.date(2025, 2, 15)) == 2568
    assert be_year(2024) == 2567


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 9, 30), 2567),  # last day of FY2567
        (dt.date(2024, 10, 1), 2568),  # first day of FY2568
        (dt.date(2024, 12, 31), 2568),  # calendar year 2567 → 2568 change inside the FY
        (dt.date(2025, 1, 1), 2568),
        (dt.date(2025, 9, 30), 2568),
        (dt.date(2025, 10, 1), 2569),
        (dt.date(2024, 2, 29), 2567),  # leap day
    ],
)
def test_fiscal_year_edges(day, expected):
    assert fiscal_year(day) == expected


def test_fiscal_year_range_and_months():
    assert fiscal_year_range(2568) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    months = fiscal_months(2568)
    assert months[0] == (2024, 10) and months[-1] == (2025, 9) and len(months) == 12


def test_dates_print_buddhist_era_years():
    day = dt.date(2025, 2, 15)
    assert format_date(day, "short") == "15 ก.พ. 2568"
    assert format_date(day, "long") == "15 กุมภาพันธ์ 2568"
    assert format_date(day, "long", digits="thai") == "๑๕ กุมภาพันธ์ ๒๕๖๘"
    assert format_date(day, "full") == "วันเสาร์ที่ 15 กุมภาพันธ์ 2568"
    assert format_date(day, "numeric") == "15/02/2568"
    assert "ค.ศ." not in format_date(day, "full")


def test_year_change_2567_to_2568_and_leap_day():
    assert format_date(dt.date(2024, 12, 31), "short") == "31 ธ.ค. 2567"
    assert format_date(dt.date(2025, 1, 1), "short") == "1 ม.ค. 2568"
    assert format_date(dt.date(2024, 2, 29), "long", digits="thai") == "๒๙ กุมภาพันธ์ ๒๕๖๗"


def test_english_interface_still_uses_be_years():
    i18n.install("en")
    assert format_date(dt.date(2025, 2, 15), "short") == "15 Feb 2568"


def test_date_range():
    assert format_date_range(dt.date(2025, 2, 1), dt.date(2025, 2, 15)) == "1–15 ก.พ. 2568"
    assert (
        format_date_range(dt.date(2024, 11, 7), dt.date(2024, 11, 22), digits="thai")
        == "๗–๒๒ พ.ย. ๒๕๖๗"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/02/2568", dt.date(2025, 2, 15)),
        ("15/2/68", dt.date(2025, 2, 15)),
        ("๑๕/๐๒/๒๕๖๘", dt.date(2025, 2, 15)),
        ("29/02/2567", dt.date(2024, 2, 29)),
        ("2025-02-15", dt.date(2025, 2, 15)),
        # Year first with a BE year, as an officer writes it: never the year 2568 CE.
        ("2568-02-15", dt.date(2025, 2, 15)),
        ("๒๕๖๘-๐๒-๑๕", dt.date(2025, 2, 15)),
        ("2567-02-29", dt.date(2024, 2, 29)),  # (2567 CE has no 29 February; 2024 has)
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2568-09", (2025, 9)),
        ("2025-09", (2025, 9)),
        ("09/2568", (2025, 9)),
        ("9/2568", (2025, 9)),
        ("๒๕๖๘-๐๙", (2025, 9)),
    ],
)
def test_parse_month(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["2568-13", "68-09", "3111-01", "1800-01", "2568", "ก.ย. 2568"])
def test_parse_month_rejects(text):
    with pytest.raises(ValueError):
        parse_month(text)


@pytest.mark.parametrize(
    "text", ["29/02/2568", "31/04/2568", "15/02/2025", "tomorrow", "2568-02-30", "1800-01-01"]
)
def test_parse_date_rejects(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_a_day_the_calendar_lacks_is_named_not_blamed_on_the_writing():
    # clerk12: "31/02/2568" was refused with "write it as day/month/BE year", which it was
    with pytest.raises(NoSuchDay) as caught:
        parse_date("31/02/2568")
    assert date_refusal(caught.value) == "ไม่มีวันที่ 31 กุมภาพันธ์ 2568: เดือนกุมภาพันธ์ 2568 มี 28 วัน"
    with pytest.raises(NoSuchDay) as caught:
        read_date("29/02/2025")  # a Christian-era year, converted, and not a leap year
    assert date_refusal(caught.value) == "ไม่มีวันที่ 29 กุมภาพันธ์ 2025: เดือนกุมภาพันธ์ 2025 มี 28 วัน"
    with pytest.raises(NoSuchDay) as caught:
        parse_date("15/13/2568")
    assert date_refusal(caught.value) == "ไม่มีเดือนที่ 13: เดือนมีตั้งแต่ 1 ถึง 12"
    assert parse_date("29/02/2567") == dt.date(2024, 2, 29)  # a leap year
    with pytest.raises(ValueError) as caught:
        parse_date("tomorrow")
    assert date_refusal(caught.value) == "โปรดกรอกวันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 15/02/2568"
    i18n.install("en")
    with pytest.raises(NoSuchDay) as caught:
        parse_date("31/04/2568")
    assert str(caught.value) == "There is no 31 April 2568: April 2568 has 30 days."


def test_money_and_numbers():
    assert format_money(12500) == "12,500.00 บาท"
    assert format_money(Decimal("1234.555")) == "1,234.56 บาท"
    assert format_money(0.5, digits="thai") == "๐.๕๐ บาท"
    assert format_number(1234567) == "1,234,567"
    assert parse_number("๑๒,๕๐๐.๕๐ บาท") == Decimal("12500.50")
    assert parse_number("") is None
    with pytest.raises(ValueError):
        parse_number("abc")
    with pytest.raises(ValueError):
        parse_number("nan")
    assert parse_number("1,000,000") == Decimal(1000000)
    assert parse_number("-1,234.5") == Decimal("-1234.5")


@pytest.mark.parametrize("slip", ["1,000,00", "12,50", "1,0000", ",500", "1,,000"])
def test_a_comma_that_does_not_group_thousands_is_not_read_as_one(slip):
    """ "1,000,00" (a slip for 1,000.00) was read as 100,000.00, and "12,50" (a decimal comma)
    as 1,250: a budget off by a hundred times, without a word. Now not a number: the editor
    says so and the officer types it again."""
    with pytest.raises(ValueError):
        parse_number(slip)


def test_thai_digits():
    assert thai_digits("2568-09-30") == "๒๕๖๘-๐๙-๓๐"


def test_the_short_digit_pattern_is_used_only_where_the_long_one_finds_nothing_more():
    """``document_digits`` reads a text without a slash, a file extension or two groups of four
    hex digits with the short pattern (twice as fast): the same answer as
    the whole pattern, on texts made of the pieces each rule looks for."""
    import random

    from lev_desktop import thai_format as tf

    def whole(text: str) -> str:
        out, prev = [], 0
        for m in tf._KEEP_MORE.finditer(text):
            out.append(tf.thai_digits(text[prev : m.start()]))
            out.append(m.group())
            prev = m.end()
        return "".join([*out, tf.thai_digits(text[prev:])])

    rng = random.Random(2568)
    pieces = [*"0123456789๐๑๒ABCDEFabx /\\.:-_กขำ่\n", ".pdf", ".levpkg", "C:\\", "\\\\srv\\"]
    pieces += ["/home/", "3F2A ", "9120 ", "http://a.b/", "x@y.co", "P1", "2568", ".db", "ก.พ. "]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert tf.document_digits(text, "thai") == whole(text), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", dt.time(9, 30)),
        ("9.30", dt.time(9, 30)),
        ("10:15 น.", dt.time(10, 15)),  # as the letter register shows it
        ("๑๐.๑๕ น.", dt.time(10, 15)),
        ("14.00 นาฬิกา", dt.time(14, 0)),
    ],
)
def test_parse_time(text, expected):
    """The letter register showed "10:15 น." and refused "10.15 น." typed back."""
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9", "9.5", "ten", ""])
def test_parse_time_rejects(text):
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 กันยายน", (30, 9)),
        ("30 ก.ย.", (30, 9)),
        ("๓๐ ก.ย.", (30, 9)),
        ("30กย", (30, 9)),
        ("วันที่ 30 เดือนกันยายน", (30, 9)),
        ("30/9", (30, 9)),
        ("30 September", (30, 9)),
        ("1 ม.ค.", (1, 1)),
        ("30 กุมภาพันธ์", (30, 2)),  # a day 1-31: whether the month has it is LONGEST_MONTHS'
    ],
)
def test_a_day_in_the_year_is_read_as_an_officer_writes_it(text, expected):
    assert parse_day_and_month(text) == expected


@pytest.mark.parametrize("text", ["", "30", "ก.ย.", "30 กุม", "32 ก.ย.", "0 ม.ค.", "30/13"])
def test_what_is_not_a_day_in_the_year_is_refused(text):
    with pytest.raises(ValueError):
        parse_day_and_month(text)
