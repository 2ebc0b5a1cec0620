"""Screenshots of every screen, offscreen, with the demo data: ``python3 dev.py screenshots``.

    python3 dev.py screenshots --size 1366x768 --out DIR [--scale 1.25] [--office lao|district]
                               [--width 900]

One PNG per navigation screen and per tab of the tabbed screens, for an LAO and for the demo
district, then the states a clerk reaches from them (a KPI form, all LAOs side by side, an
import preview, a plan with a cell in red), plus the setup wizard's pages. ``--width`` scales
the pictures down (the user manual's are 760 pixels wide). The window is given what a
maximised window gets on a screen of that size with a 40-pixel taskbar (at 125 % scaling a
1366×768 laptop leaves about 1093×582 logical pixels). The user manual's pictures
(``resources/help``, ``dev.py help-images``) come from here, so they show this version.

Nothing touches the user's files: the databases and settings live in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

TASKBAR = 40  # physical pixels a taskbar takes at the bottom of the screen


def window_size(width: int, height: int, scale: float) -> tuple[int, int]:
    """The logical size of a maximised window on a screen of ``width``×``height`` pixels."""
    return int(width / scale), int((height - TASKBAR) / scale)


def settle(ctx, app, timeout: float = 20.0) -> None:
    """Processes events until no background job has run for a short while."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline and quiet < 6:
        app.processEvents()
        time.sleep(0.03)
        quiet = 0 if ctx.runner.active else quiet + 1
    app.processEvents()


def _tab_widget(page):
    from PySide6.QtWidgets import QTabWidget

    if isinstance(page, QTabWidget):
        return page
    tabs = getattr(page, "tabs", None)
    if isinstance(tabs, QTabWidget):
        return tabs
    return None


def _slug(text: str) -> str:
    keep = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in keep.split("-") if part)


def shots_of_window(window, ctx, app, prefix: str) -> Iterator[tuple[str, object]]:
    """(file stem, widget to grab) for every screen and tab, in navigation order."""
    for number, key in enumerate(window.keys, start=1):
        window.show_screen(key)
        settle(ctx, app)
        page = window.page(key)
        tabs = _tab_widget(page)
        stem = f"{prefix}{number:02d}-{key}"
        if tabs is None:
            yield stem, window
            continue
        for index in range(tabs.count()):
            if hasattr(tabs, "isTabVisible") and not tabs.isTabVisible(index):
                continue
            tabs.setCurrentIndex(index)
            settle(ctx, app)
            name = tabs.widget(index).objectName() or str(index + 1)
            yield f"{stem}-{_slug(name) or index + 1}", window


SCALE_TO: list[int] = [0]  # --width: 0 keeps the size
SENT: list[Path] = []  # the LAO's package to the district, for the district's import


def _save(widget, path: Path) -> Path:
    from PySide6.QtCore import Qt

    picture = widget.grab()
    if SCALE_TO[0] and picture.width() > SCALE_TO[0]:
        picture = picture.scaledToWidth(SCALE_TO[0], Qt.TransformationMode.SmoothTransformation)
    picture.save(str(path))
    return path


