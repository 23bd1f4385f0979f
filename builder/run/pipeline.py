"""The data path of a build: read -> extract (parallel) -> merge -> rows (parallel, checked) -> Parquet, skipping
what the build memo holds from the last build.

Heavy steps run in worker processes on chunks of records: parsing and indexing captures, choosing each group's
article, making and checking rows. The main process locates inputs, appends the workers' index rows to the merge's
scratch tables (grouped and ordered out of core by DuckDB) and writes the shards, so data flows one way and no
process holds per-capture state. `Timings` records where the time went.
"""

from __future__ import annotations

import gc
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow
import pyarrow.compute

from builder.batches import merged_in_order, prefetched, rebatched
from builder.bodystore import BodyRef, BodyStore
from builder.extract.capture import ParsedCapture, attach, parse_bytes, stash_body
from builder.merge.articles import MergedGroups, merge_groups, read_article
from builder.merge.capture_index import Indexed, SentTeasers, index_captures
from builder.merge.grouping import Merger
from builder.publish.versioning import KNOWN_ROWS_FOLDER, KnownRows, RowsAside
from builder.read.readers import Pending, Unit, close_jsonl, load, locate_units
from builder.records import Capture, Rejected
from builder.run.memo import BuildMemo, UnitOutcome
from builder.run.parallel import Workers, chunked
from builder.schema.columns import ARTICLES, TEASERS
from builder.write.rows import article_rows, describe_article, describe_teaser
from builder.write.shards import BATCH_ROWS, WrittenConfig, checked_batch, file_batch, parquet_schema, write_config

EXTRACT_CHUNK = 256


