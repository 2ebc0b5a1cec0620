"""Programmes: the directive letter and the obligations of each, new programmes from a
template, and editing of the letter's fields."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.changes import Changes
from lev_desktop.domain.offices import LEVEL_SHORT, LaoType, Level
from lev_desktop.domain.validation import RULE_DATE_KEYS, RULE_DATES
from lev_desktop.i18n import N_, _
from lev_desktop.thai_format import (
    MONTHS_FULL,
    arabic_digits,
    day_and_month_problem,
    format_date,
    format_day_and_month,
    parse_day_and_month,
)
from ui import digits, thai_wrap
from ui.context import AppContext
from ui.settings.common import fit_columns, inform, make_table, save_cancel, warn
from ui.settings.models import ProgrammeTableModel
from ui.status_palette import REFUSED
from ui.widgets.date_edit import BEDateEdit


def _date(text: str | None) -> str:
    if not text:
        return ""
    try:
        return format_date(dt.date.fromisoformat(text), "long")
    except ValueError:
        return text


def describe_rule(rule: dict[str, Any]) -> str:
    """A deadline rule in words: "by 31 ธันวาคม 2567", "every 1st of the month from …"."""
    kind = rule.get("type")
    if kind == "once":
        return _("by {date}").format(date=_date(rule.get("date")))
    if kind == "window":
        return _("from {start} to {end}").format(
            start=_date(rule.get("start")), end=_date(rule.get("end"))
        )
    if kind == "event":
        return _("on {date} at {time}").format(
            date=_date(rule.get("date")), time=rule.get("time", "")
        )
    if kind in ("monthly", "monthly_following", "days_of_month"):
        if kind == "monthly":
            text = _("on day {day} of every month").format(day=rule.get("day"))
        elif kind == "monthly_following":
            text = _("by day {day} of the month after each month").format(day=rule.get("day"))
        else:
            text = _("on days {days} of every month").format(
                days=_(" and ").join(str(d) for d in rule.get("days", []))
            )
        text += ", " + _("starting {date}").format(date=_date(rule.get("first")))
        if rule.get("until"):
            text += ", " + _("until {date}").format(date=_date(rule.get("until")))
        if rule.get("until_all_reported"):
            text += ", " + _("until every LAO has reported")
        return text
    if kind == "fiscal_year":
        month = int(rule.get("month", 9))
        day, month_name = rule.get("day"), MONTHS_FULL[month - 1] if 1 <= month <= 12 else month
        offset = _offset_years(rule)
        if offset == 0:
            return _("by {day} {month} of the fiscal year").format(day=day, month=month_name)
        return _("by {day} {month} of {year}").format(
            day=day, month=month_name, year=fiscal_year_words(offset)
        )
    return _("rule {kind}").format(kind=kind)


def _offset_years(rule: dict[str, Any]) -> int:
    """A ``fiscal_year`` rule's years after the programme's fiscal year (0: that year)."""
    try:
        return int(rule.get("offset_years", 0))
    except (TypeError, ValueError):
        return 0


def fiscal_year_words(offset: int) -> str:
    """Which fiscal year a ``fiscal_year`` rule's day falls in, ``offset`` years from the
    programme's own (``deadlines.rules``: ``offset_years``), as the deadline dialog offers it
    and the programme's page describes it."""
    if offset == 0:
        return _("the programme's fiscal year")
    if offset == 1:
        return _("the following fiscal year")
    if offset == -1:
        return _("the fiscal year before")
    if offset > 0:
        return _("the fiscal year {n} years after the programme's").format(n=offset)
    return _("the fiscal year {n} years before the programme's").format(n=-offset)


def _sends_to(value: str | None) -> str:
    if value is None:
        return _("nothing is sent")
    if value == "route":
        return _("the district (เทศบาลตำบล, อบต.) or the province (the others)")
    try:
        return Level(value).label
    except ValueError:
        return value


