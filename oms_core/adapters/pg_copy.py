"""PostgreSQL fast path for bulk loads: COPY into a temporary table, then one set-based statement."""
from __future__ import annotations

import json
from typing import Iterable, Sequence

import sqlalchemy as sa

from oms_core.adapters.types import Json, jsonable


def copy_into_temp(session, table: sa.Table, columns: Sequence[str], rows: Iterable[dict], on_row=None) -> str:
    """COPY `rows` into a temp table shaped like `table` (dropped at commit); returns its name."""
    temp = f"tmp_import_{table.name}"
    column_list = ", ".join(f'"{c}"' for c in columns)
    session.execute(sa.text(f'DROP TABLE IF EXISTS "{temp}"'))
    session.execute(sa.text(f'CREATE TEMP TABLE "{temp}" ON COMMIT DROP AS '
                            f'SELECT {column_list} FROM "{table.name}" WITH NO DATA'))
    json_columns = {c for c in columns if isinstance(table.c[c].type, Json)}
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f'COPY "{temp}" ({column_list}) FROM STDIN') as copy:
            for n, row in enumerate(rows, start=1):
                copy.write_row([json.dumps(jsonable(row[c])) if c in json_columns else row[c] for c in columns])
                if on_row and n % 1000 == 0:
                    on_row(1000)
    return temp


def merge_from_temp(session, table: sa.Table, temp: str, columns: Sequence[str], keys: Sequence[str],
                    update: Sequence[str]) -> None:
    """INSERT .. SELECT from the temp table, updating `update` columns on key conflicts."""
    column_list = ", ".join(f'"{c}"' for c in columns)
    conflict = ", ".join(f'"{k}"' for k in keys)
    action = ("DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in update)) if update else "DO NOTHING"
    session.execute(sa.text(
        f'INSERT INTO "{table.name}" ({column_list}) SELECT {column_list} FROM "{temp}" '
        f'ON CONFLICT ({conflict}) {action}'))


def replace_from_temp(session, table: sa.Table, temp: str, columns: Sequence[str], group: Sequence[str]) -> None:
    """Delete the rows whose `group` columns appear in the temp table, then insert the temp rows."""
    match = " AND ".join(f't."{c}" = s."{c}"' for c in group)
    session.execute(sa.text(f'DELETE FROM "{table.name}" t USING "{temp}" s WHERE {match}'))
    column_list = ", ".join(f'"{c}"' for c in columns)
    session.execute(sa.text(f'INSERT INTO "{table.name}" ({column_list}) SELECT {column_list} FROM "{temp}"'))
