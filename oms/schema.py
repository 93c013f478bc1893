"""Every room's MetaData, for Alembic autogenerate and for tests. Add one line per room."""
from __future__ import annotations


def all_metadata() -> list:
    """Import lazily so that importing oms.schema builds nothing."""
    metadatas = []
    # Each room registers its MetaData here, e.g.:
    # from oms_core.adapters.orm import metadata as core; metadatas.append(core)
    from oms_core.adapters.orm import metadata as core; metadatas.append(core)
    return metadatas