def programme_html(programme) -> str:
    e = html.escape
    letter = programme.letter or {}
    parts = [f"<h3>{e(programme.name)}</h3>"]
    rows = [
        (_("Letter no."), letter.get("number", "")),
        (_("Dated"), _date(letter.get("date"))),
        (_("Subject"), letter.get("subject", "")),
        (_("From"), letter.get("from_org", "")),
        (_("To"), letter.get("addressee", "")),
        (
            _("Contact"),
            " ".join(
                filter(
                    None,
                    [
                        letter.get("contact", ""),
                        _("tel. {phone}").format(phone=letter["phone"])
                        if letter.get("phone")
                        else "",
                    ],
                )
            ),
        ),
    ]
    parts.append("<table cellpadding='3'>")
    for label, value in rows:
        parts.append(f"<tr><td><b>{e(label)}</b></td><td>{e(str(value))}</td></tr>")
    parts.append("</table>")
    obligations = (programme.spec or {}).get("obligations", [])
    # outside the f-strings: the catalogue tools do not read inside them
    heading = _("Obligations")
    none_yet = _("This programme has no obligations.")
    parts.append(f"<h4>{e(heading)}</h4>")
    if not obligations:
        parts.append(f"<p>{e(none_yet)}</p>")
    else:
        parts.append("<table border='1' cellspacing='0' cellpadding='4' width='100%'>")
        parts.append(
            "<tr>"
            + "".join(
                f"<th align='left'>{e(h)}</th>"
                for h in (_("Who"), _("What"), _("Due"), _("Sent to"))
            )
            + "</tr>"
        )
        for item in obligations:
            try:
                who = _(LEVEL_SHORT[Level(item.get("level", ""))])
            except ValueError:
                who = item.get("level", "")
            if item.get("lao_types"):
                who += " (" + ", ".join(LaoType(t).abbreviation for t in item["lao_types"]) + ")"
            parts.append(
                "<tr>"
                + "".join(
                    f"<td>{e(str(v))}</td>"
                    for v in (
                        who,
                        item.get("title", ""),
                        describe_rule(item.get("rule", {})),
                        _sends_to(item.get("sends_to")),
                    )
                )
                + "</tr>"
            )
        parts.append("</table>")
    return "".join(parts)


