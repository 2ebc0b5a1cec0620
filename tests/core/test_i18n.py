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
