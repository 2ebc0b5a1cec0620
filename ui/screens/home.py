"""หน้าหลัก: "what must I do next?" — the next deadlines with days remaining, forms in draft,
packages received and not yet imported; one button each to act."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lev_desktop.deadlines import engine
from lev_desktop.deadlines.engine import DraftForm, Item, State
from lev_desktop.deadlines.text import (
    item_when_text,
    laos_text,
    period_text,
    route_text,
    state_days_text,
)
from lev_desktop.exchange import inbox
from lev_desktop.i18n import _, ngettext
from lev_desktop.thai_format import fiscal_year_label, format_date
from ui import digits, status_palette
from ui.context import AppContext

# what the inbox's check found → the palette's tone of its chip
_CHECK_TONES = {
    inbox.VERIFIED: "done",
    inbox.UNTRUSTED: "due_soon",
    inbox.KEY_CHANGED: "overdue",
    inbox.DAMAGED: "overdue",
}
NEXT_DAYS = 45  # how far ahead "next deadlines" looks
NEXT_LIMIT = 8  # and how many it shows
OVERDUE_LIMIT = 4  # of which at most this many overdue (the rest: "N more in the calendar")


@dataclass
class HomeData:
    office_name: str = ""
    today: dt.date = field(default_factory=engine.today)
    lao_type: str | None = None
    deadlines: list[Item] = field(default_factory=list)
    attention: int = 0
    more_overdue: int = 0
    drafts: list[DraftForm] = field(default_factory=list)
    packages: list[inbox.PendingPackage] = field(default_factory=list)


def load_home(store) -> HomeData:
    """Everything the home screen shows (runs on the worker)."""
    if not store.office_code:
        return HomeData()  # not set up yet (the shell's first-start wizard comes first)
    days = engine.reminder_days(store)
    book = engine.DeadlineBook(store, soon_days=days)
    now = book.today
    items = book.items(now, now + dt.timedelta(days=max(NEXT_DAYS, days)), work=False)
    # What needs attention (the badge's list: overdue, returned, due soon — one line per
    # instance), the most recent overdue first (a few); then what comes next by due date.
    found = engine.attention(store, days=days, book=book)
    attention = found.items
    overdue = sorted(
        (i for i in attention if i.state != State.DUE_SOON), key=lambda i: i.due, reverse=True
    )
    taken = {(i.obligation.programme_code, i.obligation.code, i.period) for i in attention}
    coming = [
        i
        for i in items
        if not i.state.fulfilled
        and i.state != State.NOT_APPLICABLE
        and (i.obligation.programme_code, i.obligation.code, i.period) not in taken
        and i.due == i.deadline.due
    ]
    soon = [i for i in attention if i.state == State.DUE_SOON]
    shown = overdue[:OVERDUE_LIMIT]
    shown += sorted(soon + coming, key=lambda i: i.deadline.sort_key())[: NEXT_LIMIT - len(shown)]
    return HomeData(
        office_name=book.office.name if book.office else "",
        today=now,
        lao_type=book.lao_type,
        deadlines=shown,
        # the overdue not listed here: beyond the few shown, and those from before the
        # reminders' look-back (the calendar lists them all)
        more_overdue=max(0, len(overdue) - OVERDUE_LIMIT) + found.older_overdue,
        attention=len(attention),
        drafts=engine.draft_forms(store),
        packages=inbox.pending_packages(store),
    )


def pill(text: str, state: State | str) -> QLabel:
    label = QLabel(digits.shown(text))
    label.setStyleSheet(status_palette.chip_style(state))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return label


class Section(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("homeSection")
        self.setStyleSheet(
            "#homeSection { background: #ffffff; border: 1px solid #d5dae1; border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 9) * 1.15)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(2, 1)  # state, when, what (the text), button
        layout.addLayout(self.grid)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color:#555;")
        layout.addWidget(self.empty)
        self.buttons: list[QPushButton] = []

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = []

    def add_row(self, row: int, cells: list[QWidget], button: QPushButton | None) -> None:
        for column, cell in enumerate(cells):
            self.grid.addWidget(cell, row, column)
        if button is not None:
            self.grid.addWidget(button, row, len(cells))
            self.buttons.append(button)


def wrap(text: str, *, bold: bool = False) -> QLabel:
    label = QLabel(digits.shown(text))  # the interface's digits (programme names, periods)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    return label


def stacked(*labels: QLabel) -> QWidget:
    """Labels one under the other in one cell (a date and the LAOs in by it)."""
    cell = QWidget()
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for label in labels:
        layout.addWidget(label)
    return cell


class HomeScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.data = HomeData()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("homeBody")
        body.setStyleSheet("#homeBody { background: #f3f5f8; }")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 12, 12, 12)  # (the task text needs the width at 125 %)
        layout.setSpacing(12)
        self.heading = QLabel(_("What must I do next?"))
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 9) * 1.45)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.subheading = QLabel("")
        self.subheading.setWordWrap(True)
        layout.addWidget(self.subheading)
        self.all_clear = QLabel("")
        self.all_clear.setWordWrap(True)
        self.all_clear.setStyleSheet(
            "background:#e6f4e7; color:#1b5e20; border:1px solid #1b5e20;"
            "border-radius:6px; padding:10px;"
        )
        self.all_clear.hide()
        layout.addWidget(self.all_clear)
        self.deadlines = Section(_("Next deadlines"))
        self.drafts = Section(_("Forms in draft"))
        # packages received and not yet imported, each verified: lev_desktop.exchange.inbox
        self.packages = Section(_("Packages received, not yet imported"))
        for section in (self.deadlines, self.drafts, self.packages):
            layout.addWidget(section)
        actions = QHBoxLayout()
        self.calendar_button = QPushButton(_("Open the deadline calendar"))
        self.calendar_button.clicked.connect(lambda: self.ctx.navigate.emit("calendar", None))
        actions.addWidget(self.calendar_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        layout.addStretch(1)
        # bound methods (not lambdas): Qt drops the connections when the screen is destroyed
        self.ctx.changed.connect(self._changed)
        self.ctx.fiscal_year_changed.connect(self._changed)

    def _changed(self, _what: object = None) -> None:
        self.refresh()

    def refresh(self) -> None:
        store = self.ctx.store
        self.ctx.runner.run(
            lambda _progress: load_home(store), on_success=self.show_data, owner=self
        )

    def show_data(self, data: HomeData) -> None:
        self.data = data
        office = data.office_name or _("this office")
        self.subheading.setText(
            digits.shown(
                _("{office} · today is {today} · {fy}").format(
                    office=office,
                    today=format_date(data.today, "full"),
                    fy=fiscal_year_label(self.ctx.fiscal_year),
                )
            )
        )
        self.fill_deadlines(data)
        self.fill_drafts(data)
        self.fill_packages(data)
        nothing = not data.deadlines and not data.drafts and not data.packages
        self.all_clear.setVisible(nothing)
        self.all_clear.setText(
            _(
                "Nothing is waiting for you: no deadline in the next {days} days, "
                "no form in draft. The calendar shows what comes later."
            ).format(days=NEXT_DAYS)
        )
        self.ctx.set_badges(data.attention)  # the same count as the navigation badges

    def fill_deadlines(self, data: HomeData) -> None:
        section = self.deadlines
        section.clear()
        for row, item in enumerate(data.deadlines):
            state = item.state
            # the state over its days, and the LAOs in under the date: the widest chip
            # ("ยังไม่ถึงกำหนด · เหลืออีก 31 วัน") set the first column and the LAOs took a
            # column of their own, and a province's task text ran over five lines at 1366 px
            text = state_days_text(state, item.days_left, sep="\n")
            if item.mark is not None:
                text += "\n" + _("marked by hand")
            left = pill(text, state)
            when = wrap(item_when_text(item))
            what = wrap(
                f"{item.obligation.title}\n{item.obligation.programme_name} · "
                f"{route_text(item.obligation, data.lao_type)}"
            )
            who = QLabel("")
            if item.laos is not None and item.laos.total:
                who.setText(digits.shown(laos_text(item.laos)))
            who.setVisible(bool(who.text()))
            if state in (State.READY, State.OVERDUE_READY):  # what is left is to send it
                button = QPushButton(_("Send the package…"))
            else:
                button = QPushButton(_("Open the form") if item.target else _("See in calendar"))
            button.clicked.connect(lambda _checked=False, i=item: self.act(i))
            section.add_row(row, [left, stacked(when, who), what], button)
        section.empty.setVisible(not data.deadlines or data.more_overdue > 0)
        if data.more_overdue:
            section.empty.setText(
                digits.shown(
                    ngettext(
                        "{n} older overdue deadline is in the calendar.",
                        "{n} older overdue deadlines are in the calendar.",
                        data.more_overdue,
                    ).format(n=data.more_overdue)
                )
            )
        else:
            section.empty.setText(
                digits.shown(_("No deadline in the next {days} days.").format(days=NEXT_DAYS))
            )

    def fill_drafts(self, data: HomeData) -> None:
        section = self.drafts
        section.clear()
        for row, form in enumerate(data.drafts):
            state = "returned" if form.status == "returned" else "draft"
            text = _("Returned for correction") if state == "returned" else _("Draft")
            what = wrap(f"{form.form_name}\n{form.programme_name}")
            button = QPushButton(_("Open the form"))
            button.setEnabled(form.target is not None)
            button.clicked.connect(lambda _checked=False, f=form: self.ctx.navigate.emit(*f.target))
            section.add_row(row, [pill(text, state), wrap(period_text(form.period)), what], button)
        section.empty.setVisible(not data.drafts)
        section.empty.setText(_("No form in draft."))

    def fill_packages(self, data: HomeData) -> None:
        section = self.packages
        section.clear()
        for row, package in enumerate(data.packages):
            received = format_date(package.received_at) if package.received_at else ""
            button = None
            if package.importable:  # verified, or signed by a key not trusted yet (said why)
                who = "\n".join(
                    t for t in (package.from_name, package.summary, package.problem) if t
                )
                button = self._import_button(package)
            else:  # damaged, changed or not a package: said so, never offered for import
                who = f"{package.file_name}\n{package.problem}"
            cell = wrap(who)
            if package.detail:
                cell.setToolTip(package.detail)
            section.add_row(
                row,
                [pill(package.check_text, _CHECK_TONES[package.check]), wrap(received), cell],
                button,
            )
        section.empty.setVisible(not data.packages)
        section.empty.setText(_("No package waiting to be imported."))

    def _import_button(self, package: inbox.PendingPackage) -> QPushButton:
        button = QPushButton(_("Import…"))
        button.clicked.connect(
            lambda _checked=False, p=package: self.ctx.navigate.emit("exchange", [p.path])
        )
        return button

    def act(self, item: Item) -> None:
        if item.state in (State.READY, State.OVERDUE_READY):
            self.ctx.navigate.emit("exchange", "export")
        elif item.target is not None:
            self.ctx.navigate.emit(*item.target)
        else:
            self.ctx.navigate.emit("calendar", {"date": item.due})
