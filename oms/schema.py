"""Every room's MetaData, for Alembic autogenerate and for tests. Add one line per room."""
from __future__ import annotations


def all_metadata() -> list:
    """Import lazily so that importing oms.schema builds nothing."""
    metadatas = []
    # Each room registers its MetaData here, e.g.:
    # from oms_core.adapters.orm import metadata as core; metadatas.append(core)
    from oms_core.adapters.orm import metadata as core; metadatas.append(core)
    from intake.store import metadata as intake; metadatas.append(intake)  # noqa: E702
    from review_ui.users.tables import metadata as review_ui; metadatas.append(review_ui)  # noqa: E702
    return metadatas
