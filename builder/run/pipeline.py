"""The data path of a build: read -> extract (parallel) -> merge -> rows (parallel, checked) -> Parquet, skipping
what the build memo holds from the last build.

Heavy steps run in worker processes on chunks of records (`stages`): parsing and indexing captures, choosing each
group's article, making and checking rows. The main process locates inputs, appends the workers' index rows to the
merge's scratch tables (grouped and ordered out of core by DuckDB) and writes the shards, so data flows one way and
no process holds per-capture state. `Timings` records where the time went.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from builder.batches import prefetched
from builder.link.stage import LinkResult, write_links
from builder.link.store import LinkStore
from builder.merge.grouping import Merger
from builder.merge.result import MergeResult
from builder.publish.versioning import KnownRows
from builder.read import Unit, locate_units
from builder.records import Rejected
from builder.run.memo import BuildMemo, NoMemo, open_memo
from builder.run.parallel import Workers, chunked
from builder.run.stages import article_chunk, checked_teasers, close_worker, extract_chunk, init_worker, merge_chunk
from builder.run.timings import Timings
from builder.run.units import UnitOutcome, Units
from builder.run.workspace import Workspace
from builder.schema.columns import ARTICLES, TEASERS
from builder.write.shards import BATCH_ROWS, WrittenConfig, write_config
from builder.write.tally import ArticleTally

EXTRACT_CHUNK = 256
Progress = Callable[[Iterable], Iterable]


@dataclass
class DataResult:
    written: dict[str, WrittenConfig]
    rejected: list[Rejected]
    conflicts: list[dict]
    counts: dict
    shapes: Counter
    encodings: Counter
    skipped: Counter
    repairs: Counter
    tally: ArticleTally
    links: LinkResult
    known_rows: dict[str, KnownRows]  # what the memo knows of the articles against the last build's (for the diff)


@dataclass
class _Build:
    """What the steps of one `write_data` share."""

    workspace: Workspace
    memo: BuildMemo | NoMemo
    merger: Merger
    pool: Workers
    timings: Timings


def write_data(
    workspace: Workspace,
    inputs: list[Path],
    *,
    collections: list[tuple[Path, Path]] = (),
    workers: int,
    cache_folder: Path | None,
    progress: Progress,
    timings: Timings,
) -> DataResult:
    """Write the release's data files into the workspace's release. With `cache_folder`, the build memo there spares
    the work on input units and groups of captures that have not changed since the last build, and keeps this
    build's for the next."""
    memo = open_memo(cache_folder)
    store = memo.body_store(workspace.bodies)
    merger = Merger(store, workspace.merge_scratch, threads=workers, index_folder=memo.index_folder)
    units = Units()
    # Parsing makes many small acyclic objects; the cyclic garbage collector would walk them again and again and
    # has nothing to free. Workers are forked after this, so they run without it too.
    gc.disable()
    try:
        with Workers(workers, init_worker, (store.root, store.folder, merger.plan_store.root)) as pool:
            build = _Build(workspace, memo, merger, pool, timings)
            _extract(build, units, locate_units(inputs, collections), progress)
            merged = _merge(build, units)
            written, tally, known_rows = _write(build, merged)
            with timings.measured("memo"):
                memo.commit(units.kept(), merged, [workspace.release / name for name in written["articles"].files])
            merger.close()  # the merge's database and scratch tables are done with: their memory is the linker's
            links = _link(build, written)
            written["links"] = links.written
    finally:
        close_worker()
        merger.close()
        memo.close_store(store)
        memo.close()
        gc.enable()
    return _data_result(units.total(), merged, written, tally, links, known_rows)


