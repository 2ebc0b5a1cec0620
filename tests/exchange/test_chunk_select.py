"""``Chunk.select``: the rows the commit writes for each kind of change, in their order, whether
the block's rows are all selected (handed over as they are) or only some."""

from __future__ import annotations

import pytest

from lev_desktop.exchange.importer import (
    FORCED,
    FORCED_ONLY,
    NEW,
    NEW_ONLY,
    SKIP,
    UPDATE,
    UPDATE_ONLY,
    WRITTEN,
    Chunk,
)
from lev_desktop.exchange.spool import RowSpool


def _chunk(modes: list[int], *, objects: int | None = None) -> tuple[Chunk, list[tuple]]:
    spool = RowSpool(objects=objects)
    rows = [(f"id{i}", i) for i in range(len(modes))]
    block = spool.put_rows(rows, 100)
    return Chunk("kpi_values", spool, block, bytearray(modes), 1), rows


@pytest.mark.parametrize("objects", [None, 0])  # rows kept as objects / pickled in the spool
def test_every_row_selected(objects):
    chunk, rows = _chunk([NEW, NEW, NEW], objects=objects)
    assert chunk.select(NEW_ONLY) == rows
    assert chunk.select(WRITTEN) == rows
    assert chunk.select(UPDATE_ONLY) == []


@pytest.mark.parametrize("objects", [None, 0])
def test_some_rows_selected_in_their_order(objects):
    modes = [NEW, SKIP, UPDATE, NEW, FORCED, UPDATE]
    chunk, rows = _chunk(modes, objects=objects)
    assert chunk.select(NEW_ONLY) == [rows[0], rows[3]]
    assert chunk.select(UPDATE_ONLY) == [rows[2], rows[5]]
    assert chunk.select(FORCED_ONLY) == [rows[4]]
    assert chunk.select(WRITTEN) == [r for r, m in zip(rows, modes, strict=True) if m != SKIP]


def test_no_block_or_nothing_selected():
    chunk, _rows = _chunk([SKIP, SKIP])
    assert chunk.select(WRITTEN) == []
    chunk.block = None
    assert chunk.select(WRITTEN) == []


def test_modes_that_do_not_fit_the_rows_are_an_error():
    chunk, _rows = _chunk([NEW, NEW])
    chunk.modes = bytearray([NEW, NEW, NEW])
    with pytest.raises(ValueError):
        chunk.select(NEW_ONLY)
