"""Streams of Arrow record batches: re-cut to a fixed number of rows, taken a number of rows at a time, and two
ordered streams merged into one.

Both only slice and concatenate, never take rows one by one: the rows come out as they went in, and a column's
Arrow size (which the card reports) does not depend on how the stream was cut before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator

import pyarrow
import pyarrow.compute


def rebatched(batches: Iterable[pyarrow.RecordBatch], rows: int) -> Iterator[pyarrow.RecordBatch]:
    """The same rows in batches of exactly `rows` rows (the last one fewer): producers' batch sizes vary."""
    pending: list[pyarrow.RecordBatch] = []
    count = 0
    for batch in batches:
        pending.append(batch)
        count += batch.num_rows
        while count >= rows:
            table = pyarrow.Table.from_batches(pending).combine_chunks()
            yield table.slice(0, rows).to_batches()[0]
            rest = table.slice(rows)
            pending, count = rest.to_batches(), rest.num_rows
    if count:
        yield pyarrow.Table.from_batches(pending).combine_chunks().to_batches()[0]


class RowTaker:
    """The rows of a stream of batches, taken a given number at a time (as a table of the next rows)."""

    def __init__(self, batches: Iterable[pyarrow.RecordBatch]):
        self._batches = iter(batches)
        self._pending: pyarrow.Table | None = None

    def take(self, rows: int) -> pyarrow.Table:
        parts = [] if self._pending is None else [self._pending]
        count = sum(part.num_rows for part in parts)
        while count < rows and (batch := next(self._batches, None)) is not None:
            parts.append(pyarrow.Table.from_batches([batch]))
            count += batch.num_rows
        if count < rows or not parts:
            raise ValueError(f"the stream ended {rows - count} row(s) short")
        table = pyarrow.concat_tables(parts)
        self._pending = table.slice(rows)
        return table.slice(0, rows)


def merged_in_order(
    first: Iterable[pyarrow.RecordBatch], second: Iterable[pyarrow.RecordBatch], keys: list[str]
) -> Iterator[pyarrow.RecordBatch]:
    """The rows of two streams, each ordered by `keys` (unique across both), as one stream ordered by `keys`.

    What both streams' current batches hold up to the smaller of their last keys can go out (no row still to come
    sorts before it), in runs that each come from one stream."""
    streams: list[Iterator | None] = [iter(first), iter(second)]
    pending: list[pyarrow.Table | None] = [None, None]
    while True:
        for side in (0, 1):
            while streams[side] is not None and (pending[side] is None or not pending[side].num_rows):
                batch = next(streams[side], None)
                if batch is None:
                    streams[side] = None
                else:
                    pending[side] = pyarrow.Table.from_batches([batch])
        holding = [side for side in (0, 1) if pending[side] is not None and pending[side].num_rows]
        if len(holding) < 2:  # the other stream is done: this one's rows go out as they come
            for side in holding:
                yield from pending[side].to_batches()
                pending[side] = None
            if not holding:
                return
            continue
        bounds = [_last_key(pending[side], keys) for side in (0, 1) if streams[side] is not None]
        parts = []
        for side in (0, 1):
            table = pending[side]
            cut = _count_not_after(table, keys, min(bounds)) if bounds else table.num_rows
            parts.append(table.slice(0, cut))
            pending[side] = table.slice(cut)
        yield from _interleaved(parts, keys)


def _last_key(table: pyarrow.Table, keys: list[str]) -> tuple:
    return tuple(table.column(key)[table.num_rows - 1].as_py() for key in keys)


def _count_not_after(table: pyarrow.Table, keys: list[str], bound: tuple) -> int:
    """How many of the table's first rows sort at or before `bound` (the table is ordered by `keys`)."""
    low, high = 0, table.num_rows
    while low < high:
        middle = (low + high) // 2
        if tuple(table.column(key)[middle].as_py() for key in keys) <= bound:
            low = middle + 1
        else:
            high = middle
    return low


def _interleaved(tables: list[pyarrow.Table], keys: list[str]) -> Iterator[pyarrow.RecordBatch]:
    """The rows of two ordered tables as one ordered table, made of runs that each come from one table."""
    if not all(table.num_rows for table in tables):
        for table in tables:
            yield from table.to_batches()
        return
    both = pyarrow.concat_tables([table.select(keys) for table in tables])
    order = pyarrow.compute.sort_indices(both, sort_keys=[(key, "ascending") for key in keys]).to_numpy()
    from_second = pyarrow.array(order >= tables[0].num_rows)
    starts = run_starts(from_second)
    taken = [0, 0]
    runs = []
    for start, end in zip(starts, [*starts[1:], len(order)]):
        side = int(from_second[start].as_py())
        runs.append(tables[side].slice(taken[side], end - start))
        taken[side] += end - start
    yield from pyarrow.concat_tables(runs).to_batches()


def run_starts(column: pyarrow.Array | pyarrow.ChunkedArray) -> list[int]:
    """Where each run of equal values of `column` starts (0 first, when it has rows)."""
    if not len(column):
        return []
    changes = pyarrow.compute.not_equal(column.slice(1), column.slice(0, len(column) - 1))
    return [0, *(index + 1 for index in pyarrow.compute.indices_nonzero(changes).to_pylist())]


def prefetched(batches: Iterable[pyarrow.RecordBatch], depth: int = 2) -> Iterator[pyarrow.RecordBatch]:
    """The same batches, made up to `depth` ahead in a thread: pyarrow reads and decodes Parquet without holding the
    GIL, so that overlaps with what the consumer does meanwhile (writing the previous ones)."""
    ready: queue.Queue = queue.Queue(depth)
    stop = threading.Event()
    end = object()

    def produce() -> None:
        try:
            for batch in batches:
                if not _put(ready, batch, stop):
                    return
            _put(ready, end, stop)
        except BaseException as error:  # handed to the consumer, which raises it
            _put(ready, error, stop)

    producer = threading.Thread(target=produce, name="prefetch", daemon=True)
    producer.start()
    try:
        while (item := ready.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
        producer.join()
    finally:
        # Not joined when the consumer stops early (an error, Ctrl-C): the producer may be waiting for workers that
        # are gone, and stops by itself at its next batch; a daemon thread does not hold up the exit.
        stop.set()


def _put(ready: queue.Queue, item, stop: threading.Event) -> bool:
    """Put `item` once there is room, unless the consumer has stopped; whether it was put."""
    while not stop.is_set():
        try:
            ready.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False
