import datetime as dt

import duckdb
import pyarrow
import pytest

from builder.schema.columns import TEASERS
from builder.schema.validate import ValidationFailure
from builder.write.rows import describe_teaser
from builder.write.shards import checked_batch, file_batch

TEASER = {
    "id": "t" + "0" * 16,
    "source": "KCNA.kp (En)",
    "date": dt.date(2025, 1, 1),
    "title": None,
    "snippet": "Snippet",
    "seen_on": ["1-2", "3-4"],
}


def test_a_batch_has_the_same_arrow_size_whoever_made_it():
    """The card reports the Arrow size; DuckDB allocates validity bitmaps that `from_pylist` does not."""
    from_rows = checked_batch(TEASERS, file_batch(TEASERS, [TEASER]), str)
    rows = pyarrow.Table.from_batches([file_batch(TEASERS, [TEASER])])
    from_duckdb = duckdb.from_arrow(rows).to_arrow_table().to_batches()[0]
    assert from_duckdb.column("id").buffers()[0] is not None  # DuckDB's bitmap, although nothing is null
    checked = checked_batch(TEASERS, from_duckdb, str)
    assert checked.nbytes == from_rows.nbytes and checked.equals(from_rows)


def test_a_failing_teaser_is_named_with_the_pages_that_showed_it():
    batch = file_batch(TEASERS, [TEASER, {**TEASER, "id": "t" + "1" * 16, "snippet": ""}])
    with pytest.raises(ValidationFailure) as caught:
        checked_batch(TEASERS, batch, lambda row: describe_teaser(batch.slice(row, 1).to_pylist()[0]))
    assert f"teaser t{'1' * 16} (seen on 1-2, 3-4)" in str(caught.value) and "snippet" in str(caught.value)
