"""LEV Desktop core: domain, storage services, deadlines, exchange and reports.

Nothing under this package (except ``ui``) imports Qt.
"""

__version__ = "0.1.0"
APP_NAME = "LEV Desktop"
APP_ID = "lev-desktop"
