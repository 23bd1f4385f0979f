"""Scratch tables on disk: small batches appended as they come, read back by DuckDB to sort and group out of core.

They let the merge handle a million captures with flat memory: the parent process holds one buffer of rows per
table, never the table.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow
import pyarrow.parquet as pq

ROWS_PER_GROUP = 65_536


class Spill:
    """One Parquet file of `schema`, written in row groups of `ROWS_PER_GROUP` rows."""

    def __init__(self, folder: Path, name: str, schema: pyarrow.Schema):
        self.path = folder / f"{name}.parquet"
        self.schema = schema
        # Opened at once, so that a table nothing was added to is still a valid (empty) file for DuckDB.
        self._writer = pq.ParquetWriter(self.path, schema, compression="lz4")
        self._buffer: list[pyarrow.RecordBatch] = []
        self._buffered = 0

    def write(self, batch: pyarrow.RecordBatch) -> None:
        if batch.num_rows:
            self._buffer.append(batch)
            self._buffered += batch.num_rows
            if self._buffered >= ROWS_PER_GROUP:
                self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._writer.write_table(pyarrow.Table.from_batches(self._buffer, self.schema))
        self._buffer, self._buffered = [], 0

    def close(self) -> None:
        """Write what is buffered and close the file; the table is then complete and readable."""
        if self._writer is not None:
            self._flush()
            self._writer.close()
            self._writer = None

    def sql(self) -> str:
        """The table as a DuckDB table expression."""
        return f"read_parquet({sql_literal(self.path)})"


def sql_literal(path: Path) -> str:
    """A path as a DuckDB string literal."""
    return "'" + str(path).replace("'", "''") + "'"
