"""Storage: SQLAlchemy models, the one session facade (``Store``) and Alembic migrations."""
