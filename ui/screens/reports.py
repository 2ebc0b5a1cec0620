"""รายงาน: choose a report, its office and options; preview it; save it as PDF or Excel.

All loading and layout runs in ``ctx.runner`` (progress after 600 ms, Cancel); the screen
only collects choices and shows results. ``ReportActions`` is the same thing for the editors
(plans, activities, indicators): a button with a menu "PDF… / Excel…" for their form.
"""

from __future__ import annotations

import logging
import tempfile
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from exports.reports import KIND_LABELS, KINDS, ReportRequest, default_filename
from exports.reports.options import SETTING_KEYS, ReportOptions
from lev_desktop import options as lev_options
from lev_desktop.changes import Changes
from lev_desktop.files import unique_path
from lev_desktop.i18n import N_, _
from lev_desktop.paths import user_documents_dir
from ui import digits
from ui.context import AppContext
from ui.status_palette import REFUSED
from ui.widgets import file_actions, file_dialogs
from ui.widgets.file_actions import WrittenFileBar
from ui.widgets.status_label import MessageLine

log = logging.getLogger(__name__)

# Kinds made from one LAO's own records; the others also consolidate the LAOs under an office.
LAO_KINDS = ("plan", "summary", "notice")
# Kinds made for the month chosen on the screen.
MONTH_KINDS = ("calendar", "monthly")
KIND_HELP = {
    "plan": N_("The action plan of one LAO: the eight official columns, landscape."),
    "summary": N_(
        "What each project actually did against the plan: dates, participants, budget, problems."
    ),
    "notice": N_("The public notice of the results, portrait, ready to sign and post."),
    "monitoring": N_(
        "One row per LAO, grouped by district: committee, meeting, plan, "
        "activities, report and notice dates."
    ),
    "softpower": N_(
        "The nine fields of each Soft Power product, for one office or all LAOs under it."
    ),
    "kpi": N_("The Clean Province indicators by stage: one office, or totals of the LAOs."),
    "province": N_(
        "The province report of the LEV network letter: the LAOs' progress by district, "
        "LEV Week and the PAO's support. Made by a province office."
    ),
    "monthly": N_(
        "The monthly report of temples and communities for the month chosen: one office, "
        "or totals of the LAOs."
    ),
    "calendar": N_("Every deadline of one month, with its state."),
}


def run_report(
    ctx: AppContext,
    owner: QWidget,
    request: ReportRequest,
    target: Path,
    options: ReportOptions | None,
    *,
    on_done,
    on_error,
    remember: bool = False,
):
    """Makes one report file in the worker; ``on_done(path)`` / ``on_error(message)``."""
    from exports.reports import ReportDataError, generate
    from lev_desktop.errors import describe_error

    store = ctx.store

    def job(progress):  # worker thread
        if remember and options is not None:
            lev_options.save(
                store, {key: getattr(options, field) for field, key in SETTING_KEYS.items()}
            )
        return generate(store, request, target, options=options, progress=progress)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ReportDataError):
            on_error(str(exc))
            return
        known = describe_error(exc)
        if known is not None:
            on_error(known)
            return
        details = "".join(traceback.format_exception(exc))
        if ctx.runner.on_bug is not None:
            ctx.runner.on_bug(exc, details)
        else:
            log.error("report failed: %s", details)
        on_error(
            _(
                "The report could not be made because of a fault in the program; "
                "the details were recorded."
            )
        )

    return ctx.runner.run(
        job,
        label=_("Making the report…"),
        on_success=on_done,
        on_failure=failed,
        on_cancel=lambda: on_error(_("Cancelled.")),
        owner=owner,
    )