def wait_for(ctx, app, condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    settle(ctx, app)
    return bool(condition())


def shoot_states(window, ctx, app, out: Path, kind: str, package: Path | None) -> list[Path]:
    """The states a clerk reaches from the screens (for the manual)."""
    written: list[Path] = []
    prefix = f"{kind}-"
    kpi = window.page("kpi")
    window.show_screen("kpi")
    if wait_for(ctx, app, lambda: kpi.list_page.loaded and kpi.list_page.model.rowCount() > 0):
        row = kpi.list_page.model.row_at(0)
        kpi.open_form(row.office_code, row.programme_id, row.form_code, row.period)
        if wait_for(ctx, app, lambda: kpi.editor.loaded):
            written.append(_save(window, out / f"{prefix}04-kpi-form.png"))
        if not kpi.list_page.is_lao:
            kpi.show_list()
            wait_for(ctx, app, lambda: kpi.list_page.loaded)
            kpi.list_page._overview()
            if wait_for(ctx, app, lambda: kpi.overview.loaded):
                written.append(_save(window, out / f"{prefix}04-kpi-overview.png"))
        kpi.show_list()
    if package is not None:
        window.show_screen("exchange")
        exchange = window.page("exchange")
        exchange.tabs.setCurrentIndex(exchange.tab_of(exchange.import_tab))
        exchange.import_tab.add_files([str(package)])
        if wait_for(ctx, app, lambda: exchange.import_tab.plan is not None):
            written.append(_save(window, out / f"{prefix}07-exchange-import-preview.png"))
    if kind == "lao":
        # a value that cannot be saved: the red cell and its reason
        window.show_screen("plans")
        settle(ctx, app)
        editor = window.page("plans").editor
        if editor.model.rowCount():
            column = editor.model.column_of("budget")
            editor.model.setData(editor.model.index(0, column), "-500")
            editor.table.setCurrentIndex(editor.proxy.mapFromSource(editor.model.index(0, column)))
            settle(ctx, app)
            written.append(_save(window, out / f"{prefix}02-plans-red-cell.png"))
            editor.undo_stack.undo()
            settle(ctx, app)
    return written


def shoot_office(
    out: Path,
    kind: str,
    size: tuple[int, int],
    app,
    extra: Callable | None = None,
    package: Path | None = None,
) -> list[Path]:
    """Every screen of a demo database of ``kind`` ("district" or "lao")."""
    from db.store import Store
    from lev_desktop import options
    from lev_desktop.services import demo
    from ui.app import wire_runner
    from ui.context import AppContext
    from ui.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix=f"lev-shots-{kind}-"))
    store = Store(folder / "demo.db")
    if kind == "lao":
        from lev_desktop.services.offices import initialise

        initialise(
            store,
            level="lao",
            code="4801006",
            name="องค์การบริหารส่วนตำบลหนองแสง",
            lao_type="sao",
            parent="D4801",
            province_code="48",
            district_code="4801",
            officer="นางสาวสมใจ ใจดี",
        )
    demo.fill(store)
    store.reload_identity()
    ctx = AppContext(store)
    wire_runner(ctx.runner)
    ctx.set_fiscal_year(options.fiscal_year(store))
    window = MainWindow(ctx)
    window.resize(*size)
    window.show()
    settle(ctx, app)
    written: list[Path] = []
    try:
        for stem, widget in shots_of_window(window, ctx, app, f"{kind}-"):
            written.append(_save(widget, out / f"{stem}.png"))
        written.extend(shoot_states(window, ctx, app, out, kind, package))
        if extra is not None:
            written.extend(extra(window, ctx, app, out, kind))
        if kind == "lao":  # what the LAO sends: the district's import preview shows it
            from lev_desktop.exchange.exporter import export_package

            SENT.append(export_package(store, "D4801", folder / "to-district.levpkg").path)
    finally:
        window.close()
        ctx.runner.wait()
        window.deleteLater()
        app.processEvents()
        store.dispose()
    return written


def shoot_wizard(out: Path, app) -> list[Path]:
    """The setup wizard's pages, as a new LAO fills them in."""
    from db.store import Store
    from ui.app import wire_runner
    from ui.context import AppContext
    from ui.setup_wizard import SetupWizard

    folder = Path(tempfile.mkdtemp(prefix="lev-shots-wizard-"))
    store = Store(folder / "new.db")
    ctx = AppContext(store)
    wire_runner(ctx.runner)
    wizard = SetupWizard(ctx)
    wizard.show()
    settle(ctx, app)
    written = [_save(wizard, out / "setup-1-level.png")]
    wizard.next()
    page = wizard.place_page
    page.set_place("48", "4801")
    page.lao_name.setText("องค์การบริหารส่วนตำบลหนองแสง")
    settle(ctx, app)
    written.append(_save(wizard, out / "setup-2-place.png"))
    wizard.next()
    settle(ctx, app)
    office = wizard.office_page
    office.officer.setText("นางสาวสมใจ ใจดี")
    settle(ctx, app)
    written.append(_save(wizard, out / "setup-3-office.png"))
    wizard.close()
    ctx.runner.wait()
    store.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev.py screenshots")
    parser.add_argument("--size", default="1366x768", help="screen size, e.g. 1366x768")
    parser.add_argument("--scale", type=float, default=1.0, help="Windows scaling, e.g. 1.25")
    parser.add_argument("--out", required=True, help="folder for the PNG files")
    parser.add_argument(
        "--office", choices=("lao", "district", "both"), default="both", help="which demo office"
    )
    parser.add_argument("--no-wizard", action="store_true", help="skip the setup wizard")
    parser.add_argument("--width", type=int, default=0, help="scale the pictures to this width")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    os.environ["LEV_DATA_DIR"] = tempfile.mkdtemp(prefix="lev-shots-data-")
    from lev_desktop import i18n
    from ui.app import make_application

    i18n.install("th")
    app = make_application([sys.argv[0]])
    size = window_size(width, height, args.scale)
    SCALE_TO[0] = args.width
    written: list[Path] = []
    kinds = ("lao", "district") if args.office == "both" else (args.office,)
    for kind in kinds:
        written.extend(shoot_office(out, kind, size, app, package=SENT[0] if SENT else None))
    if not args.no_wizard:
        written.extend(shoot_wizard(out, app))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