class CreateProgrammeDialog(QDialog):
    def __init__(self, programmes: list, fiscal_year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Create a programme from a template"))
        form = QFormLayout(self)
        self.template = QComboBox()
        for programme in programmes:
            self.template.addItem(digits.programme_label(programme), programme.code)
        self.template.setMinimumWidth(460)
        form.addRow(_("Template"), self.template)
        self.year = digits.SpinBox()
        self.year.setRange(2560, 2700)
        self.year.setValue(fiscal_year)
        form.addRow(_("Fiscal year (BE)"), self.year)
        self.code = QLineEdit()
        form.addRow(_("Code of the new programme"), self.code)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("empty: the template's name"))
        form.addRow(_("Name"), self.name)
        hint = QLabel(
            _(
                "The new programme has the template's forms, obligations and indicators; its "
                "deadlines are the template's, moved to the fiscal year chosen above."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form.addRow(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.template.currentIndexChanged.connect(self._propose)
        self.year.valueChanged.connect(self._propose)
        self._propose()

    def _propose(self) -> None:
        base = (self.template.currentData() or "P").split("-")[0]
        self.code.setText(f"{base}-{self.year.value()}")

    def values(self) -> dict:
        return {
            "template": self.template.currentData(),
            "code": self.code.text().strip(),
            "name": self.name.text().strip() or None,
            "fiscal_year": self.year.value(),
        }


class LetterFieldsDialog(QDialog):
    """The directive letter of a programme: number, date (BE), subject, from, contact."""

    FIELDS = (
        ("number", N_("Letter no.")),
        ("date", N_("Dated")),
        ("subject", N_("Subject")),
        ("from_org", N_("From")),
        ("addressee", N_("To")),
        ("contact", N_("Contact")),
        ("phone", N_("Telephone")),
    )

    def __init__(self, programme, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Directive letter of {code}").format(code=programme.code))
        self.letter = dict(programme.letter or {})
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        self.date = BEDateEdit()
        for key, label in self.FIELDS:
            value = self.letter.get(key, "")
            if key == "date":
                with contextlib.suppress(ValueError):
                    self.date.setDate(dt.date.fromisoformat(value) if value else None)
                form.addRow(_(label), self.date)
                continue
            edit = QLineEdit(str(value))
            edit.setMinimumWidth(520)
            self.edits[key] = edit
            form.addRow(_(label), edit)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {REFUSED};")
        form.addRow(self.message)
        form.addRow(save_cancel(self, self._check))

    def _check(self) -> None:
        if self.date.hasError():
            self.message.setText(self.date.error)  # (the box's own reason: 31/02 has no day)
            return
        self.accept()

    def values(self) -> dict:
        out = dict(self.letter)
        for key, edit in self.edits.items():
            out[key] = edit.text().strip()
        day = self.date.date()
        out["date"] = day.isoformat() if day else ""
        return out


# The dates a deadline rule of each shape has, as the check of a programme names them
# (``validation.RULE_DATES``), in the order shown: (key, may be empty).
RULE_FIELDS: dict[str, tuple[tuple[str, bool], ...]] = {
    kind: tuple((key, key in may) for key in RULE_DATE_KEYS if key in must or key in may)
    for kind, (must, may) in RULE_DATES.items()
    if must or may
}
DATE_LABELS = {
    "date": N_("Due on"),
    "start": N_("First day"),
    "end": N_("Last day"),
    "first": N_("Starting from"),
    "until": N_("Until (may be empty)"),
}


def may_edit_deadlines(programme: Any, office_code: str | None) -> bool:
    """A programme whose deadlines this office may change: one it made (the built-in ones
    follow the Department's letters; another office's comes again in its packages)."""
    return not programme.builtin and bool(office_code) and programme.owner_office == office_code


def typed_days(text: str) -> list[int]:
    """Days of the month as typed ("5, 15", "๕ ๑๕") → [5, 15], in order, each once; [] when
    any is not a day from 1 to 31 (or none is given)."""
    parts = [p for p in re.split(r"[\s,]+", arabic_digits(text)) if p]
    if not parts or not all(p.isascii() and p.isdigit() and 1 <= int(p) <= 31 for p in parts):
        return []
    return sorted({int(p) for p in parts})


def day_in_year_problem(text: str) -> str | None:
    """Why a typed day in the year ("30 กุมภาพันธ์") cannot be a deadline's, or None."""
    try:
        day, month = parse_day_and_month(text)
    except ValueError:
        return _("Write the day and the month, e.g. 30 September.")
    return day_and_month_problem(day, month)


class DeadlineDatesDialog(QDialog):
    """The dates of the deadlines of a programme this office made (next year's drive made
    from a template, its letter's dates changed): each deadline's date, or its first and
    last day, in BE dates, a monthly report's day or days of the month, and the day and month
    of a deadline fixed in the fiscal year ("30 กันยายน"). What is saved is
    checked as an import checks it (``validation.programme_spec_problems``): the programme
    travels in this office's packages."""

    def __init__(self, programme: Any, parent: QWidget | None = None):
        from PySide6.QtWidgets import QGridLayout, QScrollArea

        from ui.widgets.fit import fit_to_screen

        super().__init__(parent)
        self.setWindowTitle(_("Deadline dates of {code}").format(code=programme.code))
        self.spec = dict(programme.spec or {})
        self.edits: list[dict[str, tuple[BEDateEdit, bool]]] = []
        self.days: list[digits.SpinBox | None] = []  # a monthly rule's day of the month
        self.day_lists: list[QLineEdit | None] = []  # a rule's days of the month ("5, 15")
        self.days_in_year: list[QLineEdit | None] = []  # a fiscal_year rule's "30 กันยายน"
        self.year_offsets: dict[int, QComboBox] = {}  # by deadline: its rule's offset_years
        self.titles: list[QLineEdit] = []
        layout = QVBoxLayout(self)
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setColumnStretch(1, 1)
        row = 0
        for obligation in self.spec.get("obligations", []):
            rule = obligation.get("rule") or {}
            try:
                who = _(LEVEL_SHORT[Level(obligation.get("level", ""))])
            except ValueError:
                who = str(obligation.get("level", ""))
            # the title says the day too ("ทุกวันที่ 1 ของเดือน"): edited with the dates
            title = QLineEdit(str(obligation.get("title", "")))
            title.setCursorPosition(0)
            grid.addWidget(QLabel(f"<b>{html.escape(who)}</b>"), row, 0)
            grid.addWidget(title, row, 1)
            self.titles.append(title)
            row += 1
            editors: dict[str, tuple[BEDateEdit, bool]] = {}
            shape = RULE_FIELDS.get(rule.get("type", ""))
            day_in_year = None
            if rule.get("type") == "fiscal_year":  # a day and month in the programme's year
                day_in_year = QLineEdit()
                with contextlib.suppress(TypeError, ValueError, IndexError):
                    day_in_year.setText(
                        digits.shown(format_day_and_month(int(rule["day"]), int(rule["month"])))
                    )
                day_in_year.setPlaceholderText(digits.shown(_("e.g. 30 September")))
                grid.addWidget(QLabel(_("Day and month in the fiscal year")), row, 0)
                grid.addWidget(day_in_year, row, 1)
                row += 1
                # which fiscal year (a year's results may be due in the November after it)
                year_box = QComboBox()
                offset = _offset_years(rule)
                for choice in sorted({0, 1, -1, offset}):
                    words = fiscal_year_words(choice)
                    if isinstance(programme.fiscal_year, int):
                        words = _("{which} (B.E. {year})").format(
                            which=words, year=programme.fiscal_year + choice
                        )
                    year_box.addItem(digits.shown(words), choice)
                year_box.setCurrentIndex(year_box.findData(offset))
                grid.addWidget(QLabel(_("Fiscal year")), row, 0)
                grid.addWidget(year_box, row, 1, Qt.AlignmentFlag.AlignLeft)
                self.year_offsets[len(self.titles) - 1] = year_box
                row += 1
            elif shape is None:  # a rule this version cannot edit: shown
                grid.addWidget(QLabel(digits.shown(describe_rule(rule))), row, 1)
                row += 1
            for key, optional in shape or ():
                edit = BEDateEdit(allow_empty=optional)
                with contextlib.suppress(TypeError, ValueError):
                    value = rule.get(key)
                    edit.setDate(dt.date.fromisoformat(value) if value else None)
                grid.addWidget(QLabel(_(DATE_LABELS[key])), row, 0)
                grid.addWidget(edit, row, 1)
                editors[key] = (edit, optional)
                row += 1
            day_box = None
            if rule.get("type") in ("monthly", "monthly_following") and "days" not in rule:
                day_box = digits.SpinBox()
                day_box.setRange(1, 31)
                with contextlib.suppress(TypeError, ValueError):
                    day_box.setValue(int(rule.get("day", 1)))
                grid.addWidget(QLabel(_("Day of the month")), row, 0)
                grid.addWidget(day_box, row, 1, Qt.AlignmentFlag.AlignLeft)
                row += 1
            day_list = None
            if isinstance(rule.get("days"), list):  # P5's "on the 5th and the 15th"
                day_list = QLineEdit(digits.shown(", ".join(str(day) for day in rule["days"])))
                day_list.setPlaceholderText(digits.shown(_("e.g. 5, 15")))
                grid.addWidget(QLabel(_("Days of the month")), row, 0)
                grid.addWidget(day_list, row, 1)
                row += 1
            self.edits.append(editors)
            self.days.append(day_box)
            self.day_lists.append(day_list)
            self.days_in_year.append(day_in_year)
            grid.setRowMinimumHeight(row, 10)  # (a gap before the next deadline)
            row += 1
        grid.setRowStretch(row, 1)  # the rows at the top, however few
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {REFUSED};")
        layout.addWidget(self.message)
        layout.addWidget(save_cancel(self, self._check))
        fit_to_screen(self, 900, 560)

    def new_spec(self) -> dict[str, Any]:
        """The programme's template with the dates as typed (a date left empty where the rule
        may have none is taken away)."""
        obligations = []
        rows = zip(
            self.spec.get("obligations", []),
            self.edits,
            self.days,
            self.day_lists,
            self.days_in_year,
            self.titles,
            strict=True,
        )
        for index, (obligation, editors, day_box, day_list, day_in_year, title) in enumerate(rows):
            rule = dict(obligation.get("rule") or {})
            year_box = self.year_offsets.get(index)
            if year_box is not None:
                offset = int(year_box.currentData())
                if offset or "offset_years" in rule:
                    rule["offset_years"] = offset
            obligation = {**obligation, "title": title.text().strip()}
            if day_box is not None:
                rule["day"] = day_box.value()
            if day_list is not None:
                rule["days"] = typed_days(day_list.text())
            if day_in_year is not None:
                with contextlib.suppress(ValueError):  # (refused by _check)
                    rule["day"], rule["month"] = parse_day_and_month(day_in_year.text())
            for key, (edit, _optional) in editors.items():
                day = edit.date()
                if day is not None:
                    rule[key] = day.isoformat()
                else:
                    rule.pop(key, None)
            obligations.append({**obligation, "rule": rule})
        return {**self.spec, "obligations": obligations}

    def _check(self) -> None:
        from lev_desktop.domain.validation import programme_spec_problems

        self.message.clear()
        refused = [e for editors in self.edits for e, _o in editors.values() if e.hasError()]
        if refused:
            self.message.setText(refused[0].error)  # (the box's own reason: 31/02 has no day)
            return
        if any(
            day_list is not None and not typed_days(day_list.text()) for day_list in self.day_lists
        ):
            self.message.setText(
                digits.shown(
                    _(
                        "Write the days of the month as numbers from 1 to 31 separated by "
                        "commas, e.g. 5, 15."
                    )
                )
            )
            return
        for day_in_year in self.days_in_year:
            if day_in_year is not None and (problem := day_in_year_problem(day_in_year.text())):
                self.message.setText(digits.shown(problem))
                day_in_year.setFocus()
                return
        problems = programme_spec_problems(self.new_spec())
        if problems:
            self.message.setText("\n".join(problems))
            return
        self.accept()


class ProgrammesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.create_button = QPushButton(_("Create a programme from a template…"))
        self.edit_button = QPushButton(_("Edit the letter…"))
        self.dates_button = QPushButton(_("Edit the deadline dates…"))
        bar.addWidget(self.create_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.dates_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = ProgrammeTableModel([], self)
        self.table = make_table(self.model, self)
        splitter.addWidget(self.table)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(False)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show(current.row())
        )
        self.create_button.clicked.connect(self.create_programme)
        self.edit_button.clicked.connect(self.edit_letter)
        self.dates_button.clicked.connect(self.edit_dates)
        self._select_code: str | None = None

    def refresh(self) -> None:
        from lev_desktop.services.programmes import list_programmes

        store = self.ctx.store
        self.ctx.runner.run(lambda _p: list_programmes(store), on_success=self._loaded, owner=self)

    def _loaded(self, programmes: list) -> None:
        current = self.selected()
        wanted = self._select_code or (current.code if current is not None else None)
        self.model.set_rows(programmes)
        fit_columns(self.table, stretch=1)
        row = next((i for i, p in enumerate(programmes) if p.code == wanted), 0)
        if programmes:
            self.table.selectRow(row)
            self._show(row)
        self._select_code = None

    def selected(self):
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_object(index.row())

    def _show(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            programme = self.model.row_object(row)
            thai_wrap.set_html(self.details, digits.shown_html(programme_html(programme)))
            mine = may_edit_deadlines(programme, self.ctx.store.office_code)
            self.dates_button.setEnabled(mine)
            self.dates_button.setToolTip(
                ""
                if mine
                else _(
                    "Only a programme this office made has its deadline dates changed here: the "
                    "built-in programmes' come from the Department's letters, another office's "
                    "from its packages."
                )
            )

    def edit_dates(self) -> None:
        programme = self.selected()
        if programme is None or not may_edit_deadlines(programme, self.ctx.store.office_code):
            return
        dialog = DeadlineDatesDialog(programme, self)
        dialog.accepted.connect(lambda: self.save_fields(programme.id, spec=dialog.new_spec()))
        dialog.open()
        self.dialog = dialog

    def open_code(self, code: str) -> None:
        for row, programme in enumerate(self.model.rows):
            if programme.code == code:
                self.table.selectRow(row)
                return
        self._select_code = code

    def create_programme(self) -> None:
        dialog = CreateProgrammeDialog(self.model.rows, self.ctx.fiscal_year, self)
        dialog.accepted.connect(lambda: self.save_new(dialog.values()))
        dialog.open()
        self.dialog = dialog

    def save_new(self, values: dict) -> None:
        from lev_desktop.services.programmes import create_from_template

        store = self.ctx.store
        self._select_code = values["code"]

        def work(_progress):
            return create_from_template(
                store,
                values["template"],
                code=values["code"],
                name=values["name"],
                fiscal_year=values["fiscal_year"],
            )

        self.ctx.runner.run(
            work, owner=self, on_success=lambda _p: self._changed(), on_failure=self._failed
        )

    def edit_letter(self) -> None:
        programme = self.selected()
        if programme is None:
            inform(self, _("Edit the letter"), _("Choose a programme in the list first."))
            return
        dialog = LetterFieldsDialog(programme, self)
        dialog.accepted.connect(lambda: self.save_fields(programme.id, letter=dialog.values()))
        dialog.open()
        self.dialog = dialog

    def save_fields(self, programme_id: str, **fields: Any) -> None:
        """Saves a programme's letter or template (``update_programme``) on the worker."""
        from lev_desktop.services.programmes import update_programme

        store = self.ctx.store
        self.ctx.runner.run(
            lambda _p: update_programme(store, programme_id, **fields),
            owner=self,
            on_success=lambda _p: self._changed(),
            on_failure=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        from lev_desktop.errors import describe_error

        message = describe_error(exc) or (
            str(exc) if isinstance(exc, (ValueError, KeyError)) else None
        )
        if message is None:
            import traceback

            from ui.crash import show_bug

            show_bug(exc, "".join(traceback.format_exception(exc)), self)
            return
        self.last_message = message
        warn(self, _("Cannot save the programme"), message)

    def _changed(self) -> None:
        self.ctx.notify(Changes(programmes=True), source=self)
        self.refresh()
