"""Thai is the default language and every interface string has a Thai translation."""

from lev_desktop import i18n
from lev_desktop.i18n_tools import extract, missing


def test_every_marked_string_has_a_thai_translation():
    todo = missing("th")
    listing = "\n".join(f"{where[0][0]}:{where[0][1]}: {msgid}" for msgid, where in todo.items())
    assert not todo, f"{len(todo)} strings without Thai translation:\n{listing}"


def test_extraction_finds_the_interface_strings():
    messages = extract()
    assert "Home" in messages and "Please enter a number" in messages


def test_thai_is_the_default_and_english_is_available():
    assert i18n.install() == "th"
    assert i18n._("Home") == "หน้าหลัก"
    i18n.install("en")
    assert i18n._("Home") == "Home"
    i18n.install("th")


def test_domain_labels_follow_the_language():
    from lev_desktop.domain.offices import LaoType

    assert LaoType.SAO.label == "องค์การบริหารส่วนตำบล"
    assert LaoType.SAO.abbreviation == "อบต."


def test_a_string_has_one_thai_translation_across_catalogues():
    """Catalogues are chained; a msgid translated differently in two would show only one."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    from lev_desktop.i18n import locale_dir

    seen: dict[str, dict[str, str]] = {}
    for po in sorted(Path(locale_dir(), "th", "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle, locale="th"):
                if message.id and message.string:
                    seen.setdefault(message.id, {})[po.stem] = message.string
    clashes = {k: v for k, v in seen.items() if len(set(v.values())) > 1}
    assert not clashes, clashes


def test_navigation_labels_are_the_official_thai_names():
    from ui.screens import SCREENS

    assert [i18n._(entry.title) for entry in SCREENS] == [
        "หน้าหลัก",
        "แผนปฏิบัติงาน",
        "กิจกรรมและผลการดำเนินงาน",
        "ตัวชี้วัด",
        "ปฏิทินกำหนดส่ง",
        "รายงาน",
        "แลกเปลี่ยนข้อมูล",
        "ตั้งค่า",
    ]


def test_no_dead_strings_in_the_catalogues():
    from lev_desktop.i18n_tools import dead

    assert dead("th") == {}


def test_the_interface_words_are_written_with_arabic_digits():
    """The catalogues are the interface in its default digits; Thai-digit mode converts what is
    shown (``ui.digits``). A translation with Thai digits leaked them into the Arabic-digit
    interface wherever its text was not drawn through ``digits.shown``: the KPI form's message
    "จำนวนเงินบาทมีทศนิยมได้ไม่เกิน ๒ ตำแหน่ง" beside "12,500.505". Thai digits stay only where
    the English has them too: the texts about Thai digits and the example letter number."""
    import re

    from babel.messages.pofile import read_po

    from lev_desktop.i18n import locale_dir

    thai_digit = re.compile("[\u0e50-\u0e59]")
    found = []
    for po in sorted((locale_dir() / "th" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle, locale="th"):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                texts = message.string if isinstance(message.string, tuple) else (message.string,)
                if any(thai_digit.search(t or "") for t in texts) and not any(
                    thai_digit.search(i or "") for i in ids
                ):
                    found.append((po.name, ids[0]))
    assert found == []


def test_a_count_reads_right_in_both_languages():
    """English said "1 older overdue deadlines are in the calendar." on Home (and "1 LAOs",
    "1 rows added."): a count is said with ``ngettext``. The catalogues keep the singular
    msgid only, and Thai has one form: its translation for every count (gettext's own
    ``ngettext`` would look for plural entries and show the English in Thai)."""
    singular = "{n} older overdue deadline is in the calendar."
    plural = "{n} older overdue deadlines are in the calendar."
    try:
        i18n.install("en")
        assert [i18n.ngettext(singular, plural, n).format(n=n) for n in (1, 2)] == [
            "1 older overdue deadline is in the calendar.",
            "2 older overdue deadlines are in the calendar.",
        ]
        i18n.install("th")
        assert [i18n.ngettext(singular, plural, n).format(n=n) for n in (1, 2)] == [
            "ยังมีกำหนดส่งที่เกินกำหนดก่อนหน้านี้อีก 1 รายการ ดูได้ในปฏิทินกำหนดส่ง",
            "ยังมีกำหนดส่งที่เกินกำหนดก่อนหน้านี้อีก 2 รายการ ดูได้ในปฏิทินกำหนดส่ง",
        ]
    finally:
        i18n.install("th")
