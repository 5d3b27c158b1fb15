"""Alembic migrations of library.db, run programmatically by `vigstudio.store.migrate` (no alembic.ini)."""