def _extract(build: _Build, units: Units, located_units: Iterable[Unit], progress: Progress) -> None:
    """Parse and index every capture of the units the memo does not hold; the index rows go to the merger."""
    started = time.perf_counter()
    located = build.timings.timed("read", units.to_read(located_units, build.memo))
    for chunk in progress(build.pool.map_chunks(extract_chunk, chunked(located, EXTRACT_CHUNK))):
        units.add(chunk.outcomes)
        with build.timings.measured("dedup"):
            build.merger.add_indexed(chunk.indexed)
    build.timings.add("parse_busy", build.pool.busy_seconds)
    build.timings.add("read_parse_wall", time.perf_counter() - started)


def _merge(build: _Build, units: Units) -> MergeResult:
    build.pool.busy_seconds = 0.0
    with build.timings.measured("dedup"):
        merged = build.merger.finish(
            lambda chunks: build.pool.map_chunks(merge_chunk, ([chunk] for chunk in chunks)),
            build.memo.reusable(units.reused),
        )
    build.timings.add("dedup_busy", build.pool.busy_seconds)
    return merged


def _write(build: _Build, merged: MergeResult) -> tuple[dict[str, WrittenConfig], ArticleTally, dict]:
    """Write both configs' shards: the articles made and checked by the workers (merged in order with those the memo
    reuses), then the teasers, checked here."""
    timings, started, tally = build.timings, time.perf_counter(), ArticleTally()
    build.pool.busy_seconds = 0.0
    batches = build.pool.map_chunks(article_chunk, chunked(merged.article_plans(), BATCH_ROWS))
    batches, aside = build.memo.with_earlier_articles(batches, merged, build.workspace.known_rows)
    # Batches are made (merged with the earlier ones, counted) in a thread while this one writes: pyarrow encodes
    # and compresses without holding the GIL.
    batches = timings.timed("validate_rows", prefetched(tally.tallied(batches)))
    written = {"articles": write_config(build.workspace.release, ARTICLES, batches)}
    # Made and checked in this thread: the batches come from the merge's DuckDB connection, which clean-up closes.
    # (The articles above are drawn from it in the prefetch thread, but through the pool: on an early stop the
    # pool is closed and joined before the clean-up, and that thread fails at its next chunk.)
    teaser_batches = timings.timed("validate_rows", checked_teasers(merged.teaser_batches(BATCH_ROWS)))
    written["teasers"] = write_config(build.workspace.release, TEASERS, teaser_batches)
    timings.add("validate_rows_busy", build.pool.busy_seconds)
    wall = time.perf_counter() - started
    timings.add("validate_write_wall", wall)
    # The rest of the pass, in which the main process was not waiting for checked batches, is writing them.
    timings.add("write", wall - timings.seconds["validate_rows"])
    return written, tally, {"articles": aside.close()} if aside else {}


def _link(build: _Build, written: dict[str, WrittenConfig]) -> LinkResult:
    """Link the articles just written (`link.stage`), with the store the memo keeps, or one in memory."""
    build.pool.busy_seconds = 0.0
    store = LinkStore(build.memo.links_database, build.workspace.link_scratch, threads=build.pool.count)
    try:
        with build.timings.measured("link"):
            return write_links(build.workspace.release, written["articles"].files, store, build.pool, build.timings)
    finally:
        store.close()
        build.timings.add("link_busy", build.pool.busy_seconds)


def _data_result(
    total: UnitOutcome, merged: MergeResult, written: dict, tally: ArticleTally, links: LinkResult, known_rows: dict
):
    rejected = sorted(total.rejected + merged.rejected, key=lambda reject: reject.input)
    counts = {
        "captures_read": total.read,
        "articles": written["articles"].num_examples,
        "teasers": written["teasers"].num_examples,
        "links": written["links"].num_examples,
        "captures_merged": merged.captures_merged,
        "rejected": len(rejected),
        "conflicts": len(merged.conflicts),
        "teasers_without_article": merged.teasers_without_article,
    }
    return DataResult(
        written,
        rejected,
        merged.conflicts,
        counts,
        total.shapes,
        total.encodings,
        total.skipped,
        merged.repairs,
        tally,
        links,
        known_rows,
    )
