"""Runs first inside the PyInstaller bundle: point libthai at its bundled dictionary."""

import os
import sys

_base = getattr(sys, "_MEIPASS", None)
if _base and os.path.exists(os.path.join(_base, "libthai", "thbrk.tri")):
    os.environ.setdefault("LIBTHAI_DICTDIR", os.path.join(_base, "libthai"))
