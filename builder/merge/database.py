"""The merge's DuckDB connection: in memory, memory capped, spilling to a scratch folder, its errors reported as a
`MergeFailure` a person can act on, and its results streamed as Arrow batches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow

from builder.merge.interrupts import duckdb_interrupts

DUCKDB_MEMORY = "256MB"  # DuckDB spills past this, so the parent stays small however many captures
STREAM_ROWS = 8_192


class MergeFailure(Exception):
    """DuckDB could not group or order the captures (most often: no disk space left for its scratch files)."""


@contextmanager
def reported(scratch: Path, failing: str = "the merge could not sort and group the captures") -> Iterator[None]:
    """DuckDB's errors as a `MergeFailure` (also those that reach us through an Arrow stream of its results, as an
    `OSError` or another Arrow error: only DuckDB's work runs inside this); Ctrl-C or SIGTERM during a query as the
    `KeyboardInterrupt` it was (`interrupts.duckdb_interrupts`)."""
    try:
        with duckdb_interrupts():
            yield
    except (duckdb.Error, OSError, pyarrow.ArrowException) as error:
        advice = (
            f"this is a fault of the builder, which means to stay within {DUCKDB_MEMORY}: please report it"
            if "Out of Memory" in str(error)
            else "free disk space there (about 7.5 GB for a million captures) and build again"
        )
        raise MergeFailure(f"{failing} in its scratch folder {scratch} ({error}); {advice}") from None


class Database:
    """An in-memory database, memory capped, spilling to `scratch`, silent. Not a database file, which DuckDB also
    writes every table it makes to, so that the merge of a build from the memo took a third longer."""

    def __init__(self, scratch: Path, threads: int):
        self.scratch = scratch
        self.connection = duckdb.connect(
            ":memory:",
            config={
                "memory_limit": DUCKDB_MEMORY,
                "threads": threads,
                "temp_directory": str(scratch / "duckdb-tmp"),
                "preserve_insertion_order": False,
            },
        )
        self.connection.execute("SET enable_progress_bar = false")  # drawn on stdout, amid the build's own output

    def execute(self, query: str, params: list | None = None) -> duckdb.DuckDBPyConnection:
        return self.connection.execute(query, params)

    def rows(self, query: str) -> list[tuple]:
        return self.connection.execute(query).fetchall()

    def register(self, name: str, table: pyarrow.Table) -> None:
        self.connection.register(name, table)

    def stream(self, query: str, params: list | None = None) -> Iterator[pyarrow.RecordBatch]:
        """The query's rows as they come. One stream at a time: a second query on the connection would make DuckDB
        hold the rest of the first one's result in memory."""
        with reported(self.scratch):
            yield from self.connection.sql(query, params=params).to_arrow_reader(STREAM_ROWS)

    def close(self) -> None:
        self.connection.close()
