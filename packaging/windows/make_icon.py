"""Draws the application icon (a white leaf on the programme's green) and writes
resources/icons/lev-desktop.ico (16–256 px, for the .exe, the installer, the .levpkg files)
and lev-desktop.png (256 px, for the window). Run once after changing the drawing:

    .venv/bin/python packaging/windows/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
GREEN = (46, 125, 50, 255)
WHITE = (255, 255, 255, 255)
SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]


def draw(size: int = 1024) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(image).rounded_rectangle(
        (0, 0, size - 1, size - 1), radius=size // 6, fill=GREEN
    )
    # a leaf: where two circles overlap, tilted 45°
    r, cx, cy, shift = int(size * 0.42), size // 2, size // 2, int(size * 0.2)
    left = Image.new("L", (size, size), 0)
    ImageDraw.Draw(left).ellipse((cx - shift - r, cy - r, cx - shift + r, cy + r), fill=255)
    right = Image.new("L", (size, size), 0)
    ImageDraw.Draw(right).ellipse((cx + shift - r, cy - r, cx + shift + r, cy + r), fill=255)
    leaf = Image.composite(left, Image.new("L", (size, size), 0), right)
    leaf = leaf.rotate(45, resample=Image.Resampling.BICUBIC, center=(cx, cy))
    rib = Image.new("L", (size, size), 0)
    reach = int(size * 0.25)
    ImageDraw.Draw(rib).line(  # the midrib, along the leaf
        (cx - reach, cy - reach, cx + reach, cy + reach), fill=255, width=max(2, size // 40)
    )
    stem = Image.new("L", (size, size), 0)
    ImageDraw.Draw(stem).line(  # and its stalk, out of the leaf's lower tip
        (cx + reach, cy + reach, cx + int(size * 0.4), cy + int(size * 0.4)),
        fill=255,
        width=max(2, size // 28),
    )
    image.paste(WHITE, mask=leaf)
    image.paste(GREEN, mask=rib)
    image.paste(WHITE, mask=stem)
    return image


def main() -> None:
    folder = ROOT / "resources" / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(folder / "lev-desktop.png")
    big.save(folder / "lev-desktop.ico", sizes=[(s, s) for s in SIZES])
    print(folder / "lev-desktop.ico")


if __name__ == "__main__":
    main()
