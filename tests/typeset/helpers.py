"""Build PDFs and read them back with poppler (pdftotext, pdffonts)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

HARD_WORDS = [
    "ที่",
    "ผู้",
    "ญี่ปุ่น",
    "ปั้น",
    "น้ำ",
    "ปุ๋ย",
    "เคลื่อน",
    "ฐุ",
    "ญุ",
    "ฝั่ง",
    "ปิ่น",
    "ก่ำ",
    "ฟ้า",
    "ป่า",
    "ฤๅษี",
    "ฎีกา",
    "ฏุ",
    "ฬุ",
]


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is missing: apt-get install poppler-utils")
    return path


def build(story, path: Path, **kwargs) -> Path:
    doc = SimpleDocTemplate(str(path), pagesize=kwargs.pop("pagesize", A4), **kwargs)
    doc.build(story)
    return path


def pdftotext(path: Path, *args: str) -> str:
    out = subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", *args, str(path), "-"], check=True, capture_output=True
    )
    return out.stdout.decode("utf-8")


def pdffonts(path: Path) -> str:
    return subprocess.run(
        [tool("pdffonts"), str(path)], check=True, capture_output=True, text=True
    ).stdout


def page_count(path: Path) -> int:
    out = subprocess.run(
        [tool("pdfinfo"), str(path)], check=True, capture_output=True, text=True
    ).stdout
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def nfkd(text: str) -> str:
    return unicodedata.normalize("NFKD", text)


def squash(text: str) -> str:
    """NFKD without any whitespace (line breaks and spaces are layout, not text)."""
    return "".join(nfkd(text).split())
