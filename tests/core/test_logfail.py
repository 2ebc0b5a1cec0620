"""The suite's own rule (tests/conftest.py): an error logged during a test, such as a background
job that failed with nobody to tell, fails that test; a test that expects the error says so
with ``caplog``. Run on a small test file in a child pytest with the suite's conftest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

CASES = """
import logging


def test_logs_an_error():
    logging.getLogger("lev").error("something broke")


def test_expects_the_error(caplog):
    logging.getLogger("lev").error("something broke")
    assert "broke" in caplog.text


def test_a_background_job_fails_unseen(qtbot):
    from ui.workers import Runner

    runner = Runner()
    runner.run(lambda _progress: 1 / 0)
    assert runner.wait(10000)
    qtbot.waitUntil(lambda: not runner.active)  # the failure arrives queued on the GUI thread


def test_a_background_job_fails_and_is_handled(qtbot):
    from ui.workers import Runner

    seen = []
    runner = Runner()
    runner.run(lambda _progress: 1 / 0, on_failure=seen.append)
    assert runner.wait(10000)
    qtbot.waitUntil(lambda: len(seen) == 1)
"""


def test_a_logged_error_or_an_unseen_failed_job_fails_the_test(tmp_path: Path):
    suite = tmp_path / "suite"
    suite.mkdir()
    shutil.copy(TESTS / "conftest.py", suite / "conftest.py")
    (suite / "test_cases.py").write_text(CASES, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-q", str(suite)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    outcome = {
        line.split(" ", 1)[1].split("::")[1].split(" ")[0]: line.split(" ", 1)[0]
        for line in run.stdout.splitlines()
        if line.startswith(("PASSED ", "FAILED ", "ERROR ")) and "::" in line
    }
    assert outcome == {
        "test_logs_an_error": "FAILED",
        "test_expects_the_error": "PASSED",
        "test_a_background_job_fails_unseen": "FAILED",
        "test_a_background_job_fails_and_is_handled": "PASSED",
    }, run.stdout[-3000:]
    assert "error logged during the test" in run.stdout
    assert "background job failed" in run.stdout
