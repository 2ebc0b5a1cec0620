"""Data exchange between offices: signed packages (.levpkg), export, import with a dry-run
preview, trust of office keys, conflicts. Qt-free; the screen is ``ui/screens/exchange.py``
and the command line ``lev export`` / ``lev import``. The format is written down in
``docs/exchange-format.md``.
"""

from lev_desktop.exchange.errors import Refusal

__all__ = ["Refusal"]
