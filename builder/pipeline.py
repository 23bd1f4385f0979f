"""The data path of a build: read -> extract (parallel, cached) -> merge -> rows (parallel, checked) -> Parquet.

Heavy steps run in worker processes on chunks of records: parsing and indexing captures, choosing each group's
article, making and checking rows. The main process locates inputs, appends the workers' index rows to the merge's
scratch tables (grouped and ordered out of core by DuckDB) and writes the shards, so data flows one way and no
process holds per-capture state. `Timings` records where the time went.
"""

from __future__ import annotations

import gc
import pickle
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow

from .bodystore import BodyStore
from .cache import ParseCache
from .capture_index import Indexed, SentTeasers, index_captures
from .extract import ParsedCapture, attach, parse_bytes, stash_body
from .merge import MergedGroups, Merger, merge_groups
from .parallel import Workers, chunked
from .readers import Pending, load, locate_inputs
from .records import Capture, Rejected
from .rows import article_rows, describe_article, describe_teaser
from .schema import ARTICLES, TEASERS
from .writers import BATCH_ROWS, WrittenConfig, checked_batch, file_batch, write_config

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


class ArticleTally:
    """Counts for the card and the report, taken from the article rows as they are made."""

    def __init__(self):
        self.sources: Counter = Counter()
        self.years: Counter = Counter()
        self.doc_types: Counter = Counter()
        self.languages: Counter = Counter()

    def count(self, rows: list[dict]) -> None:
        for row in rows:
            self.sources[row["source"]] += 1
            self.years[row["date"].year] += 1
            self.doc_types[row["doc_type"]] += 1
            if row["language"]:
                self.languages[row["language"]] += 1

    def update(self, other: ArticleTally) -> None:
        for name in ("sources", "years", "doc_types", "languages"):
            getattr(self, name).update(getattr(other, name))


# Worker state, set once per worker process by the pool's initializer.
_cache: ParseCache | None = None
_store: BodyStore | None = None
_teasers_sent: SentTeasers | None = None


def _init_worker(cache_folder: Path | None, store_folder: Path) -> None:
    """Each worker serves both stages: it reads the parse cache and writes the bodies it parses to its own file
    of the body store, then reads any body back to make rows."""
    global _cache, _store, _teasers_sent
    _cache = ParseCache(cache_folder) if cache_folder else None
    _store = BodyStore(store_folder)
    _teasers_sent = SentTeasers()


def _close_worker() -> None:
    """Release what `_init_worker` opened (in the calling process, where one worker runs in-process)."""
    global _cache, _store
    if _cache is not None:
        _cache.close()
    if _store is not None:
        _store.close()
    _cache = _store = None


@dataclass
class ExtractedChunk:
    """What a worker makes of a chunk of located captures: the merge's index rows and the captures not used.
    Its length is the number of captures read, for the progress count."""

    indexed: Indexed
    rejected: list[Rejected]
    shapes: Counter
    encodings: Counter
    read: int

    def __len__(self) -> int:
        return self.read


def extract_chunk(items: list[Pending | Rejected]) -> list[ExtractedChunk]:
    """Load and parse located captures; cached ones are not parsed again, new ones are added to the cache.
    Bodies go to the worker's body-store file, and only the chunk's index rows travel to the parent."""
    loaded = [load(item) if isinstance(item, Pending) else item for item in items]
    captures = [item for item in loaded if isinstance(item, Capture)]
    cached = _cache.get_many([capture.raw_sha256 for capture in captures]) if _cache else {}
    parsed, rejected, fresh = [], [], []
    for item in loaded:
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        result = cached.get(item.raw_sha256)
        if result is None:
            result = parse_bytes(item.raw)
            fresh.append((item.raw_sha256, result))
        result = attach(item, result)
        if isinstance(result, ParsedCapture):
            parsed.append(stash_body(_store, result))
        else:
            rejected.append(result)
    if _cache:
        _cache.put_many(fresh)
    shapes = Counter(capture.page.shape for capture in parsed)
    encodings = Counter(capture.encoding for capture in parsed)
    return [ExtractedChunk(index_captures(parsed, _teasers_sent), rejected, shapes, encodings, len(items))]


