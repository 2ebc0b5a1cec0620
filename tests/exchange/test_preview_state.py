"""Issue 14 (import speed): what the preview keeps of the batch is added a payload at a time
when every record is new (``_State.added``: one journal entry, not one per record), and taken
back exactly when the package is refused (``_State.undo``); natural keys that are all new are
taken as the loop over each key takes them (``_State.key_clashes``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy

from lev_desktop.exchange import importer
from lev_desktop.exchange.records import codecs


def _state() -> Any:
    """A _State without a database: the batch bookkeeping alone."""
    state = object.__new__(importer._State)
    state.journal = []
    state.natural = {"plans": {}}
    state._stored_keys = {}
    state.counts = {"plans": 0}
    return state


def test_keys_added_together_are_taken_back_together_with_the_rest():
    state = _state()
    pending: dict[str, Any] = {"kept": 1}
    state.journal.append((pending, "kept", None))  # (a record of an earlier payload)
    pending["old"] = 0
    state.journal.append((pending, "old", 7))  # changed: put back to 7
    pending["old"] = 8
    ids = ["a", "b", "c"]
    pending.update(dict.fromkeys(ids, 2))
    state.added(pending, ids)
    assert len(state.journal) == 3
    state.undo()
    assert pending == {"old": 7}
    assert state.journal == []


def test_new_natural_keys_are_taken_as_the_loop_takes_them():
    keys = [("4801006", "p1", 2568), ("4801006", "p2", 2568)]

    def clashes(state: Any, ids: list[str], these: list[Any]) -> list[Any]:
        return state.key_clashes("plans", "4801006", ids, these)

    fast, slow = _state(), _state()
    # (a key of another record already here: the loop over each key runs)
    slow._stored_keys[("plans", "4801006")] = {("4801006", "p9", 2560): "z"}
    assert clashes(fast, ["a", "b"], keys) == clashes(slow, ["a", "b"], keys) == []
    assert (
        fast.natural == slow.natural == {"plans": {"4801006": dict(zip(keys, "ab", strict=True))}}
    )
    assert len(fast.journal) == 1
    # The same key again under another id (in another package): a clash, found by the loop.
    found = clashes(fast, ["x"], [keys[0]])
    assert [(c.incoming_id, c.existing_id, c.in_database) for c in found] == [("x", "a", False)]
    # A key repeated within one payload under two ids: the loop finds the second.
    found = clashes(_state(), ["a", "b"], [keys[0], keys[0]])
    assert [(c.incoming_id, c.existing_id) for c in found] == [("b", "a")]
    fast.undo()
    assert fast.natural == {"plans": {"4801006": {}}}


def test_an_empty_list_or_object_is_stored_as_its_column_stores_it():
    """The text of an empty attachment list or object is made once per codec, not per record:
    the same text the column's own bind processor makes, and a full one still through it."""
    dialect = sqlalchemy.create_engine("sqlite://").dialect
    codec = codecs(dialect)["activities"]
    at = codec.columns.index("attachments")
    column = codec.table.c["attachments"]
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    record = {
        "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "owner_office": "4801006",
        "revision": 1,
        "updated_at": "2025-01-02T03:04:05",
        "updated_by": "x",
        "deleted": False,
        "plan_item_id": "1f8fad5b-d9cb-469f-a165-70867728950e",
    }
    empty = codec.row_from_json({**record, "attachments": []})
    full = codec.row_from_json({**record, "attachments": ["a.pdf"]})
    assert empty[at] == process([])
    assert full[at] == process(["a.pdf"])


def test_the_rows_of_every_table_are_counted_in_one_statement(tmp_path):
    """``_State.counts`` (whether a table holds any record, and how many against the ids
    asked about) read with one statement: the same numbers as a count per table."""
    from sqlalchemy import func, select

    from lev_desktop.exchange.records import TABLES

    from .helpers import make_lao

    store = make_lao(tmp_path / "lao.db", "4801006")
    try:
        with store.read() as session:
            counted = importer._row_counts(session.connection())
            expected = {
                name: session.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in TABLES.items()
            }
        assert counted == expected
        assert list(counted) == list(TABLES)
        assert counted["plans"] and counted["offices"]
    finally:
        store.dispose()


def test_a_database_without_its_office_is_refused_before_any_file_is_read(tmp_path):
    """This office is found among the offices the preview reads (one query for all of them):
    a database not set up, or whose own office row is missing, is refused in Thai."""
    import pytest

    from db.models import Office
    from db.store import Store
    from lev_desktop.exchange.errors import Refusal

    from .helpers import make_district

    empty = Store(tmp_path / "empty.db")
    district = make_district(tmp_path / "district.db")
    try:
        assert importer._State(district).me.code == "D4801"
        assert importer._State(district).offices["D4801"] == importer._State(district).me
        with district.session() as session:
            session.query(Office).filter(Office.code == "D4801").delete()
        for store in (empty, district):
            with pytest.raises(Refusal) as refused:
                importer.preview(store, [tmp_path / "never-read.levpkg"])
            assert refused.value.code == "no_office"
    finally:
        empty.dispose()
        district.dispose()
