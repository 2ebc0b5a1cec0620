"""Programmes made from a template."""

from __future__ import annotations

from lev_desktop.services import programmes


def test_a_programme_from_a_builtin_template_the_database_does_not_hold(empty_store):
    # found by mypy --strict: the template of a programme not in the database was read from None
    made = programmes.create_from_template(empty_store, "P1", code="P1-2569", fiscal_year=2569)
    assert (made.code, made.fiscal_year, made.builtin) == ("P1-2569", 2569, False)
    assert programmes.get_programme(empty_store, "P1-2569").name == made.name
