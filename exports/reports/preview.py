"""Page pictures of a PDF for the preview pane, without Qt: poppler's ``pdftoppm`` when the
machine has it (Linux; CI installs poppler-utils). Without it the screen opens the PDF in the
system viewer instead."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def can_render() -> bool:
    return shutil.which("pdftoppm") is not None


def page_images(pdf: Path, folder: Path, *, dpi: int = 60, last_page: int = 6) -> list[Path]:
    """PNG pictures of the first pages (at most ``last_page``); [] when they cannot be made."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    subprocess.run(
        [tool, "-r", str(dpi), "-png", "-l", str(last_page), str(pdf), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(folder.glob("page-*.png"))
