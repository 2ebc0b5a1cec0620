"""The LAO list's search box (plans and activities screens of a district or province): an
officer looks an LAO up by the name shown, by its full name, or by its code."""

from __future__ import annotations

from cells import settle, type_text
from PySide6.QtCore import Qt

from lev_desktop.services.plans import short_office_name
from lev_desktop.services.programmes import builtin_id
from ui.widgets.office_list import OfficeList

P1 = builtin_id("P1")


def _shown(widget: OfficeList) -> list[str]:
    proxy = widget.proxy
    return [proxy.index(n, 0).data(Qt.ItemDataRole.UserRole) for n in range(proxy.rowCount())]


def test_search_by_code_full_name_or_the_name_shown(qtbot, demo_store, make_ctx):
    ctx = make_ctx(demo_store)
    widget = OfficeList(ctx)
    qtbot.addWidget(widget)
    widget.load(P1, 2568)
    settle(qtbot, ctx)
    rows = {row.code: row for row in widget.model.rows}
    assert len(rows) == 14  # the demo district's LAOs (4801001 reports to the province)

    qtbot.keyClicks(widget.search, "4801002")  # by code (failed before: no row)
    assert _shown(widget) == ["4801002"]

    widget.search.clear()
    shown = short_office_name(rows["4801003"].name)
    type_text(widget.search, shown)  # by the name in the list
    assert _shown(widget) == ["4801003"]

    widget.search.clear()
    long = "องค์การบริหารส่วนตำบล"  # by the full name, which the list shortens to "อบต."
    type_text(widget.search, long)
    expected = sorted(code for code, row in rows.items() if long in row.name)
    assert expected and sorted(_shown(widget)) == expected
    assert all(not widget.proxy.index(n, 0).data().startswith(long) for n in range(len(expected)))
