"""Migration 0005: tables, seeded holidays and the form index (0009 widens it); it
downgrades cleanly."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from db.migrate import alembic_config


def _run(store, fn, target):
    with store.engine.begin() as connection:
        config = alembic_config(store)
        config.attributes["connection"] = connection
        fn(config, target)


def test_upgrade_creates_and_seeds_and_downgrade_removes(empty_store):
    names = inspect(empty_store.engine).get_table_names()
    assert {"obligation_marks", "holidays"} <= set(names)
    with empty_store.engine.connect() as connection:
        count = connection.execute(text("select count(*) from holidays")).scalar()
    assert count >= 7 * 14  # fixed-date holidays of seven years, plus the lunar ones
    indexes = {i["name"] for i in inspect(empty_store.engine).get_indexes("form_submissions")}
    assert "ix_form_submissions_facts" in indexes  # 0009's covering index replaces 0005's
    _run(empty_store, command.downgrade, "0008")
    indexes = {i["name"] for i in inspect(empty_store.engine).get_indexes("form_submissions")}
    assert "ix_form_submissions_programme_form_period" in indexes
    _run(empty_store, command.downgrade, "0001")
    names = inspect(empty_store.engine).get_table_names()
    assert "holidays" not in names and "obligation_marks" not in names
    _run(empty_store, command.upgrade, "head")
    assert "holidays" in inspect(empty_store.engine).get_table_names()
