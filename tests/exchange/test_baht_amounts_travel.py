"""A baht amount with decimals travels from an LAO to its district."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lev_desktop.exchange import importer
from lev_desktop.exchange.exporter import export_package
from lev_desktop.services import kpi

from .helpers import make_district, make_lao


def test_an_amount_typed_as_12500_5_is_not_refused_at_the_district(tmp_path: Path):
    """P4's budget typed as 12500.5 (12,500.50 on screen): the package wrote the column's
    "12500.5000" and the district refused the whole package, "ค่าตัวชี้วัด budget_spent
    (2024-10): จำนวนเงินบาทมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง". A number is written without the
    column's scale (4500 was already written as "4500")."""
    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    district = make_district(tmp_path / "district.db")
    try:
        kpi.save_values(lao, "P4", "2024-10", {("", "budget_spent"): "12500.5"})
        path = export_package(lao, "D4801", tmp_path / "to-district.levpkg").path
        plan, result = importer.import_files(district, [path], trust=True)
        assert [p.reason for p in plan.packages if p.reason] == []
        assert len(result.imported) == 1 and not result.refused
        data = kpi.load_form(district, "4801006", "P4", "2024-10")
        assert data.rows[""]["budget_spent"] == Decimal("12500.5")
    finally:
        lao.dispose()
        district.dispose()
