"""Alembic environment: runs each room's branch against the configured URL."""
from alembic import context

from oms.db import make_engine
from oms.schema import all_metadata

config = context.config
target_metadata = all_metadata()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
