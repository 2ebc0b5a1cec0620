"""Imports every model module so that ``Base.metadata`` knows all tables (Alembic, tests).

Area modules (``db/models_<area>.py``) add their import here.
"""

from lev_desktop.db import models  # noqa: F401
from lev_desktop.db import models_deadlines  # noqa: F401
from lev_desktop.db import models_exchange  # noqa: F401
