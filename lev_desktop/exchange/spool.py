"""Where an import keeps the rows it checked until the commit writes them.

A national import checks ~860 k records in its preview; held as Python tuples they took over a
gigabyte. The preview puts each payload's database rows here as one pickled block, in memory up
to ``MEMORY`` bytes and in an anonymous temporary file beyond, and keeps only what it must
compare (ids, revisions, natural keys). The commit reads the blocks back one at a time.

Every block carries a keyed BLAKE2b digest (a random key that never leaves this process), so
the commit writes exactly what the preview checked: a temporary file changed in between is
refused, never unpickled.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import threading
from dataclasses import dataclass
from typing import Any

from lev_desktop.i18n import _

MEMORY = 32 * 1024**2  # kept in memory up to this size, then in a temporary file
# Rows read in the importing process are kept as they are (Python objects, neither pickled nor
# digested) up to this many bytes of payload (JSON); beyond, pickled into the spool. A province
# (200 LAOs, ~10 MB of payloads) stays under it: the pickling and digests cost it ~15 % of its
# import; a national import spills after the first few hundred packages.
OBJECTS = 16 * 1024**2


class SpoolError(OSError):
    """The temporary file could not be written or read back (disk full, removed, changed).

    An error of the disk keeps its errno (the disk-full message of ``errors.describe_error``);
    a block that no longer matches its digest, or a closed spool, says in Thai what to do."""

    @property
    def user_message(self) -> str | None:  # what errors.describe_error shows
        if self.errno is not None:
            return None  # the disk's own error: described by its errno
        return _(
            "The checked records kept for this import were changed or removed before they were "
            "written, so nothing was imported. Please check the packages again and import."
        )


@dataclass(frozen=True, slots=True, eq=False)
class Block:
    """One stored payload: where it is and its digest, or its rows themselves (``put_rows``)."""

    offset: int
    size: int
    digest: bytes
    rows: list[tuple[Any, ...]] | None = None


class RowSpool:
    def __init__(self, memory: int = MEMORY, objects: int | None = None):
        # open for the plan's life (closed by close(), or when the plan is dropped)
        self._file: Any = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=memory, prefix="lev-import-"
        )
        self._key = os.urandom(32)
        self._end = 0
        self._objects_left = OBJECTS if objects is None else objects
        self._lock = threading.Lock()  # a plan may be previewed and committed on two threads

    def _digest(self, data: bytes) -> bytes:
        return hashlib.blake2b(data, key=self._key, digest_size=32).digest()

    def put_blob(self, data: bytes) -> Block:
        """Stores rows already pickled (``dump``); returns where."""
        with self._lock:
            if self._file is None:
                raise SpoolError("spool closed")
            try:
                self._file.seek(self._end)
                self._file.write(data)
            except OSError as exc:
                raise SpoolError(exc.errno, exc.strerror, exc.filename) from exc
            block = Block(self._end, len(data), self._digest(data))
            self._end += len(data)
            return block

    def put_rows(self, rows: list[tuple[Any, ...]], size: int) -> Block:
        """Rows as Python objects, ``size`` bytes as they came (the payload): kept as they are
        while the object budget lasts (memory of this process, as trusted as the rest of it),
        else pickled into the spool. The caller does not change ``rows`` afterwards."""
        with self._lock:
            if self._file is None:
                raise SpoolError("spool closed")
            if size <= self._objects_left:
                self._objects_left -= size
                return Block(-1, size, b"", rows)
        return self.put_blob(dump(rows))

    def get(self, block: Block) -> list[tuple[Any, ...]]:
        """The rows stored with ``put_rows`` or ``put_blob(dump(rows))``."""
        if block.rows is not None:
            if self._file is None:
                raise SpoolError("spool closed")
            return block.rows
        rows: list[tuple[Any, ...]] = pickle.loads(self.get_bytes(block))  # digest checked
        return rows

    def get_bytes(self, block: Block) -> bytes:
        """The bytes stored in ``block``, exactly as they were put (else SpoolError)."""
        with self._lock:
            if self._file is None:
                raise SpoolError("spool closed")
            try:
                self._file.seek(block.offset)
                data = self._file.read(block.size)
            except OSError as exc:
                raise SpoolError(exc.errno, exc.strerror, exc.filename) from exc
        if len(data) != block.size or self._digest(data) != block.digest:
            raise SpoolError("the import's temporary file was changed")
        return bytes(data)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def __del__(self) -> None:  # the plan was dropped without a commit
        # (no module-level name here: at interpreter shutdown ``contextlib`` may already be
        # None, and "Exception ignored in RowSpool.__del__" was printed on exit)
        try:  # noqa: SIM105
            self.close()
        except Exception:  # a finaliser must not raise
            pass


def dump(rows: list[tuple[Any, ...]]) -> bytes:
    """Rows → the bytes a block holds (also what a worker process sends back)."""
    return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)


def load(data: bytes) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = pickle.loads(data)
    return rows
