"""A teaser's `seen_on` list, cut from the (teaser, article) pairs as both stream out of DuckDB in one order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow
import pyarrow.compute
import pyarrow.parquet as pq

from builder.batches import RowTaker, rebatched, run_starts
from builder.merge import database
from builder.merge.database import Database


def with_seen_on(batch: pyarrow.RecordBatch, pairs: RowTaker, article_ids: pyarrow.Array) -> pyarrow.RecordBatch:
    """A batch of teaser texts with the number of `pairs` of each, as teaser rows: each teaser's run of pairs (taken
    from the stream, ordered as the texts are, repeats adjacent) becomes its `seen_on` list, without repeats. Pairs
    name an article by its place in `article_ids` (sorted)."""
    taken = pairs.take(pyarrow.compute.sum(batch.column("pairs")).as_py())
    teaser_ids, ranks = (taken.column(name).combine_chunks() for name in ("teaser_id", "article_rank"))
    if len(taken) > 1:
        repeated = pyarrow.compute.and_(
            pyarrow.compute.equal(teaser_ids.slice(1), teaser_ids.slice(0, len(taken) - 1)),
            pyarrow.compute.equal(ranks.slice(1), ranks.slice(0, len(taken) - 1)),
        )
        kept = pyarrow.concat_arrays([pyarrow.array([True]), pyarrow.compute.invert(repeated)])
        teaser_ids, ranks = teaser_ids.filter(kept), ranks.filter(kept)
    starts = run_starts(teaser_ids)
    if len(starts) != batch.num_rows or not teaser_ids.take(starts).equals(batch.column("id")):
        raise AssertionError("teaser texts and pairs are out of step")  # two orders of one key: a bug
    offsets = pyarrow.array([*starts, len(teaser_ids)], pyarrow.int32())
    seen_on = pyarrow.ListArray.from_arrays(offsets, article_ids.take(ranks))
    table = pyarrow.Table.from_batches([batch]).drop_columns(["pairs"]).append_column("seen_on", seen_on)
    return table.combine_chunks().to_batches()[0]


def teaser_batches(db: Database, scratch: Path, rows_per_batch: int) -> Iterator[pyarrow.RecordBatch]:
    """Teaser rows (`TEASERS` columns) ordered by (date, id), in batches of `rows_per_batch` rows, from the merge's
    `teasers`, `article_ranks` and `teaser_pairs` tables.

    A teaser's `seen_on` list can be long (every page of a week shows it), and DuckDB cannot spill a sort of rows
    that carry such lists; so the texts (with how many articles showed each) and the (teaser, article) pairs are
    sorted flat by the same key, and each batch's lists are cut from the pairs. The texts are sorted first, into a
    scratch file: two sorts at once (20M pairs at 1M captures) do not fit DuckDB's memory cap."""
    texts_file = scratch / "teaser-texts.parquet"
    writer = None
    for batch in db.stream(
        "SELECT teaser_id AS id, source, date, title, snippet, pairs FROM teasers ORDER BY date, id"
    ):
        writer = writer or pq.ParquetWriter(texts_file, batch.schema)
        writer.write_batch(batch)
    if writer is None:
        return
    writer.close()
    ranked = db.stream("SELECT id FROM article_ranks ORDER BY rank")
    article_ids = pyarrow.chunked_array([batch.column("id") for batch in ranked], pyarrow.string()).combine_chunks()
    pairs = RowTaker(
        db.stream("SELECT teaser_id, article_rank FROM teaser_pairs ORDER BY date, teaser_id, article_rank")
    )
    for batch in rebatched(pq.ParquetFile(texts_file).iter_batches(database.STREAM_ROWS), rows_per_batch):
        yield with_seen_on(batch, pairs, article_ids)
