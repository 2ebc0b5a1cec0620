"""redteam16 (left by redteam15): the number of this office's last package is a setting. A
value that is not a number (a damaged page, a hand edit) stopped every export in English
("Unterminated string…", "invalid literal for int()…"); numbering from 1 again would have
made the district refuse every next package as an old one."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from db.models import Setting
from db.store import Store
from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import SEQUENCE_SETTING, export_package


@pytest.mark.parametrize("stored", ['{"seq', '"abc"', "[1]", "-4"])
def test_a_damaged_sequence_setting_goes_on_from_the_packages_sent(offices, tmp_path, stored):
    lao, district = offices
    sent = [export_package(lao, "D4801", tmp_path / f"{n}.levpkg").path for n in (1, 2)]
    assert len(importer.import_files(district, sent, trust=True)[1].imported) == 2
    path = lao.path
    lao.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = ?", (stored, SEQUENCE_SETTING))
    lao = Store(path)

    third = export_package(lao, "D4801", tmp_path / "3.levpkg")

    assert third.sequence == 3
    plan, result = importer.import_files(district, [third.path], trust=True)
    assert [(p.sender, p.sequence, p.status) for p in plan.rows()] == [
        ("4801006", 3, importer.Status.OK)
    ]
    assert result.imported
    with lao.read() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == SEQUENCE_SETTING)) == 3
    lao.dispose()
