"""Many rows in one parameter: a batch's upserts cost one bind, not one per row and column.

An executemany spends most of its time in Python, processing every value of every row. Here the
rows travel as arrays (PostgreSQL's unnest, one array per column) or as one JSON document
(SQLite's json_each), and the store unpacks them itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Table, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine


def _sql_type(kind: TypeEngine[Any], dialect: Any) -> str:
    return str(kind.dialect_impl(dialect).compile(dialect=dialect))


async def upsert_rows(
    session: AsyncSession,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    conflict: Sequence[str],
    updates: Mapping[str, str],
    returning: Sequence[str] = (),
) -> list[Any]:
    """INSERT rows … ON CONFLICT (conflict) DO UPDATE SET updates, as one statement.

    `updates` maps a column to its SQL, which may name `excluded.<column>` and the table's
    own columns. Returns the RETURNING rows, if asked for.
    """
    if not rows:
        return []
    # Rows go in key order, so concurrent batches lock shared rows in the same order.
    rows = sorted(rows, key=lambda row: tuple(row[name] for name in conflict))
    names = list(rows[0])
    dialect = session.get_bind().dialect
    params: dict[str, Any] = {}
    if dialect.name == "postgresql":
        arrays, picks = [], []
        for i, name in enumerate(names):
            kind = table.c[name].type
            values = [row[name] for row in rows]
            if isinstance(kind, JSON):
                # asyncpg has no codec for arrays of JSON: send text, cast each element back.
                values = [None if v is None else json.dumps(v) for v in values]
                arrays.append(f"CAST(:c{i} AS TEXT[])")
                picks.append(f"CAST(r.c{i} AS JSON)")
            else:
                arrays.append(f"CAST(:c{i} AS {_sql_type(kind, dialect)}[])")
                picks.append(f"r.c{i}")
            params[f"c{i}"] = values
        aliases = ", ".join(f"c{i}" for i in range(len(names)))
        source = f"SELECT {', '.join(picks)} FROM unnest({', '.join(arrays)}) AS r({aliases})"
    else:
        # Values become what SQLAlchemy itself would store (dates and times as text).
        procs = [table.c[name].type.bind_processor(dialect) for name in names]
        packed = [
            [proc(row[n]) if proc else row[n] for n, proc in zip(names, procs, strict=True)]
            for row in rows
        ]
        params["rows"] = json.dumps(packed, default=str)
        extracted = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(names)))
        # WHERE true: SQLite's grammar needs it between a SELECT and ON CONFLICT.
        source = f"SELECT {extracted} FROM json_each(:rows) WHERE true"
    sets = ", ".join(f"{column} = {sql}" for column, sql in updates.items())
    statement = (
        f"INSERT INTO {table.name} ({', '.join(names)}) {source} "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {sets}"
    )
    if returning:
        statement += f" RETURNING {', '.join(returning)}"
    result = await session.execute(text(statement), params)
    return list(result.all()) if returning else []


async def rows_by_keys(
    session: AsyncSession, table: Table, key: Sequence[str], keys: Sequence[Sequence[Any]]
) -> list[Mapping[str, Any]]:
    """The rows whose `key` columns equal one of `keys` (distinct), each found by the index."""
    if not keys:
        return []
    dialect = session.get_bind().dialect
    params: dict[str, Any] = {}
    if dialect.name == "postgresql":
        arrays = []
        for i, name in enumerate(key):
            params[f"k{i}"] = [k[i] for k in keys]
            arrays.append(f"CAST(:k{i} AS {_sql_type(table.c[name].type, dialect)}[])")
        source = f"unnest({', '.join(arrays)}) AS wanted({', '.join(key)})"
        match = " AND ".join(f"t.{name} = wanted.{name}" for name in key)
    else:
        params["keys"] = json.dumps([list(k) for k in keys])
        source = "json_each(:keys) AS wanted"
        match = " AND ".join(
            f"t.{name} = json_extract(wanted.value, '$[{i}]')" for i, name in enumerate(key)
        )
    columns = ", ".join(f"t.{c.name}" for c in table.c)
    # `keys` must be distinct: each one is a lookup, and a repeated key a repeated row.
    query = text(f"SELECT {columns} FROM {source} JOIN {table.name} AS t ON {match}")
    result = await session.execute(query.columns(*table.c), params)
    return [dict(row._mapping) for row in result]
