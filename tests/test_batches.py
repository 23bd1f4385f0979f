import datetime as dt
import threading
import time

import pyarrow
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.batches import RowTaker, merged_in_order, prefetched, rebatched

KEYS = ["date", "id"]
SCHEMA = pyarrow.schema([("date", pyarrow.date32()), ("id", pyarrow.string()), ("body", pyarrow.string())])


def _batches(rows: list[tuple[dt.date, str]], cuts: list[int]) -> list[pyarrow.RecordBatch]:
    table = pyarrow.table(
        {
            "date": [date for date, _ in rows],
            "id": [key for _, key in rows],
            "body": [f"body of {key}" * (len(key) % 3) or None for _, key in rows],
        },
        schema=SCHEMA,
    )
    edges = sorted({0, len(rows), *(cut % (len(rows) + 1) for cut in cuts)})
    return [table.slice(start, end - start).to_batches()[0] for start, end in zip(edges, edges[1:]) if end > start]


rows = st.lists(
    st.tuples(st.dates(dt.date(2020, 1, 1), dt.date(2020, 1, 20)), st.text("abc", min_size=1, max_size=4)),
    unique_by=lambda row: row,
    max_size=60,
)


@given(
    rows,
    st.lists(st.booleans(), max_size=60),
    st.lists(st.integers(0, 60), max_size=6),
    st.lists(st.integers(0, 60), max_size=6),
)
def test_two_ordered_streams_merge_into_one_ordered_stream(all_rows, sides, first_cuts, second_cuts):
    all_rows = sorted(all_rows)
    first = [row for row, side in zip(all_rows, sides + [False] * len(all_rows)) if side]
    second = [row for row, side in zip(all_rows, sides + [False] * len(all_rows)) if not side]
    merged = pyarrow.Table.from_batches(
        list(merged_in_order(_batches(first, first_cuts), _batches(second, second_cuts), KEYS)), schema=SCHEMA
    )
    assert list(zip(merged.column("date").to_pylist(), merged.column("id").to_pylist())) == all_rows
    expected = _batches(all_rows, []) if all_rows else []
    assert merged.column("body").to_pylist() == (expected[0].column("body").to_pylist() if expected else [])


def test_a_stream_merged_with_nothing_passes_through_unchanged():
    batches = _batches([(dt.date(2020, 1, day), "x") for day in range(1, 11)], [3, 7])
    assert [b for b in merged_in_order(iter(()), batches, KEYS)] == batches


def test_rebatched_cuts_exact_sizes_and_keeps_the_arrow_size():
    batches = _batches([(dt.date(2020, 1, 1), f"k{n:03d}") for n in range(100)], [7, 33, 34, 80])
    cut = list(rebatched(batches, 25))
    assert [batch.num_rows for batch in cut] == [25, 25, 25, 25]
    whole = pyarrow.Table.from_batches(batches).combine_chunks()
    assert sum(batch.nbytes for batch in cut) == whole.nbytes
    assert pyarrow.Table.from_batches(cut).equals(pyarrow.Table.from_batches(batches))


def test_prefetched_gives_the_same_batches_and_the_producer_s_error():
    batches = _batches([(dt.date(2020, 1, day), "x") for day in range(1, 11)], [2, 5, 8])
    assert list(prefetched(iter(batches), depth=1)) == batches

    def failing():
        yield batches[0]
        raise OSError("disk gone")

    got = prefetched(failing())
    assert next(got) == batches[0]
    with pytest.raises(OSError, match="disk gone"):
        next(got)


def test_a_consumer_that_stops_early_stops_the_producer():
    produced = []

    def endless():
        while True:
            produced.append(1)
            yield _batches([(dt.date(2020, 1, 1), "x")], [])[0]

    stream = prefetched(endless(), depth=2)
    next(stream)
    stream.close()
    time.sleep(0.3)  # the producer sees the stop at its next put (it polls every 0.1 s)
    count = len(produced)
    time.sleep(0.3)
    assert count <= 5 and len(produced) == count  # stopped: nothing more is made


def test_a_consumer_that_stops_early_does_not_wait_for_a_stuck_producer():
    """Ctrl-C reaches the workers too: the producer may wait for a result that never comes."""
    never = threading.Event()

    def stuck():
        yield _batches([(dt.date(2020, 1, 1), "x")], [])[0]
        never.wait()
        yield _batches([(dt.date(2020, 1, 2), "y")], [])[0]

    stream = prefetched(stuck())
    next(stream)
    started = time.perf_counter()
    stream.close()
    assert time.perf_counter() - started < 1
    never.set()


@given(rows, st.lists(st.integers(0, 60), max_size=6), st.lists(st.integers(1, 7), max_size=20))
def test_rows_are_taken_in_order_across_batches(all_rows, cuts, takes):
    table = pyarrow.Table.from_batches(_batches(sorted(all_rows), cuts), schema=SCHEMA) if all_rows else None
    taker = RowTaker(_batches(sorted(all_rows), cuts) if all_rows else [])
    start = 0
    for count in takes:
        if start + count > len(all_rows):
            with pytest.raises(ValueError, match="short"):
                taker.take(count)
            return
        assert taker.take(count).to_pylist() == table.slice(start, count).to_pylist()
        start += count
