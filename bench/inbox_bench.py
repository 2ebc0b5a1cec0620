"""The inbox list (``pending_packages``, the home screen's "Packages received, not yet imported")
over 20 and 200 LAO packages (``exchange_bench.generate``), at the province they are addressed to.

    python bench/inbox_bench.py [--counts 20 200] [--repeat 7] [--trusted] [--folder DIR]

Prints the median and the best of ``--repeat`` calls per count, in milliseconds: with every
file checked (the first listing, or after a file changed) and, where the checkout keeps its
checks between calls, with the files remembered (the home screen's next refreshes). ``--trusted``
first records every package's key as trusted, so that every line is named from the database.
``--folder`` keeps the generated packages there (and reuses them), so that two checkouts can be
timed on the same files: run it with each checkout's ``PYTHONPATH``, alternately.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _pending():
    try:
        from lev_desktop.exchange.inbox import pending_packages
    except ImportError:  # (before the list moved beside the package checks)
        from lev_desktop.services.inbox import pending_packages  # type: ignore[no-redef]
    return pending_packages


def _trust(store, files: list[Path]) -> None:
    from db.models_exchange import TrustedKey

    with store.session() as session:
        for path in files:
            with zipfile.ZipFile(path) as archive:
                manifest = json.loads(archive.read("manifest.json"))
            key = manifest["sender_key"]
            session.add(
                TrustedKey(
                    office_code=manifest["sender"]["code"],
                    public_key=key["public_key"],
                    fingerprint=key["fingerprint"],
                )
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--trusted", action="store_true")
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    base = args.folder or Path(tempfile.mkdtemp(prefix="lev-inbox-bench-"))
    os.environ["LEV_DATA_DIR"] = str(base / "data")
    from exchange_bench import _store, generate

    pending_packages = _pending()
    for count in args.counts:
        folder = base / f"n{count}"
        files = sorted((folder / "laos").glob("*.levpkg"))
        if len(files) != count:
            files, _rows = generate(folder, count, "P10")
        database = Path(tempfile.mkdtemp(prefix="lev-inbox-db-")) / "p10.db"
        store = _store(database, "province", "P10", parent="DLA")
        if args.trusted:
            _trust(store, files)
        pending_packages(store, folder / "laos")  # (first call: imports, caches)
        module = sys.modules[pending_packages.__module__]
        remembered = getattr(module, "_checked", None)  # the checks kept between calls
        for label, forget in (("every file checked", True), ("files remembered", False)):
            if not forget and remembered is None:
                continue
            times = []
            for _ in range(args.repeat):
                if forget and remembered is not None:
                    remembered.clear()
                start = time.perf_counter()
                found = pending_packages(store, folder / "laos")
                times.append((time.perf_counter() - start) * 1000)
            assert len(found) == count, len(found)
            print(
                f"{count} packages, {label}: median {statistics.median(times):.1f} ms, "
                f"best {min(times):.1f} ms ({args.repeat} calls)"
            )
        store.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
