"""Smaller Windows matters: the widget style under the stylesheet, font hinting for 96-dpi
screens, one log file per process, the time zones zoneinfo needs."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from PySide6.QtGui import QFont

ROOT = Path(__file__).resolve().parents[2]


def test_the_style_is_fusion_with_thai_breaks_under_the_stylesheet(qapp):
    from ui import style, thai_wrap
    from ui.app import make_application

    make_application()
    try:
        (ours,) = style._styled
        assert isinstance(ours, thai_wrap.ThaiWrapStyle)
        assert ours.baseStyle().name().lower() == "fusion"
        assert qapp.styleSheet() == style.stylesheet()
    finally:
        thai_wrap.uninstall(qapp)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (1.0, QFont.HintingPreference.PreferFullHinting),  # 96 dpi, 100 %
        (1.25, QFont.HintingPreference.PreferFullHinting),  # 1366×768 laptop at 125 %
        (1.5, QFont.HintingPreference.PreferNoHinting),
        (2.0, QFont.HintingPreference.PreferNoHinting),
    ],
)
def test_hinting_suits_the_screen(ratio, expected):
    from ui import style

    assert style.hinting_for(ratio) == expected


def test_the_application_font_is_hinted_on_an_ordinary_screen(qapp, monkeypatch):
    from ui import style

    monkeypatch.setattr(style, "_screen_ratio", lambda: 1.0)
    assert style.app_font().hintingPreference() == QFont.HintingPreference.PreferFullHinting


def test_each_process_logs_to_its_own_file(tmp_path):
    """Two starts at the same moment (a second window refused by the lock) write two files."""
    script = (
        "import logging, sys\n"
        "from ui.app import setup_logging\n"
        "path = setup_logging()\n"
        "logging.getLogger('t').info('hello from %s', sys.argv[1])\n"
        "print(path)\n"
    )
    env = {**os.environ, "LEV_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    # the catalogues compiled into the cache once first (two first starts racing on that cache
    # are the trust issue's, not this test's)
    subprocess.run([sys.executable, "-c", "import ui.app"], cwd=ROOT, env=env, check=True)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    paths = [Path(out.strip()) for out, _err in outputs]
    assert paths[0] != paths[1] and all(p.parent == tmp_path / "logs" for p in paths)
    assert "hello from first" in paths[0].read_text("utf-8")
    assert "hello from second" in paths[1].read_text("utf-8")
    assert "second" not in paths[0].read_text("utf-8")


def test_old_logs_are_pruned(tmp_path):
    from ui.app import LOG_KEEP, _prune_logs

    for number in range(LOG_KEEP + 5):
        path = tmp_path / f"lev-desktop-2026010{number:02d}-1.log"
        path.write_text("x")
        os.utime(path, (1_700_000_000 + number, 1_700_000_000 + number))
    _prune_logs(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == LOG_KEEP and "lev-desktop-202601024-1.log" in left
    logging.getLogger().debug("pruned")


def test_tzdata_is_pinned_and_serves_zoneinfo_without_a_system_database(tmp_path):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert any(d.startswith("tzdata==") for d in project["dependencies"])
    # PYTHONTZPATH empty: no system time-zone files, as on Windows; tzdata must answer
    env = {**os.environ, "PYTHONTZPATH": ""}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from lev_desktop.deadlines.ics import BANGKOK; import zoneinfo;"
            "print(zoneinfo.TZPATH, BANGKOK.key)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "() Asia/Bangkok"
