"""What can be checked of the Windows installer and bundle on Linux: the NSIS script compiles
(makensis, apt package nsis) with its signing hook; it installs per user only and keeps the
data on uninstall; build.spec lists every data file of the checkout, the icon and version
information, and no libthai; the installed program's self-check; a .levpkg double-clicked in
Explorer opens the import preview (or, with another window open, lands in the inbox)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from lev_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "packaging" / "windows" / "lev-desktop.nsi"


def fake_bundle(folder: Path) -> Path:
    dist = folder / "lev-desktop"
    (dist / "_internal" / "resources").mkdir(parents=True)
    (dist / "lev-desktop.exe").write_bytes(b"MZ window")
    (dist / "lev.exe").write_bytes(b"MZ command line")
    (dist / "_internal" / "resources" / "x.txt").write_text("x")
    return dist


@pytest.mark.skipif(shutil.which("makensis") is None, reason="needs makensis (apt package nsis)")
def test_the_installer_compiles_and_its_signing_hook_runs(tmp_path):
    signed = tmp_path / "signed.txt"
    sign = tmp_path / "sign.sh"
    sign.write_text(f'#!/bin/sh\necho "$1" >> "{signed}"\n')
    sign.chmod(0o755)
    out = tmp_path / f"LEV-Desktop-{__version__}-setup.exe"
    done = subprocess.run(
        [
            "makensis",
            "-V2",
            "-WX",  # a warning is an error
            f"-DVERSION={__version__}",
            f"-DDIST={fake_bundle(tmp_path)}",
            f"-DOUTFILE={out}",
            f"-DSIGN_COMMAND={sign}",
            str(NSI),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes()[:2] == b"MZ" and out.stat().st_size > 50_000
    calls = signed.read_text().splitlines()
    assert len(calls) == 2 and str(out) in calls  # the uninstaller inside, then the installer


def test_the_installer_is_per_user_and_keeps_the_data():
    text = NSI.read_text("utf-8")
    code = "\n".join(line.split(";")[0] for line in text.splitlines())  # without comments
    assert re.search(r"^RequestExecutionLevel user$", code, re.M)
    assert "HKLM" not in code and "$PROGRAMFILES" not in code
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APPNAME}"' in code
    assert 'WriteRegStr HKCU "Software\\Classes\\.levpkg" "" "${PROGID}"' in code
    assert "shell\\open\\command" in code and '\\"%1\\"' not in code and '"%1"' in code
    assert 'CreateShortcut "$SMPROGRAMS\\${APPNAME}.lnk"' in code
    assert "!finalize" in code and "!uninstfinalize" in code
    uninstall = code[code.index('Section "Uninstall"') :]
    for removal in re.findall(r"^\s*(?:RMDir|Delete)\b.*$", uninstall, re.M):
        assert "$INSTDIR" in removal or "$SMPROGRAMS" in removal, removal
        assert "lev-desktop\\" not in removal.split("$INSTDIR")[0]
    assert "$PROFILE" not in uninstall and "$DOCUMENTS" not in uninstall
    assert 'RMDir /r "$INSTDIR"' not in uninstall  # never the whole folder blindly


class _Stand:
    """Stand-ins for PyInstaller's build classes: they keep what they were given."""

    made: ClassVar[list] = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.pure = self.scripts = self.binaries = self.datas = []
        _Stand.made.append(self)


class Analysis(_Stand):
    pass


class EXE(_Stand):
    pass


def run_spec() -> dict:
    _Stand.made = []
    namespace = {
        "SPECPATH": str(ROOT),
        "Analysis": Analysis,
        "PYZ": _Stand,
        "EXE": EXE,
        "COLLECT": _Stand,
        "__file__": str(ROOT / "build.spec"),
    }
    exec(compile((ROOT / "build.spec").read_text("utf-8"), "build.spec", "exec"), namespace)
    return namespace


