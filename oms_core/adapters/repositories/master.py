"""Bulk master-data loading: set-based upserts (INSERT .. ON CONFLICT) in the caller's transaction."""
from __future__ import annotations

import sqlalchemy as sa
from tqdm import tqdm

from oms_core.adapters import orm, pg_copy
from oms_core.adapters.sql import upsert_statement

BATCH = 5000
# table -> (conflict key, columns updated on re-import); stock keeps its reserved counter
UPSERTS = {
    "products": (("sku",), None),
    "uom_conversions": (("sku", "uom"), None),
    "customers": (("customer_id",), None),
    "ship_to": (("customer_id", "ship_to_id"), None),
    "customer_items": (("customer_id", "customer_sku"), None),
    "warehouses": (("warehouse_id",), None),
    "stock": (("warehouse_id", "sku"), ("on_hand",)),
}
ORDER = ("products", "uom_conversions", "customers", "ship_to", "customer_items", "prices", "warehouses",
         "stock", "kits")
_KEY_COLUMNS = {"products": orm.products.c.sku, "customers": orm.customers.c.customer_id,
                "warehouses": orm.warehouses.c.warehouse_id}


class SqlMasterRepository:
    def __init__(self, session):
        self.session = session

    def existing_keys(self, target: str) -> set:
        """Keys already stored for products, customers or warehouses."""
        return set(self.session.execute(sa.select(_KEY_COLUMNS[target])).scalars())

    def load(self, tables: dict[str, list[dict]], progress: bool = True) -> dict[str, int]:
        """Upsert every table's rows in dependency order; prices and kits are replaced per key."""
        dialect = self.session.get_bind().dialect.name
        counts = {}
        for name in ORDER:
            rows = tables.get(name)
            if rows is None:
                continue
            rows = [self._prepare(name, row) for row in rows]
            if dialect == "postgresql" and rows:
                counts[name] = self._copy_load(name, rows, progress)
                continue
            if name == "prices":
                self._delete_where(orm.prices, ("customer_id", "sku"), rows)
                statement = orm.prices.insert()
            elif name == "kits":
                self._delete_where(orm.kits, ("kit_sku",), rows)
                statement = orm.kits.insert()
            else:
                keys, update = UPSERTS[name]
                table = orm.metadata.tables[name]
                update = update or ([c for c in rows[0] if c not in keys] if rows else [])
                statement = upsert_statement(dialect, table, keys, update)
            with tqdm(total=len(rows), desc=f"load {name}", unit=" rows", disable=None if progress else True, leave=False) as bar:
                for start in range(0, len(rows), BATCH):
                    batch = rows[start:start + BATCH]
                    self.session.execute(statement, batch)
                    bar.update(len(batch))
            counts[name] = len(rows)
        return counts

    def _copy_load(self, name: str, rows: list[dict], progress: bool) -> int:
        """PostgreSQL: COPY into a temp table and merge with one statement (much faster than INSERTs)."""
        table = orm.metadata.tables[name]
        columns = list(rows[0])
        with tqdm(total=len(rows), desc=f"load {name}", unit=" rows", disable=None if progress else True,
                  leave=False) as bar:
            temp = pg_copy.copy_into_temp(self.session, table, columns, rows, on_row=bar.update)
        if name in ("prices", "kits"):
            group = ("customer_id", "sku") if name == "prices" else ("kit_sku",)
            pg_copy.replace_from_temp(self.session, table, temp, columns, group)
        else:
            keys, update = UPSERTS[name]
            pg_copy.merge_from_temp(self.session, table, temp, columns, keys,
                                    update or [c for c in columns if c not in keys])
        return len(rows)

    def _delete_where(self, table: sa.Table, columns: tuple[str, ...], rows: list[dict]) -> None:
        keys = sorted({tuple(row[c] for c in columns) for row in rows})
        for start in range(0, len(keys), BATCH):
            chunk = keys[start:start + BATCH]
            if len(columns) == 1:
                condition = table.c[columns[0]].in_([k[0] for k in chunk])
            else:
                condition = sa.tuple_(*(table.c[c] for c in columns)).in_(chunk)
            self.session.execute(table.delete().where(condition))

    @staticmethod
    def _prepare(name: str, row: dict) -> dict:
        if name == "stock":
            return {**row, "reserved": 0}
        if name == "customers":
            return {"vat_id": None, "active": True, **row}
        return row
