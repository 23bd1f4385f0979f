"""A release in the forms researchers browse and search with: SQLite (one table a config, and a full-text index
`articles_fts` over title and body, as `sqlite-utils enable-fts` makes it), CSV or JSON lines (one file a config).

The SQLite `articles` table has one column the release does not: `year`, taken from `date`, to browse by year.
Rows are streamed a Parquet batch at a time, so memory stays flat for any size of release. Values keep their
meaning: dates as ISO text, lists (`capture_sha256s`, `seen_on`) as JSON arrays, booleans as 0/1 in SQLite and
`true`/`false` elsewhere.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyarrow
import pyarrow.parquet as pq

from builder.publish.versions import read_report
from builder.write.shards import config_files

FORMATS = ("sqlite", "csv", "jsonl")
BATCH_ROWS = 2_000


class ExportError(Exception):
    """The export cannot be written (the target exists, or is not writable)."""


def export_release(release: Path, fmt: str, output: Path) -> dict[str, int]:
    """Write `release` as `fmt` to `output` (a database file for sqlite, a folder for csv and jsonl); returns the rows
    written by config. An existing target is never overwritten."""
    if output.exists():
        raise ExportError(f"{output} exists already; choose another --output or remove it")
    configs = json.loads((release / "schema.json").read_text(encoding="utf-8"))
    writer = {"sqlite": _to_sqlite, "csv": _to_text_files, "jsonl": _to_text_files}[fmt]
    partial = output.with_name(f".{output.name}.partial")
    try:
        counts = writer(release, list(configs), fmt, partial)
        partial.rename(output)
    except (OSError, sqlite3.Error) as error:
        raise ExportError(f"cannot write {output}: {error}") from None
    finally:
        if partial.is_dir():
            shutil.rmtree(partial)
        elif partial.exists():
            partial.unlink()
    return counts


def _shards(release: Path, config: str) -> list[Path]:
    return config_files(release, config)


def _rows(release: Path, config: str, lists_as_json: bool = True) -> Iterator[list[tuple]]:
    """The config's rows a batch at a time, values made plain (dates ISO; lists JSON text, or lists)."""
    for path in _shards(release, config):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
            columns = [_plain(batch.column(index), lists_as_json) for index in range(batch.num_columns)]
            yield list(zip(*columns))


def _plain(column: pyarrow.Array, lists_as_json: bool) -> list:
    if pyarrow.types.is_list(column.type) and lists_as_json:
        return [None if items is None else json.dumps(items, ensure_ascii=False) for items in column.to_pylist()]
    if pyarrow.types.is_date(column.type):
        return [None if day is None else day.isoformat() for day in column.to_pylist()]
    return column.to_pylist()


def _to_sqlite(release: Path, configs: list[str], fmt: str, target: Path) -> dict[str, int]:
    connection = sqlite3.connect(target)
    counts = {}
    try:
        for config in configs:
            counts[config] = _sqlite_table(connection, release, config)
        if "articles" in configs:
            _add_year(connection)
            connection.execute("CREATE VIRTUAL TABLE [articles_fts] USING FTS5 ([title], [body], content=[articles])")
            connection.execute(
                "INSERT INTO [articles_fts] (rowid, [title], [body]) SELECT rowid, [title], [body] FROM [articles]"
            )
        _describe(connection, release)
        connection.commit()
    finally:
        connection.close()
    return counts


def _sqlite_table(connection: sqlite3.Connection, release: Path, config: str) -> int:
    types = {"string": "TEXT", "date32[day]": "TEXT", "int32": "INTEGER", "bool": "INTEGER", "double": "REAL"}
    schema = pq.read_schema(_shards(release, config)[0])
    columns = ", ".join(f"[{field.name}] {types.get(str(field.type), 'TEXT')}" for field in schema)
    connection.execute(f"CREATE TABLE [{config}] ({columns})")
    marks = ", ".join("?" * len(schema))
    written = 0
    for rows in _rows(release, config):
        connection.executemany(f"INSERT INTO [{config}] VALUES ({marks})", rows)
        written += len(rows)
    if "id" in schema.names:
        connection.execute(f"CREATE INDEX [{config}_id] ON [{config}] ([id])")
    return written


def _add_year(connection: sqlite3.Connection) -> None:
    """A `year` column beside `date`, for browsing by year (facets); derived, so the only column not in the release."""
    connection.execute("ALTER TABLE [articles] ADD COLUMN [year] INTEGER")
    connection.execute("UPDATE [articles] SET [year] = CAST(substr([date], 1, 4) AS INTEGER)")


def _describe(connection: sqlite3.Connection, release: Path) -> None:
    """Which release the database holds, for whoever opens it later."""
    report = read_report(release)
    connection.execute("CREATE TABLE [release] ([key] TEXT, [value] TEXT)")
    rows = [("version", report["version"]), ("released", report.get("released") or ""), ("source", str(release))]
    connection.executemany("INSERT INTO [release] VALUES (?, ?)", rows)


def _to_text_files(release: Path, configs: list[str], fmt: str, target: Path) -> dict[str, int]:
    target.mkdir()
    counts = {}
    for config in configs:
        names = pq.read_schema(_shards(release, config)[0]).names
        counts[config] = 0
        with (target / f"{config}.{fmt}").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle) if fmt == "csv" else None
            if writer:
                writer.writerow(names)
            for rows in _rows(release, config, lists_as_json=fmt == "csv"):
                for row in rows:
                    if writer:
                        writer.writerow(["" if value is None else _csv_value(value) for value in row])
                    else:
                        handle.write(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\n")
                counts[config] += len(rows)
    return counts


def _csv_value(value: object) -> object:
    return str(value).lower() if isinstance(value, bool) else value