def test_the_spec_lists_every_data_file():
    spec = run_spec()
    analyses = [m for m in _Stand.made if isinstance(m, Analysis)]
    assert len(analyses) == 2
    datas = analyses[0].kwargs["datas"]
    sources = [Path(source) for source, _target in datas]
    wanted = [
        path
        for folder in (ROOT / "resources", ROOT / "db" / "migrations")
        for path in folder.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert wanted
    missing = [
        str(path.relative_to(ROOT))
        for path in wanted
        if not any(path == source or source in path.parents for source in sources)
    ]
    assert missing == []
    assert ROOT / "resources" / "icons" in sources
    assert any("tzdata" in str(source) for source in sources)  # zoneinfo on Windows
    assert not analyses[0].kwargs["binaries"]  # no libthai any more
    # both programs get the icon and the version resource
    exes = [m for m in _Stand.made if isinstance(m, EXE)]
    assert sorted(m.kwargs["name"] for m in exes) == ["lev", "lev-desktop"]
    for exe in exes:
        assert exe.kwargs["icon"].endswith("lev-desktop.ico") and Path(exe.kwargs["icon"]).exists()
        version = Path(exe.kwargs["version"]).read_text("utf-8")
        assert f"u'{__version__}'" in version and "LEV Desktop" in version
    assert spec["__version__"] == __version__


def test_the_self_check_of_an_installed_copy(tmp_path):
    """What the Windows smoke test asks of lev-desktop.exe, here with libthai hidden."""
    from tests.windows.test_thai_wrap import hide_libthai

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LEV_DATA_DIR": str(tmp_path)}
    linux = sys.platform.startswith("linux")
    if linux:
        env = hide_libthai(tmp_path, env)
    report = tmp_path / "self-check.json"
    done = subprocess.run(
        [sys.executable, "-m", "ui.app", "--self-check", str(report)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(report.read_text("utf-8"))
    assert result["fonts"] == ["Sarabun"] and result["style"] == "fusion"
    if linux:
        assert result["qt_breaks"] == 0  # Qt alone finds no break: libthai is really hidden
    assert result["shown_breaks"] == result["words"] - 1 >= 6


# ---- a package opened from Explorer ---------------------------------------------------------


def test_package_paths_are_taken_and_qt_options_are_not():
    from ui.app import parse_args

    args = parse_args(["-platform", "offscreen", r"C:\Users\somsri\Downloads\ส่งอำเภอ.levpkg"])
    assert args.files == [r"C:\Users\somsri\Downloads\ส่งอำเภอ.levpkg"]
    assert parse_args(["--demo", "offscreen"]).files == []


def test_a_double_clicked_package_opens_the_import_preview(qtbot, tmp_path):
    from lev_desktop.exchange.exporter import export_package
    from tests.exchange.helpers import make_district, make_lao
    from ui.app import Launcher

    lao = make_lao(tmp_path / "lao.db", "4801006", seed=4)
    package = export_package(lao, "D4801", tmp_path / "ส่งอำเภอ.levpkg").path
    lao.dispose()
    make_district(tmp_path / "district.db").dispose()
    from db.store import resolve_url

    launcher = Launcher(resolve_url(tmp_path / "district.db"), files=[str(package)])
    with qtbot.waitSignal(launcher.ready, timeout=60000) as ready:
        launcher.start()
    window = ready.args[0]
    qtbot.addWidget(window)
    screen = window.page("exchange")
    qtbot.waitUntil(lambda: screen.import_tab.plan is not None, timeout=30000)
    assert window.current_key() == "exchange"
    assert screen.import_tab.files == [str(package.resolve())]
    launcher.runner.wait()
    launcher.store.dispose()


def test_with_another_window_open_the_package_goes_to_the_inbox(tmp_path):
    from lev_desktop.exchange.inbox import inbox_dir
    from ui.app import deliver_to_inbox

    package = tmp_path / "ส่งอำเภอ.levpkg"
    package.write_bytes(b"PK package")
    note = deliver_to_inbox([str(package)])
    assert (inbox_dir() / package.name).read_bytes() == b"PK package"
    assert str(inbox_dir()) in note and "จากโฟลเดอร์กล่องรับ" in note
