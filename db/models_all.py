"""Imports every model module so that ``Base.metadata`` knows all tables (Alembic, tests).

Area modules (``db/models_<area>.py``) add their import here.
"""

from db import (
    models,  # noqa: F401
    models_deadlines,  # noqa: F401
    models_exchange,  # noqa: F401
)
