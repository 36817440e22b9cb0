"""Alembic environment: always run against the engine the app hands over."""

from __future__ import annotations

from alembic import context

from desktop.store.models import Base

config = context.config
target_metadata = Base.metadata


def include_name(name, type_, parent_names) -> bool:  # noqa: ANN001
    """FTS5 virtual tables and their shadow tables are not in the models."""
    return not (type_ == "table" and name and name.startswith("dossier_search"))


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        from sqlalchemy import create_engine

        engine = create_engine(url)
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite cannot ALTER most things in place
            compare_type=True,
            include_name=include_name,
        )
        context.run_migrations()


run_migrations_online()
