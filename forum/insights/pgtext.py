"""Open-data lines written by PostgreSQL: each row of a ``values_list`` query comes back as one
finished line of CSV or JSON, byte for byte what :mod:`.opendata`'s Python writer makes of it
(``csv.writer``'s minimal quoting and ``\\r\\n``; ``json.dumps(..., ensure_ascii=False)``), so
Python only joins strings. At 100,000 ideas this takes the ideas file from seconds of per-value
conversion (datetimes, the csv module) to the time PostgreSQL takes to read the rows.

Why not ``COPY ... TO STDOUT WITH CSV``: its CSV differs from Python's (``\\n`` line ends that
cannot be changed, ``""`` for an empty string, a quoted ``\\.``), and its text format escapes
new lines; a plain server-side cursor over one text column per row streams just as well.
``tests/insights/test_opendata_pg.py`` compares the two paths on awkward values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

# Table Schema types this module writes; a resource with any other (``number``: Python's float
# repr) keeps the Python writer.
TYPES = frozenset({"string", "integer", "boolean", "date", "datetime"})


def supported(types: Sequence[str]) -> bool:
    return connection.vendor == "postgresql" and set(types) <= TYPES


def _text(column: str, type_: str) -> str:
    """The column as the text Python's writer gives it (``None`` stays NULL)."""
    if type_ == "integer":
        return f"({column})::text"
    if type_ == "boolean":
        return f"CASE WHEN {column} THEN 'True' WHEN NOT {column} THEN 'False' END"
    if type_ == "date":
        return f"to_char({column}, 'YYYY-MM-DD')"
    if type_ == "datetime":
        # isoformat(): microseconds only when there are some; UTC written as Z.
        return (
            f"replace(to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
            "'.000000Z', 'Z')"
        )
    return f"({column})::text"


def _csv_field(column: str, type_: str) -> str:
    value = _text(column, type_)
    if type_ != "string":
        return f"COALESCE({value}, '')"
    # QUOTE_MINIMAL: quoted when it holds the delimiter, the quote or a line break (strpos is
    # cheaper than a regular expression here).
    needs_quotes = " OR ".join(
        f"strpos({value}, {c}) > 0" for c in ("','", "'\"'", "E'\\n'", "E'\\r'")
    )
    quoted = f"'\"' || replace({value}, '\"', '\"\"') || '\"'"
    return f"CASE WHEN {value} IS NULL THEN '' WHEN {needs_quotes} THEN {quoted} ELSE {value} END"


def _json_value(column: str, type_: str) -> str:
    if type_ in ("integer", "boolean"):
        return f"COALESCE(to_json({column})::text, 'null')"
    return f"COALESCE(to_json({_text(column, type_)})::text, 'null')"


def _line_sql(types: Sequence[str], names: Sequence[str], fmt: str) -> tuple[str, list[str]]:
    columns = [f"t.c{i}" for i in range(len(types))]
    if fmt == "csv":
        parts = [_csv_field(c, t) for c, t in zip(columns, types, strict=True)]
        return " || ',' || ".join(parts) + " || E'\\r\\n'", []
    # json.dumps of a dict: {"name": value, "name": value}
    keys = [
        ("{" if i == 0 else ", ") + json.dumps(n, ensure_ascii=False) + ": "
        for i, n in enumerate(names)
    ]
    parts = [f"%s || {_json_value(c, t)}" for c, t in zip(columns, types, strict=True)]
    return " || ".join(parts) + " || '}'", keys


def lines(
    qs: QuerySet[Any], types: Sequence[str], names: Sequence[str], fmt: str, block: int
) -> Iterator[list[str]]:
    """The query's rows as finished lines (CSV with its line end, JSON objects without a
    separator), ``block`` at a time, through a server-side cursor (memory stays flat)."""
    inner, inner_params = qs.query.sql_with_params()
    expression, params = _line_sql(types, names, fmt)
    aliases = ", ".join(f"c{i}" for i in range(len(types)))
    # A subquery with ORDER BY is not flattened by PostgreSQL: its order is kept.
    # Only this module's expressions and the SQL Django compiled; values are parameters.
    sql = f"SELECT {expression} FROM ({inner}) AS t({aliases})"  # noqa: S608
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        while rows := cursor.fetchmany(block):
            yield [row[0] for row in rows]
