"""The articles as the link stage sees them, read back from the article shards the write step produced: the few
columns it needs of every article (in memory: no body, no title), and other columns of chosen rows (read a row group
at a time)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
import pyarrow
import pyarrow.compute as pc
import pyarrow.parquet as pq

from builder.link.shingles import words_of

COLUMNS = ["id", "raw_sha256", "date", "language", "complete", "input_form", "word_count"]


@dataclass(frozen=True)
class RowGroup:
    """Row group `index` of `path` holds the catalogue's rows `first` to `first + rows - 1`."""

    path: Path
    index: int
    first: int
    rows: int


def row_groups(files: list[Path]) -> list[RowGroup]:
    groups, first = [], 0
    for path in files:
        metadata = pq.ParquetFile(path).metadata
        for index in range(metadata.num_row_groups):
            rows = metadata.row_group(index).num_rows
            groups.append(RowGroup(path, index, first, rows))
            first += rows
    return groups


def read_catalogue(files: list[Path]) -> pyarrow.Table:
    """Every article's `COLUMNS`, its `row` (its place in the shards) and its `day` (days since 1970)."""
    tables = [pq.read_table(path, columns=COLUMNS) for path in files]
    table = pyarrow.concat_tables(tables) if tables else pyarrow.table({name: [] for name in COLUMNS})
    day = (
        pc.cast(pc.cast(table["date"], pyarrow.date32()), pyarrow.int32())
        if table.num_rows
        else pyarrow.array([], pyarrow.int32())
    )
    return table.append_column("row", pyarrow.array(numpy.arange(table.num_rows, dtype=numpy.int64))).append_column(
        "day", day
    )


def title_words(titles: pyarrow.Array) -> list[frozenset[str]]:
    return [frozenset(words) - {""} for words in words_of(titles).to_pylist()]


def groups_holding(groups: list[RowGroup], rows: numpy.ndarray) -> Iterator[tuple[RowGroup, numpy.ndarray]]:
    """Each row group that holds any of the (sorted) rows, with those rows counted within it."""
    for group in groups:
        local = rows[(rows >= group.first) & (rows < group.first + group.rows)] - group.first
        if len(local):
            yield group, local


def read_rows(group: RowGroup, local: numpy.ndarray, columns: list[str]) -> pyarrow.Table:
    return pq.ParquetFile(group.path).read_row_group(group.index, columns=columns).take(local)


def rows_of(groups: list[RowGroup], rows: numpy.ndarray, columns: list[str]) -> pyarrow.Table:
    """`columns` of the chosen rows (sorted), and their `row`, reading only the row groups that hold them."""
    tables = [
        read_rows(group, local, columns).append_column("row", pyarrow.array(local + group.first, pyarrow.int64()))
        for group, local in groups_holding(groups, rows)
    ]
    if not tables:
        return pyarrow.table({"row": pyarrow.array([], pyarrow.int64())})
    return pyarrow.concat_tables(tables)
