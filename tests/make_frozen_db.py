"""Freezes a populated database of the current schema head as SQL text, for the upgrade test.

Run once per released schema: ``.venv/bin/python tests/make_frozen_db.py`` writes
``tests/data/frozen/<revision>.sql``. The file is committed and never regenerated.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
from pathlib import Path

from db.migrate import head_revision
from db.store import Store
from lev_desktop.services import demo
from lev_desktop.services.offices import initialise

OUT = Path(__file__).resolve().parent / "data" / "frozen"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "frozen.db"
        store = Store(path)
        initialise(
            store,
            level="lao",
            code="4801006",
            name="องค์การบริหารส่วนตำบลหนองแสง",
            lao_type="sao",
            parent="D4801",
            province_code="48",
            district_code="4801",
            officer="ผู้ทดสอบ",
        )
        with store.session() as session:
            demo.insert_records(session, demo.lao_records("4801006", random.Random(7)))
        store.dispose()
        connection = sqlite3.connect(path)
        OUT.mkdir(parents=True, exist_ok=True)
        target = OUT / f"{head_revision()}.sql"
        target.write_text("\n".join(connection.iterdump()) + "\n", encoding="utf-8")
        connection.close()
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
