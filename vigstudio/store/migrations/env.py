"""Alembic environment: runs on the already-open, already-keyed connection handed over by the store.

`vigstudio.store.migrate` puts that connection into `config.attributes["connection"]`; there is no
URL, so nothing here can open the database unencrypted.
"""

from alembic import context

from vigstudio.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through vigstudio.store.migrate, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table instead
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
