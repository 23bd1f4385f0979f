"""The articles the last build wrote (hard links in the memo's state), read back in order: the rows of the groups
this build reuses, merged in order with the rows it makes, while the rows that can differ from the last build's are
set aside for the diff against the previous release."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy
import pyarrow
import pyarrow.parquet as pq

from builder.batches import merged_in_order, prefetched, rebatched
from builder.merge.result import MergeResult
from builder.publish.versioning import RowsAside
from builder.schema.columns import ARTICLES
from builder.write.shards import BATCH_ROWS, parquet_schema


class EarlierOutput:
    def __init__(self, state: Path | None):
        self._state = state

    def merged_with(
        self, batches: Iterable[pyarrow.RecordBatch], merged: MergeResult, aside_folder: Path
    ) -> tuple[Iterator[pyarrow.RecordBatch], RowsAside | None]:
        """This build's new article batches merged in order with the last build's articles it reuses. The rows that
        can differ from the last build's output are kept aside in `aside_folder` for the diff against the previous
        release, which then need not compare the others."""
        schema = parquet_schema(ARTICLES)
        aside = None
        if earlier_files := self.files():
            aside = RowsAside(aside_folder, schema, earlier_files)
            batches = aside.new(batches)
        dropped = aside.earlier if aside else None
        earlier = prefetched(self.rows_at(merged.reused_positions(), schema, dropped))
        return rebatched(merged_in_order(earlier, batches, ["date", "id"]), BATCH_ROWS), aside

    def files(self) -> list[Path]:
        """The articles the last build wrote, in order (none without a state)."""
        return sorted(self._state.glob("articles-*.parquet")) if self._state else []

    def rows_at(
        self, wanted: numpy.ndarray, schema: pyarrow.Schema, dropped: Callable[[pyarrow.Table], None] | None = None
    ) -> Iterator[pyarrow.RecordBatch]:
        """The rows at positions `wanted` (ascending) of the articles the last build wrote, in order, as `schema`;
        the other rows, which this build changes or removes, go to `dropped` when it is given."""
        start = 0
        for shard in self.files():
            file = pq.ParquetFile(shard)
            for group in range(file.metadata.num_row_groups):
                rows = file.metadata.row_group(group).num_rows
                first, last = numpy.searchsorted(wanted, [start, start + rows])
                if last > first or (dropped and last - first < rows):
                    table = file.read_row_group(group).cast(schema)
                    kept = wanted[first:last] - start
                    if dropped and len(kept) < rows:
                        dropped(table.take(numpy.setdiff1d(numpy.arange(rows), kept)))
                    if len(kept):
                        yield from _rows_at(table, kept)
                start += rows


def _rows_at(table: pyarrow.Table, indices: numpy.ndarray) -> Iterator[pyarrow.RecordBatch]:
    """The rows at ascending `indices` of the table, as slices of its runs of consecutive rows."""
    breaks = numpy.flatnonzero(numpy.diff(indices) != 1) + 1
    runs = [table.slice(int(run[0]), len(run)) for run in numpy.split(indices, breaks)]
    yield from pyarrow.concat_tables(runs).combine_chunks().to_batches()
