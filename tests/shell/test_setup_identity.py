"""Office identity at setup (issue 12): an LAO types its own official code or picks itself from
the district's LAO list; the wizard never proposes a code, checks the code's shape and never
accepts a code another office has."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QInputDialog

from lev_desktop.domain.offices import Level, lao_code_problem
from lev_desktop.services.offices import SetupError, add_laos, get_office, initialise
from ui.thai_wrap import plain


def _type(widget, text: str) -> None:
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


@pytest.fixture
def wizard_at_office_page(qtbot, empty_store, make_ctx):
    from ui.setup_wizard import SetupWizard

    ctx = make_ctx(empty_store, fiscal_year=None)
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.level_page.buttons[Level.LAO].setChecked(True)
    wizard.next()
    wizard.place_page.set_place("48", "4801")
    _type(wizard.place_page.lao_name, "องค์การบริหารส่วนตำบลหนองแสง")
    wizard.next()
    qtbot.waitUntil(lambda: not ctx.runner.active, timeout=5000)
    return wizard, ctx


def test_code_shape():
    assert lao_code_problem("6480106") is None
    assert lao_code_problem("๖๔๘๐๑๐๖") is None
    assert lao_code_problem("648 0106") is None
    for wrong in ("4801", "64801061", "D4801", "abcdefg", "0000000"):
        assert lao_code_problem(wrong), wrong
    assert lao_code_problem("") == "โปรดกรอกรหัส อปท."


def test_two_laos_of_a_district_are_never_offered_the_same_code(qtbot, empty_store):
    """The wizard proposed "<district>001" to every LAO of a district (issue 12)."""
    from lev_desktop.domain.offices import LaoType
    from ui.setup_wizard import proposed_office

    one = proposed_office(Level.LAO, "48", "4801", LaoType.SAO, "อบต.หนองแสง")
    two = proposed_office(Level.LAO, "48", "4801", LaoType.SAO, "อบต.กุรุคุ")
    assert one["code"] == two["code"] == ""


def test_a_code_another_office_has_is_refused(qtbot, empty_store, wizard_at_office_page):
    wizard, _ctx = wizard_at_office_page
    page = wizard.office_page
    # the database already knows 4801001 (e.g. from the demo district's list)
    add_laos(
        empty_store,
        [
            {
                "code": "4801001",
                "name": "เทศบาลเมืองนครพนม",
                "lao_type": "town_municipality",
                "district_code": "4801",
            }
        ],
    )
    page.initializePage()
    qtbot.waitUntil(lambda: "4801001" in page.taken, timeout=5000)
    _type(page.code, "4801001")
    assert plain(page.code_problem.text()) == (
        "รหัส 4801001 เป็นของ เทศบาลเมืองนครพนม แล้ว: โปรดตรวจสอบรหัส"
    )
    assert not page.isComplete()
    assert not wizard.button(wizard.WizardButton.FinishButton).isEnabled()
    # the core refuses it too (the command line, a second way in)
    with pytest.raises(SetupError, match="เทศบาลเมืองนครพนม"):
        initialise(
            empty_store,
            level="lao",
            code="4801001",
            name="องค์การบริหารส่วนตำบลหนองแสง",
            lao_type="sao",
            district_code="4801",
        )
    assert empty_store.office_code is None


def test_the_district_list_is_the_reference(qtbot, empty_store, wizard_at_office_page, tmp_path):
    wizard, _ctx = wizard_at_office_page
    page = wizard.office_page
    path = tmp_path / "รายชื่อ อปท. อำเภอเมืองนครพนม.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["รหัส อปท.", "ชื่อ อปท.", "ประเภท", "อำเภอ"])
    sheet.append(["5480101", "เทศบาลตำบลหนองญาติ", "ทต.", "เมืองนครพนม"])
    sheet.append(["6480106", "องค์การบริหารส่วนตำบลหนองแสง", "อบต.", "เมืองนครพนม"])
    book.save(path)

    def pick() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog)), None
        )
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, pick)
            return
        combo = dialog.findChild(type(wizard.place_page.lao_type))
        # the office typed on the page before is already chosen; Enter takes it
        assert combo.currentText() == "องค์การบริหารส่วนตำบลหนองแสง (6480106)"
        qtbot.keyClick(combo, Qt.Key.Key_Return)

    QTimer.singleShot(0, pick)
    page.choose_list(str(path))
    qtbot.waitUntil(lambda: plain(page.code.text()) == "6480106", timeout=10000)
    assert plain(page.name.text()) == "องค์การบริหารส่วนตำบลหนองแสง"
    assert page.isComplete()
    # a code that is not in the list is refused while the list is the reference
    page.code.clear()
    _type(page.code, "6480199")
    assert "ไม่อยู่ในรายชื่อ อปท. ของอำเภอ" in plain(page.code_problem.text())
    assert not page.isComplete()
    page.code.clear()
    _type(page.code, "6480106")
    with qtbot.waitSignal(wizard.finished, timeout=10000):
        wizard.accept()
    office = get_office(empty_store, "6480106")
    assert office.name == "องค์การบริหารส่วนตำบลหนองแสง" and office.parent_code == "D4801"


def test_a_district_adds_an_lao_by_its_official_code(qtbot, demo_store):
    """The LAO dialog numbered a new LAO itself ("empty: the next free number of the district"),
    the same made-up "<district>NNN" an LAO's own setup proposed. It asks for the LAO's own
    code now, checks its shape and refuses one another office has."""
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.settings.laos import LaoDialog

    taken = {"4801001": "เทศบาลเมืองนครพนม"}
    dialog = LaoDialog("48", None, None, taken=taken)
    qtbot.addWidget(dialog)
    dialog.show()
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    _type(dialog.name, "องค์การบริหารส่วนตำบลนาราชควาย")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0 and plain(dialog.message.text()) == "โปรดกรอกรหัส อปท."
    _type(dialog.code, "4801001")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert (
        "เทศบาลเมืองนครพนม" in plain(dialog.message.text())
        and plain(dialog.code.text()) == "4801001"
    )
    dialog.code.clear()
    _type(dialog.code, "๕๔๘๐๑๐๓")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    assert dialog.values()["code"] == "5480103"


def test_a_code_of_another_district_is_refused_at_setup(qtbot, empty_store, wizard_at_office_page):
    """The wizard accepted an LAO code of another district (6480299 for district 4801), and the
    district then refused the LAO's first package at import. The wizard and the core now apply
    the district's own rule."""
    wizard, _ctx = wizard_at_office_page
    page = wizard.office_page
    _type(page.code, "6480299")
    assert plain(page.code_problem.text()) == (
        "รหัส อปท. 6480299 ไม่ใช่รหัสของ อปท. ในอำเภอที่ระบุ (4801)"
    )
    assert not page.isComplete()
    page.code.clear()
    _type(page.code, "6480199")  # type digit, then province 48, district 01: this district's
    assert plain(page.code_problem.text()) == ""
    with pytest.raises(SetupError, match="6480299"):
        initialise(
            empty_store,
            level="lao",
            code="6480299",
            name="องค์การบริหารส่วนตำบลหนองแสง",
            lao_type="sao",
            district_code="4801",
        )
    assert empty_store.office_code is None