class ReportsScreen(QWidget):
    finished = Signal(object)  # a Path, or None when the report failed (tests wait on it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.offices: list[tuple[str, str, str]] = []  # (code, name, level)
        self.last_file: Path | None = None
        self.folder: Path | None = None  # where reports are saved first (Settings › Folders)
        self._preview_dir = Path(tempfile.mkdtemp(prefix="lev-preview-"))

        self.kinds = QListWidget()
        self.kinds.setObjectName("reportKinds")
        for kind in KINDS:
            item = QListWidgetItem(digits.shown(_(KIND_LABELS[kind])))  # "แบบ 1" / "แบบ ๑"
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setToolTip(_(KIND_HELP[kind]))
            self.kinds.addItem(item)
        self.kinds.setMinimumWidth(230)
        self.kinds.setWordWrap(True)
        self.kinds.setSpacing(3)
        self.kinds.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kinds.currentRowChanged.connect(self._kind_changed)
        # Enter (or a double click) on a report previews it, as its button does
        self.kinds.itemActivated.connect(lambda _item: self._preview_if_ready())

        self.help = QLabel()
        self.help.setWordWrap(True)
        self.office = QComboBox()
        self._chosen: dict[bool, str] = {}  # an LAO's own forms (True) or tables over LAOs
        self._lao_kind = True
        # the Department makes the province report (F4) for the province it chooses
        self.province = QComboBox()
        self.province.setObjectName("reportProvince")
        from lev_desktop import gazetteer

        for found in gazetteer.provinces():
            self.province.addItem(found.name_th, found.code)
        self.month = QComboBox()
        self.thai_digits = QCheckBox(_("Thai digits (๐–๙)"))
        self.signer_name = QLineEdit()
        self.signer_name.setPlaceholderText(_("e.g. นายสมชาย ใจดี"))
        self.signer_position = QLineEdit()
        self.signer_position.setPlaceholderText(_("empty: the executive of the office"))
        self.letterhead = QLineEdit()
        self.garuda = QLineEdit()
        self.garuda.setReadOnly(True)
        self.garuda.setPlaceholderText(_("no Garuda emblem (space left for it on a notice)"))
        pick = QPushButton(_("Choose image…"))
        pick.clicked.connect(self._pick_garuda)
        clear = QPushButton(_("Remove"))
        clear.clicked.connect(lambda: self.garuda.clear())
        garuda_row = QHBoxLayout()
        garuda_row.addWidget(self.garuda, 1)
        garuda_row.addWidget(pick)
        garuda_row.addWidget(clear)

        # At 1366×768 at 125 % the form scrolled 9 px (F1) to 33 px (F3) under the preview
        # (fit15): the Thai digits box stands beside the office, and the month's row shows
        # only for a report of a month (it stood there greyed out for the others; fit16).
        office_row = QHBoxLayout()
        office_row.addWidget(self.office, 1)
        office_row.addWidget(self.thai_digits)
        form = QFormLayout()
        form.addRow(_("Office"), office_row)
        form.addRow(_("Province"), self.province)
        self.form = form
        form.setRowVisible(self.province, False)
        form.addRow(_("Month"), self.month)
        form.addRow(_("Signed by"), self.signer_name)
        form.addRow(_("Position"), self.signer_position)
        form.addRow(_("Letterhead"), self.letterhead)
        form.addRow(_("Garuda emblem"), garuda_row)

        self.preview_button = QPushButton(_("Preview"))
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button = QPushButton(_("Save PDF…"))
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.xlsx_button = QPushButton(_("Save Excel…"))
        self.xlsx_button.clicked.connect(lambda: self.save("xlsx"))
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.pdf_button, self.xlsx_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.message = MessageLine()  # (no room taken while it has nothing to say)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Open / Show in folder / Copy to USB drive for the file just saved
        self.written = WrittenFileBar(ctx, label=self.message)
        self.open_button = self.written.open_button

        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_hint = QLabel(_("Press Preview to see the pages here."))
        self.pages_layout.addWidget(self.pages_hint)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        self.pages_scroll = scroll

        options = QWidget()
        options_layout = QVBoxLayout(options)
        title = QLabel(_("Reports"))
        title.setObjectName("screenTitle")
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        options_layout.addWidget(title)
        options_layout.addWidget(self.help)
        options_layout.addLayout(form)
        options_layout.addLayout(buttons)
        options_layout.addWidget(self.message)
        options_layout.addWidget(self.written)
        options_layout.addStretch(1)

        # The options scroll on a short screen (1366×768 at 125 %) instead of making the window
        # taller than the screen.
        options_scroll = QScrollArea()
        options_scroll.setWidgetResizable(True)
        options_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        options_scroll.setWidget(options)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(options_scroll)
        right.addWidget(scroll)
        right.setStretchFactor(1, 1)
        self.right, self.options_scroll = right, options_scroll
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.kinds)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        ctx.fiscal_year_changed.connect(lambda _year: self.refresh())
        ctx.changed.connect(self._changed)
        self.kinds.setCurrentRow(0)
        self.refresh()

    # ---- data ------------------------------------------------------------------------
    def _changed(self, changes: Changes) -> None:
        if changes.offices or changes.exchange or changes.settings:
            self.refresh()

    def refresh(self) -> None:
        """Loads the offices and the print settings in the worker."""
        store = self.ctx.store

        def load(_progress):
            from lev_desktop.services import offices as office_service

            me = office_service.this_office(store)
            rows = []
            if me is not None:
                rows.append((me.code, me.name, me.level))
                if me.level != "lao":
                    rows += [
                        (o.code, o.name, o.level)
                        for o in office_service.subordinate_laos(store, me.code)
                    ]
            return rows, ReportOptions.from_store(store), lev_options.folder(store, "reports")

        self.ctx.runner.run(load, on_success=self._loaded, owner=self)

    def _loaded(self, result: tuple[list[tuple[str, str, str]], ReportOptions, Path]) -> None:
        self.offices, options, self.folder = result
        self.thai_digits.setChecked(options.thai_digits)
        self.signer_name.setText(options.signer_name)
        self.signer_position.setText(options.signer_position)
        self.letterhead.setText(options.letterhead.replace("\n", " / "))
        self.garuda.setText(options.garuda_image)
        self._fill_months()
        self._kind_changed(self.kinds.currentRow())

    def _fill_months(self) -> None:
        from lev_desktop.thai_format import MONTHS_FULL, be_year, fiscal_months

        self.month.clear()
        for year, month in fiscal_months(self.ctx.fiscal_year):
            self.month.addItem(
                digits.shown(f"{MONTHS_FULL[month - 1]} {be_year(year)}"), (year, month)
            )
        from lev_desktop.thai_format import today as today_

        today = today_()
        # (not findData: a tuple is never found in a combo box's data, which left the
        # fiscal year's first month chosen)
        months = [self.month.itemData(i) for i in range(self.month.count())]
        this_month = (today.year, today.month)
        self.month.setCurrentIndex(months.index(this_month) if this_month in months else 0)

    def kind(self) -> str:
        item = self.kinds.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else KINDS[0]

    def _kind_changed(self, _row: int) -> None:
        kind = self.kind()
        self.help.setText(digits.shown(_(KIND_HELP[kind])))
        self.month.setEnabled(kind in MONTH_KINDS)
        self.form.setRowVisible(self.month, kind in MONTH_KINDS)
        # and room for them (another kind, other rows: a month's form scrolled 24 px; fit16)
        QTimer.singleShot(0, self, self._room_for_options)
        if self.written.path is None:
            # what was said of the report chosen before ("รายงานนี้จัดทำโดยสำนักงาน…จังหวัด"
            # stayed under the next kind's buttons; fit16)
            self.show_message("")
        # The office last chosen for a report of this kind: an LAO's own forms, or a table over
        # the LAOs under an office (fit15: F3 chosen after F1 at a district kept F1's LAO, a
        # one-row "table of the district"; it opens on the district now, as the first time)
        previous = self.office.currentData()
        if previous is not None:
            self._chosen[self._lao_kind] = previous
        self._lao_kind = kind in LAO_KINDS
        current = self._chosen.get(self._lao_kind)
        self.office.clear()
        for code, name, level in self.offices:
            if kind in LAO_KINDS and level != "lao":
                continue
            if kind == "province" and level not in ("province", "national"):
                continue
            self.office.addItem(name, code)
        self.form.setRowVisible(self.province, self._by_province())
        index = self.office.findData(current)
        self.office.setCurrentIndex(max(index, 0))
        has_office = self.office.count() > 0
        for button in (self.preview_button, self.pdf_button, self.xlsx_button):
            button.setEnabled(has_office)
        if not has_office and self.offices:
            if kind == "province":
                self.show_message(_("This report is made by a province office."))
            else:
                self.show_message(
                    _("This report is made for an LAO; no LAO is under this office yet.")
                )

    def _by_province(self) -> bool:
        """The province report of the Department's office: made for a chosen province."""
        if self.kind() != "province":
            return False
        code = self.office.currentData()
        return any(c == code and level == "national" for c, _n, level in self.offices)

    # ---- actions ---------------------------------------------------------------------
    def request(self, fmt: str) -> ReportRequest:
        return ReportRequest(
            self.kind(),
            self.office.currentData(),
            self.ctx.fiscal_year,
            fmt,
            month=self.month.currentData() if self.kind() in MONTH_KINDS else None,
            province=self.province.currentData() if self._by_province() else None,
        )

    def options(self) -> ReportOptions:
        return ReportOptions(
            thai_digits=self.thai_digits.isChecked(),
            signer_name=self.signer_name.text().strip(),
            signer_position=self.signer_position.text().strip(),
            letterhead=self.letterhead.text().strip().replace(" / ", "\n"),
            garuda_image=self.garuda.text().strip(),
        )

    def suggested_name(self, fmt: str) -> str:
        from exports.reports.data import _LONG_PREFIXES

        name = self.office.currentText()
        if self._by_province():
            name = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด" + self.province.currentText()
        for long, short in _LONG_PREFIXES:
            if name.startswith(long) and len(name) > len(long):
                name = short + name[len(long) :]
                break
        return default_filename(
            self.kind(),
            name,
            self.ctx.fiscal_year,
            fmt,
            self.month.currentData() if self.kind() in MONTH_KINDS else None,
        )

    def ask_path(self, fmt: str) -> Path | None:
        """The file to write (a save dialog in the reports folder); tests replace this method."""
        folder = self.folder or user_documents_dir()
        return file_actions.ask_save_path(
            self,
            _("Save the report"),
            folder / self.suggested_name(fmt),
            fmt,
            ctx=self.ctx,
            purpose="save-reports",
        )

    def save(self, fmt: str) -> None:
        target = self.ask_path(fmt)
        if target is None:
            return
        self._start(self.request(fmt), target, preview=False)

    def _preview_if_ready(self) -> None:
        if self.preview_button.isEnabled():
            self.preview()

    def preview(self) -> None:
        # A new name each time: the previous preview may still be open in a PDF reader, which
        # on Windows keeps it from being replaced.
        target = unique_path(self._preview_dir, self.suggested_name("pdf"))
        self._start(self.request("pdf"), target, preview=True)

    def _start(self, request: ReportRequest, target: Path, *, preview: bool) -> None:
        self.show_message(_("Making the report…"))
        for button in (self.preview_button, self.pdf_button, self.xlsx_button):
            button.setEnabled(False)
        run_report(
            self.ctx,
            self,
            request,
            target,
            self.options(),
            remember=not preview,
            on_done=lambda path: self._done(path, preview),
            on_error=self._failed,
        )

    def _enable(self) -> None:
        for button in (self.preview_button, self.pdf_button, self.xlsx_button):
            button.setEnabled(self.office.count() > 0)

    def _done(self, path: Path, preview: bool) -> None:
        self._enable()
        if preview:
            self._show_pages(path)
            self.show_message(_("Preview of {name}").format(name=path.name))
        else:
            self.last_file = path
            self.show_message("")
            self.written.set_file(path)
            self._keep_in_view(self.written)
        self.finished.emit(path)

    def _failed(self, message: str) -> None:
        self._enable()
        self.show_message(message, error=True)
        self.finished.emit(None)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {REFUSED};" if error else "")
        self.message.setText(text)
        if text:
            self._keep_in_view(self.message)

    def _keep_in_view(self, widget: QWidget) -> None:
        """The options scroll under a shown preview: what a save or a failure says below the
        buttons is scrolled into view once laid out (it was saved, and nothing said so)."""
        QTimer.singleShot(0, self, lambda: self.options_scroll.ensureWidgetVisible(widget, 0, 8))

    def _show_pages(self, pdf: Path) -> None:
        from exports.reports import preview

        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        images = (
            preview.page_images(pdf, self._preview_dir / "pages") if preview.can_render() else []
        )
        if not images:  # no renderer here: the system's PDF viewer shows it
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf)))
            self.pages_layout.addWidget(QLabel(_("The preview opened in your PDF viewer.")))
            return
        for image in images:
            self.pages_layout.addWidget(PageImage(QPixmap(str(image))))
        self._give_room_to_pages()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._room_for_options)

    def _room_for_options(self) -> None:
        """Without pages shown, the options get the height they need (the pages keep a strip
        for their hint): the splitter under yesterday's preview (⅔ for the pages) is
        remembered per user, and the next start showed the options squeezed into the top
        third, Preview and Save PDF scrolled out of sight (1366×768 at 125 %)."""
        items = (self.pages_layout.itemAt(i) for i in range(self.pages_layout.count()))
        if any(item is not None and isinstance(item.widget(), PageImage) for item in items):
            return
        sizes = self.right.sizes()
        total = sum(sizes)
        options = self.options_scroll.widget()
        if total <= 0 or options is None:
            return
        need = options.sizeHint().height() + 2 * self.options_scroll.frameWidth()
        strip = self.pages_hint.sizeHint().height() + 2 * self.pages_scroll.frameWidth() + 12
        wanted = min(need, total - strip)
        if sizes[0] < wanted:
            self.right.setSizes([wanted, total - wanted])

    def _give_room_to_pages(self) -> None:
        """The pages take two thirds of the height once shown (at 1366×768 at 125 % they had
        a strip of ~50 px under the options), the options scrolled to keep the buttons."""
        sizes = self.right.sizes()
        total = sum(sizes)
        if total > 0 and sizes[1] < total * 2 // 3:
            self.right.setSizes([total - total * 2 // 3, total * 2 // 3])
        self.options_scroll.ensureWidgetVisible(self.preview_button, 0, 8)

    def _pick_garuda(self) -> None:
        chosen = file_dialogs.open_file(
            self,
            _("Choose the Garuda emblem image"),
            _("Images (*.png *.jpg *.jpeg)"),
            purpose="garuda-image",
            ctx=self.ctx,
        )
        if chosen:
            self.garuda.setText(chosen)


class PageImage(QLabel):
    """A page of the preview as wide as the pane, its height from the page's proportions,
    never enlarged (a landscape F1 at 60 dpi was wider than the pane at 1366×768)."""

    def __init__(self, pixmap: QPixmap, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPixmap(pixmap)
        self.setScaledContents(True)
        self.setStyleSheet("border: 1px solid #999; background: white;")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMaximumSize(pixmap.size() + QSize(2, 2))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        page = self.pixmap().size()
        return round((width - 2) * page.height() / max(1, page.width())) + 2

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.heightForWidth(120))


class ReportActions(QToolButton):
    """ "พิมพ์รายงาน" for an editor: a menu of PDF / Excel for one report kind of one office.

    ``office`` and ``fiscal_year`` are callables so the button follows the editor's selection.
    """

    finished = Signal(object)  # the saved Path, or None (tests wait on it)

    def __init__(
        self, ctx: AppContext, kind: str, office: Any = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: file_actions.WrittenFileDialog | None = None
        self.kind = kind
        self.office = office or (lambda: ctx.office_code)
        self.setText(_("Print…"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        menu.addAction(_("PDF…"), lambda: self._make("pdf"))
        menu.addAction(_("Excel…"), lambda: self._make("xlsx"))
        self.setMenu(menu)

    def _make(self, fmt: str) -> None:
        name = default_filename(self.kind, self.office() or "", self.ctx.fiscal_year, fmt)
        file_actions.ask_save_in(
            self.ctx,
            self,
            _("Save the report"),
            "reports",
            name,
            fmt,
            lambda target: self._make_file(fmt, target),
        )

    def _make_file(self, fmt: str, target: Path) -> None:
        run_report(
            self.ctx,
            self,
            ReportRequest(self.kind, self.office(), self.ctx.fiscal_year, fmt),
            target,
            None,  # the saved print settings, read in the worker
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, path: Path) -> None:
        file_actions.open_file(path)
        self.dialog = file_actions.show_written_file(self.ctx, path, self.window())
        self.finished.emit(path)

    def _failed(self, message: str) -> None:
        if message != _("Cancelled."):
            from ui.crash import show_known_error

            show_known_error(message, self.window())
        self.finished.emit(None)
