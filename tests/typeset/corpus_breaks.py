"""Line breaks of the engine against ICU and libthai on a corpus of Thai official text.

    .venv/bin/python -m tests.typeset.corpus_breaks [--show N]

The corpus: ``corpus/seeds.txt`` (the five programme letters, OCR corrected as in
shared/DOMAIN.md), ``corpus/official.txt`` (letters, notices and report text of the same kind
written for this test: office, temple, person and place names, letters-and-dots
abbreviations, dates, phone numbers, URLs, e-mail addresses, quotes) and one line per
subdistrict sample of the gazetteer ("องค์การบริหารส่วนตำบล… อำเภอ… จังหวัด…", real place
names). Each paragraph is typeset at 3, 5, 8 and 16 cm in Sarabun 16 pt; every line start is
a break. A break is *accepted* where ICU or libthai would also break; *forced* where it falls
inside a run that neither reference can break and that is wider than the column by itself
(every typesetter must cut such a run somewhere); otherwise it is *foreign*.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

CORPUS = Path(__file__).parent / "corpus"
WIDTHS_CM = (3, 5, 8, 16)
FONT_SIZE = 16


def gazetteer_lines(count: int = 250, seed: int = 11) -> list[str]:
    from lev_desktop import gazetteer

    rng = random.Random(seed)
    lines = []
    provinces = gazetteer.provinces()
    for _ in range(count):
        p = rng.choice(provinces)
        d = rng.choice(gazetteer.districts(p.code))
        subs = gazetteer.subdistricts(d.code)
        s = rng.choice(subs) if subs else None
        prefix = rng.choice(["องค์การบริหารส่วนตำบล", "เทศบาลตำบล", "อบต.", "ทต."])
        district = d.name_th if d.name_th.startswith("เขต") else "อำเภอ" + d.name_th
        name = s.name_th if s else d.name_th
        lines.append(f"{prefix}{name} {district} จังหวัด{p.name_th}")
    return lines


def corpus_paragraphs() -> list[str]:
    paras = []
    for name in ("seeds.txt", "official.txt"):
        paras += [ln for ln in (CORPUS / name).read_text("utf-8").splitlines() if ln.strip()]
    paras += gazetteer_lines()
    return paras


def line_starts(source: str, lines: list[str]) -> list[int]:
    """Offsets in ``source`` where lines 2… begin (leading whitespace skipped)."""
    starts = []
    pos = 0
    for n, line in enumerate(lines):
        while pos < len(source) and source[pos].isspace():
            pos += 1
        if n:
            starts.append(pos)
        assert source.startswith(line, pos), (source[pos : pos + 40], line)
        pos += len(line)
    return starts


@dataclass
class Result:
    width_cm: float
    breaks: int = 0
    accepted: int = 0
    forced: int = 0
    url: int = 0  # after / ? . - & inside a URL or e-mail address: the issue's own rule
    foreign: list[tuple[str, int]] = field(default_factory=list)

    @property
    def foreign_share(self) -> float:
        return len(self.foreign) / self.breaks if self.breaks else 0.0


def _segment_around(text: str, p: int, breaks: set[int]) -> str:
    lo = max((b for b in breaks if b < p), default=0)
    hi = min((b for b in breaks if b > p), default=len(text))
    return text[lo:hi].strip()


def _in_url(text: str, p: int) -> bool:
    from exports.pdf.words import _URL_RE, URL_BREAK_AFTER

    return text[p - 1] in URL_BREAK_AFTER + "@" and any(
        m.start() < p < m.end() for m in _URL_RE.finditer(text)
    )


def measure(widths_cm=WIDTHS_CM, paragraphs=None) -> list[Result]:
    from exports.pdf import ThaiParagraph, string_width, thai_styles

    from .reference_breaks import icu_breaks, libthai_breaks

    paragraphs = paragraphs if paragraphs is not None else corpus_paragraphs()
    style = ParagraphStyle(
        "corpus", parent=thai_styles()["body"], fontSize=FONT_SIZE, leading=FONT_SIZE * 1.5
    )
    refs = [(p, icu_breaks(p), libthai_breaks(p)) for p in paragraphs]
    results = []
    for width_cm in widths_cm:
        width = width_cm * cm
        res = Result(width_cm)
        for text, icu, thai in refs:
            para = ThaiParagraph([(text, "Sarabun")], style)
            para.wrap(width, 1e9)
            for p in line_starts(text, para.line_texts()):
                res.breaks += 1
                if p in icu or p in thai:
                    res.accepted += 1
                    continue
                if _in_url(text, p):
                    res.url += 1
                    continue
                wide = all(
                    string_width(_segment_around(text, p, b), "Sarabun", FONT_SIZE) > width
                    for b in (icu, thai)
                )
                if wide:
                    res.forced += 1
                else:
                    res.foreign.append((text, p))
        results.append(res)
    return results


def report(results: list[Result], show: int = 0) -> str:
    out = []
    for r in results:
        out.append(
            f"{r.width_cm:4.0f} cm: {r.breaks:6d} breaks, foreign {len(r.foreign):4d} = "
            f"{100 * r.foreign_share:.2f} %, forced {r.forced} "
            f"({100 * r.forced / max(r.breaks, 1):.2f} %), URL rule {r.url}"
        )
        for text, p in r.foreign[:show]:
            out.append(f"      …{text[max(0, p - 18) : p]}|{text[p : p + 14]}…")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    show = int(argv[argv.index("--show") + 1]) if "--show" in argv else 0
    print(report(measure(), show))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