def test_a_provincial_lao_is_judged_by_its_province():
    """An อบจ. covers its whole province: a district it names (where its office sits) does not
    make its province-wide code "another district's"."""
    from lev_desktop.domain.validation import office_identity_problem

    pao = {"code": "6480001", "level": "lao", "lao_type": "pao", "province_code": "48"}
    assert office_identity_problem({**pao, "district_code": "4801"}) is None
    assert office_identity_problem({**pao, "province_code": "47", "district_code": "4701"})
    sao = {"code": "6480001", "level": "lao", "lao_type": "sao", "province_code": "48"}
    assert office_identity_problem({**sao, "district_code": "4802"})


@pytest.mark.parametrize(
    ("name", "officer", "message"),
    [
        ("อบต.หนองแสง\u202e", "", "ชื่อหน่วยงาน: มีอักขระที่ไม่ใช่ข้อความ"),
        ("อบต.หนองแสง", "นางสาวสมใจ\x1b ใจดี", "ชื่อผู้ใช้งาน: มีอักขระที่ไม่ใช่ข้อความ"),
    ],
    ids=["direction-control-in-the-name", "escape-in-the-officer"],
)
def test_setup_refuses_what_the_district_would_refuse(empty_store, name, officer, message):
    """The office's name travels in every package, the officer's name as every record's
    "changed by": refused at setup (wizard and `lev init`) in Thai, nothing recorded."""
    with pytest.raises(SetupError) as refused:
        initialise(
            empty_store,
            level="lao",
            code="4801006",
            name=name,
            lao_type="sao",
            parent="D4801",
            district_code="4801",
            officer=officer,
        )
    assert str(refused.value) == message
    assert empty_store.office_code in (None, "")
    assert get_office(empty_store, "4801006") is None