@dataclass
class Timings:
    """Seconds per stage. `*_busy` stages are summed over worker processes; the others are wall time."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds

    def timed(self, stage: str, items: Iterable) -> Iterator:
        """Yield the items, counting the time spent producing them towards `stage`."""
        iterator = iter(items)
        while True:
            start = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                self.add(stage, time.perf_counter() - start)
                return
            self.add(stage, time.perf_counter() - start)
            yield item


@dataclass
class DataResult:
    written: dict[str, WrittenConfig]
    rejected: list[Rejected]
    conflicts: list[dict]
    counts: dict
    shapes: Counter
    encodings: Counter
    repairs: Counter
    tally: ArticleTally
    known_rows: dict[str, KnownRows]  # what the memo knows of the articles against the last build's (for the diff)


class ArticleTally:
    """Counts for the card and the report, taken from the article batches as they are written."""

    def __init__(self):
        self.sources: Counter = Counter()
        self.years: Counter = Counter()
        self.doc_types: Counter = Counter()
        self.languages: Counter = Counter()

    def count(self, batch: pyarrow.RecordBatch) -> None:
        languages = pyarrow.compute.drop_null(batch.column("language"))
        for counter, column in (
            (self.sources, batch.column("source")),
            (self.years, pyarrow.compute.year(batch.column("date"))),
            (self.doc_types, batch.column("doc_type")),
            (self.languages, languages.filter(pyarrow.compute.not_equal(languages, ""))),
        ):
            for entry in pyarrow.compute.value_counts(column).to_pylist():
                counter[entry["values"]] += entry["counts"]


# Worker state, set once per worker process by the pool's initializer.
_store: BodyStore | None = None
_plan_store: BodyStore | None = None
_teasers_sent: SentTeasers | None = None


def _init_worker(store_root: Path, store_folder: str, plan_root: Path) -> None:
    """Each worker serves every stage: it writes the bodies it parses to its own file of the body store, then reads
    any body back to merge captures, writes the articles it merges to the merge's plan store (`Merger.plan_store`)
    and reads any article back to make rows."""
    global _store, _plan_store, _teasers_sent
    close_jsonl()  # a file the calling process read before may have changed since
    _store = BodyStore(store_root, store_folder)
    _plan_store = BodyStore(plan_root)
    _teasers_sent = SentTeasers()


def _close_worker() -> None:
    """Release what `_init_worker` and reading opened (in the calling process, where one worker runs in-process)."""
    global _store, _plan_store
    close_jsonl()
    for store in (_store, _plan_store):
        if store is not None:
            store.close()
    _store = _plan_store = None


@dataclass
class ExtractedChunk:
    """What a worker makes of a chunk of located captures: the merge's index rows, and what each input unit's
    captures gave. Its length is the number of captures read, for the progress count."""

    indexed: Indexed
    outcomes: dict[str, UnitOutcome]

    def __len__(self) -> int:
        return sum(outcome.read for outcome in self.outcomes.values())


def extract_chunk(items: list[tuple[str, Pending | Rejected]]) -> list[ExtractedChunk]:
    """Load and parse located captures, each named with its input unit. Bodies go to the worker's body-store file,
    and only the chunk's index rows and the units' outcomes travel to the parent."""
    outcomes: dict[str, UnitOutcome] = defaultdict(UnitOutcome)
    parsed = []
    for unit, item in items:
        outcome = outcomes[unit]
        outcome.read += 1
        result = load(item) if isinstance(item, Pending) else item
        if isinstance(result, Capture):
            from_bytes = parse_bytes(result.raw, result.text)
            if from_bytes.page is not None:
                outcome.shapes[from_bytes.page.shape] += 1
                outcome.encodings[from_bytes.encoding] += 1
            result = attach(result, from_bytes, unit)
        if isinstance(result, ParsedCapture):
            parsed.append(stash_body(_store, result))
        else:
            outcome.rejected.append(result)
    return [ExtractedChunk(index_captures(parsed, _teasers_sent), dict(outcomes))]


def merge_chunk(batches: list[pyarrow.RecordBatch]) -> list[MergedGroups]:
    """Articles from a chunk of whole groups of captures (`merge.merge_groups`), reading bodies from the store."""
    return [merge_groups(_store, _plan_store, batch) for batch in batches]


def article_chunk(plans: list[BodyRef]) -> list[pyarrow.RecordBatch]:
    """One checked batch of article rows from the articles at `plans` in the plan store (raises `ValidationFailure`
    naming the row and check)."""
    rows = list(article_rows([read_article(_plan_store, where) for where in plans], _store))
    return [checked_batch(ARTICLES, file_batch(ARTICLES, rows), lambda index: describe_article(rows[index]))]


def checked_teasers(batches: Iterable[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
    """Teaser batches, checked (raises `ValidationFailure` naming the row and check). Checked here, not in workers:
    a batch of 5,000 teasers, with their `seen_on` lists, takes ~9 ms to check and ~20 ms to pickle there and back."""
    for batch in batches:
        yield checked_batch(
            TEASERS, batch, lambda row, batch=batch: describe_teaser(batch.slice(row, 1).to_pylist()[0])
        )


def _tallied(batches: Iterable[pyarrow.RecordBatch], tally: ArticleTally) -> Iterator[pyarrow.RecordBatch]:
    for batch in batches:
        tally.count(batch)
        yield batch


@dataclass
class _Units:
    """The input units of a build: their outcomes by unit id, and which ids the memo keys (all of them may be kept
    for the next build) or held already (`reused`)."""

    outcomes: dict[str, UnitOutcome] = field(default_factory=lambda: defaultdict(UnitOutcome))
    keyed: set[str] = field(default_factory=set)
    reused: list[str] = field(default_factory=list)

    def to_read(self, units: Iterable[Unit], memo: BuildMemo | None) -> Iterator[tuple[str, Pending | Rejected]]:
        """The located captures of every unit the memo does not hold, each with its unit's id: its memo key (the
        n-th unit of one key in a build gets `key#n`), or its name when there is no memo or it cannot be keyed."""
        occurrences: Counter = Counter()
        for unit in units:
            key = memo.key_of(unit) if memo else None
            unit_id = unit.name
            if key is not None:
                occurrences[key] += 1
                unit_id = key if occurrences[key] == 1 else f"{key}#{occurrences[key]}"
                self.keyed.add(unit_id)
                known = memo.known(unit_id)
                if known is not None:
                    self.outcomes[unit_id].add(known)
                    self.reused.append(unit_id)
                    continue
            yield from ((unit_id, item) for item in unit.items())

    def total(self) -> UnitOutcome:
        total = UnitOutcome()
        for outcome in self.outcomes.values():
            total.add(outcome)
        return total


def write_data(
    partial: Path,
    inputs: list[Path],
    *,
    workers: int,
    cache_folder: Path | None,
    progress: Callable[[Iterable], Iterable],
    timings: Timings,
) -> DataResult:
    """Write the release's data files into `partial`. With `cache_folder`, the build memo there (`memo`) spares
    the work on input units and groups of captures that have not changed since the last build, and keeps this
    build's for the next."""
    memo = BuildMemo(cache_folder) if cache_folder else None
    store = BodyStore(memo.root, memo.segment) if memo else BodyStore(partial)
    merger = Merger(store, partial / ".merge", threads=workers, index_folder=memo.segment_folder if memo else None)
    units = _Units()
    # Parsing makes many small acyclic objects; the cyclic garbage collector would walk them again and again (a
    # third of the parse time) and has nothing to free. Workers are forked after this, so they run without it too.
    gc.disable()
    try:
        started = time.perf_counter()
        with Workers(workers, _init_worker, (store.root, store.folder, merger.plan_store.root)) as pool:
            located = timings.timed("read", units.to_read(locate_units(inputs), memo))
            for chunk in progress(pool.map_chunks(extract_chunk, chunked(located, EXTRACT_CHUNK))):
                for unit, outcome in chunk.outcomes.items():
                    units.outcomes[unit].add(outcome)
                start = time.perf_counter()
                merger.add_indexed(chunk.indexed)
                timings.add("dedup", time.perf_counter() - start)
            timings.add("parse_busy", pool.busy_seconds)
            timings.add("read_parse_wall", time.perf_counter() - started)
            start = time.perf_counter()
            pool.busy_seconds = 0.0
            result = merger.finish(
                lambda chunks: pool.map_chunks(merge_chunk, ([chunk] for chunk in chunks)),
                memo.reusable(units.reused) if memo else None,
            )
            timings.add("dedup_busy", pool.busy_seconds)
            timings.add("dedup", time.perf_counter() - start)
            started = time.perf_counter()
            tally = ArticleTally()
            pool.busy_seconds = 0.0
            batches = pool.map_chunks(article_chunk, chunked(result.article_plans(), BATCH_ROWS))
            aside = None
            if memo:
                schema = parquet_schema(ARTICLES)
                if earlier_files := memo.earlier_article_files():
                    # The rows that can differ from the last build's output are kept aside for the diff against the
                    # previous release, which then need not compare the others.
                    aside = RowsAside(partial / KNOWN_ROWS_FOLDER, schema, earlier_files)
                    batches = aside.new(batches)
                earlier = prefetched(
                    memo.earlier_articles(result.reused_positions(), schema, aside.earlier if aside else None)
                )
                batches = rebatched(merged_in_order(earlier, batches, ["date", "id"]), BATCH_ROWS)
            # Batches are made (merged with the earlier ones, counted) in a thread while this one writes: pyarrow
            # encodes and compresses without holding the GIL.
            batches = timings.timed("validate_rows", prefetched(_tallied(batches, tally)))
            written = {"articles": write_config(partial, ARTICLES, batches)}
            # Made and checked in this thread: the batches come from the merge's DuckDB connection, which clean-up
            # closes. (The articles above are drawn from it in the prefetch thread, but through the pool: on an early
            # stop the pool is closed and joined before the clean-up, and that thread fails at its next chunk.)
            teaser_batches = checked_teasers(result.teaser_batches(BATCH_ROWS))
            written["teasers"] = write_config(partial, TEASERS, timings.timed("validate_rows", teaser_batches))
            timings.add("validate_rows_busy", pool.busy_seconds)
        wall = time.perf_counter() - started
        timings.add("validate_write_wall", wall)
        # The rest of the pass, in which the main process was not waiting for checked batches, is writing them.
        timings.add("write", wall - timings.seconds["validate_rows"])
        known_rows = {"articles": aside.close()} if aside else {}
        if memo:
            start = time.perf_counter()
            kept = {unit: outcome for unit, outcome in units.outcomes.items() if unit in units.keyed}
            memo.commit(kept, result, [partial / name for name in written["articles"].files])
            timings.add("memo", time.perf_counter() - start)
    finally:
        _close_worker()
        merger.close()
        if memo:
            store.close()
            memo.close()
        else:
            store.remove_files()
        gc.enable()
    total = units.total()
    rejected = sorted(total.rejected + result.rejected, key=lambda reject: reject.input)
    counts = {
        "captures_read": total.read,
        "articles": written["articles"].num_examples,
        "teasers": written["teasers"].num_examples,
        "captures_merged": result.captures_merged,
        "rejected": len(rejected),
        "conflicts": len(result.conflicts),
        "teasers_without_article": result.teasers_without_article,
    }
    return DataResult(
        written, rejected, result.conflicts, counts, total.shapes, total.encodings, result.repairs, tally, known_rows
    )