def merge_chunk(batches: list[pyarrow.RecordBatch]) -> list[MergedGroups]:
    """Articles from a chunk of whole groups of captures (`merge.merge_groups`), reading bodies from the store."""
    return [merge_groups(_store, batch) for batch in batches]


def article_chunk(articles: list[bytes]) -> list[tuple[pyarrow.RecordBatch, ArticleTally]]:
    """One checked batch of article rows from pickled articles (raises `ValidationFailure` naming the row and
    check)."""
    rows = list(article_rows([pickle.loads(article) for article in articles], _store))
    tally = ArticleTally()
    tally.count(rows)
    return [(checked_batch(ARTICLES, file_batch(ARTICLES, rows), lambda index: describe_article(rows[index])), tally)]


def _tallied(results: Iterable[tuple[pyarrow.RecordBatch, ArticleTally]], tally: ArticleTally) -> Iterator:
    for batch, chunk_tally in results:
        tally.update(chunk_tally)
        yield batch


def write_data(
    partial: Path,
    inputs: list[Path],
    *,
    workers: int,
    cache_folder: Path | None,
    progress: Callable[[Iterable], Iterable],
    timings: Timings,
) -> DataResult:
    store = BodyStore(partial)
    merger = Merger(store, partial / ".merge", threads=workers)
    # Parsing makes many small acyclic objects; the cyclic garbage collector would walk them again and again (a
    # third of the parse time) and has nothing to free. Workers are forked after this, so they run without it too.
    gc.disable()
    try:
        rejected: list[Rejected] = []
        shapes: Counter = Counter()
        encodings: Counter = Counter()
        read = 0
        started = time.perf_counter()
        with Workers(workers, _init_worker, (cache_folder, partial)) as pool:
            located = timings.timed("read", locate_inputs(inputs))
            for chunk in progress(pool.map_chunks(extract_chunk, chunked(located, EXTRACT_CHUNK))):
                read += chunk.read
                shapes.update(chunk.shapes)
                encodings.update(chunk.encodings)
                rejected.extend(chunk.rejected)
                start = time.perf_counter()
                merger.add_indexed(chunk.indexed)
                timings.add("dedup", time.perf_counter() - start)
            timings.add("parse_busy", pool.busy_seconds)
            timings.add("read_parse_wall", time.perf_counter() - started)
            start = time.perf_counter()
            pool.busy_seconds = 0.0
            result = merger.finish(lambda chunks: pool.map_chunks(merge_chunk, ([chunk] for chunk in chunks)))
            timings.add("dedup_busy", pool.busy_seconds)
            timings.add("dedup", time.perf_counter() - start)
            started = time.perf_counter()
            tally = ArticleTally()
            pool.busy_seconds = 0.0
            batches = _tallied(pool.map_chunks(article_chunk, chunked(result.article_blobs(), BATCH_ROWS)), tally)
            written = {"articles": write_config(partial, ARTICLES, timings.timed("validate_rows", batches))}
            timings.add("validate_rows_busy", pool.busy_seconds)
        teaser_batches = (
            checked_batch(TEASERS, batch, lambda row, batch=batch: describe_teaser(batch.slice(row, 1).to_pylist()[0]))
            for batch in result.teaser_batches(BATCH_ROWS)
        )
        written["teasers"] = write_config(partial, TEASERS, timings.timed("validate_rows", teaser_batches))
        wall = time.perf_counter() - started
        timings.add("validate_write_wall", wall)
        # The rest of the pass, in which the main process was not waiting for checked batches, is writing them.
        timings.add("write", wall - timings.seconds["validate_rows"])
    finally:
        _close_worker()
        merger.close()
        store.remove_files()
        gc.enable()
    rejected = sorted(rejected + result.rejected, key=lambda reject: reject.input)
    counts = {
        "captures_read": read,
        "articles": written["articles"].num_examples,
        "teasers": written["teasers"].num_examples,
        "captures_merged": result.captures_merged,
        "rejected": len(rejected),
        "conflicts": len(result.conflicts),
        "teasers_without_article": result.teasers_without_article,
    }
    return DataResult(written, rejected, result.conflicts, counts, shapes, encodings, result.repairs, tally)
