"""The data path of a build: read -> extract (parallel, cached) -> merge -> rows (parallel, checked) -> Parquet.

Heavy steps run in worker processes on chunks of records; the main process reads, merges and writes, so data
flows one way and memory holds only the merge index, not the texts. `Timings` records where the time went.
"""

from __future__ import annotations

import gc
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow

from .bodystore import BodyStore
from .cache import ParseCache
from .extract import ParsedCapture, attach, parse_bytes, stash_body
from .merge import Merger, collect_teasers
from .parallel import Workers, chunked
from .readers import Pending, load, locate_inputs
from .records import Capture, Rejected
from .rows import article_rows, describe_article, describe_teaser
from .schema import ARTICLES, TEASERS
from .writers import BATCH_ROWS, WrittenConfig, checked_batch, write_config

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


def _init_worker(cache_folder: Path | None, store_folder: Path) -> None:
    """Each worker serves both stages: it reads the parse cache and writes the bodies it parses to its own file
    of the body store, then reads any body back to make rows."""
    global _cache, _store
    _cache = ParseCache(cache_folder) if cache_folder else None
    _store = BodyStore(store_folder)


def _close_worker() -> None:
    """Release what `_init_worker` opened (in the calling process, where one worker runs in-process)."""
    global _cache, _store
    if _cache is not None:
        _cache.close()
    if _store is not None:
        _store.close()
    _cache = _store = None


@dataclass
class TeaserSightings:
    """The teasers of one chunk's pages, collected in the worker; it follows the chunk's captures."""

    teasers: dict


def extract_chunk(items: list[Pending | Rejected]) -> list[ParsedCapture | Rejected | TeaserSightings]:
    """Load and parse located captures; cached ones are not parsed again, new ones are added to the cache.
    Bodies go to the worker's body-store file and teasers into one `TeaserSightings` at the end of the chunk, so
    only the small facts of each page travel to the parent."""
    loaded = [load(item) if isinstance(item, Pending) else item for item in items]
    captures = [item for item in loaded if isinstance(item, Capture)]
    cached = _cache.get_many([capture.raw_sha256 for capture in captures]) if _cache else {}
    results, fresh = [], []
    for item in loaded:
        if isinstance(item, Rejected):
            results.append(item)
            continue
        parsed = cached.get(item.raw_sha256)
        if parsed is None:
            parsed = parse_bytes(item.raw)
            fresh.append((item.raw_sha256, parsed))
        result = attach(item, parsed)
        results.append(stash_body(_store, result) if isinstance(result, ParsedCapture) else result)
    if _cache:
        _cache.put_many(fresh)
    parsed = [result for result in results if isinstance(result, ParsedCapture)]
    sightings = TeaserSightings(collect_teasers(parsed))
    return [
        replace(result, page=replace(result.page, teasers=[])) if isinstance(result, ParsedCapture) else result
        for result in results
    ] + [sightings]


def article_chunk(articles: list) -> list[tuple[pyarrow.RecordBatch, ArticleTally]]:
    """One checked batch of article rows (raises `ValidationFailure` naming the row and check)."""
    rows = list(article_rows(articles, _store))
    tally = ArticleTally()
    tally.count(rows)
    return [(checked_batch(ARTICLES, rows, describe_article), tally)]


def _recording_teasers(items: Iterable, merger: Merger) -> Iterator[ParsedCapture | Rejected]:
    """The captures of the stream; the teaser sightings between them go straight to the merger."""
    for item in items:
        if isinstance(item, TeaserSightings):
            merger.add_teasers(item.teasers)
        else:
            yield item


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
    # The merge index is millions of small acyclic objects; the cyclic garbage collector would walk all of them
    # again and again as they accumulate (the build slows down more than linearly), and it has nothing to free.
    gc.disable()
    try:
        merger = Merger(store)
        rejected: list[Rejected] = []
        shapes: Counter = Counter()
        encodings: Counter = Counter()
        read = 0
        started = time.perf_counter()
        # One pool for both stages, forked before the merge index grows, so workers stay small.
        with Workers(workers, _init_worker, (cache_folder, partial)) as pool:
            located = timings.timed("read", locate_inputs(inputs))
            extracted = pool.map_chunks(extract_chunk, chunked(located, EXTRACT_CHUNK))
            for item in progress(_recording_teasers(extracted, merger)):
                read += 1
                if isinstance(item, ParsedCapture):
                    shapes[item.page.shape] += 1
                    encodings[item.encoding] += 1
                    start = time.perf_counter()
                    merger.add(item)
                    timings.add("dedup", time.perf_counter() - start)
                else:
                    rejected.append(item)
            timings.add("parse_busy", pool.busy_seconds)
            timings.add("read_parse_wall", time.perf_counter() - started)
            start = time.perf_counter()
            result = merger.finish()
            timings.add("dedup", time.perf_counter() - start)
            started = time.perf_counter()
            tally = ArticleTally()
            pool.busy_seconds = 0.0
            batches = _tallied(pool.map_chunks(article_chunk, chunked(result.articles, BATCH_ROWS)), tally)
            written = {"articles": write_config(partial, ARTICLES, timings.timed("validate_rows", batches))}
            timings.add("validate_rows_busy", pool.busy_seconds)
        teaser_batches = (
            checked_batch(TEASERS, rows, describe_teaser) for rows in chunked(result.teasers, BATCH_ROWS)
        )
        written["teasers"] = write_config(partial, TEASERS, timings.timed("validate_rows", teaser_batches))
        timings.add("validate_write_wall", time.perf_counter() - started)
    finally:
        _close_worker()
        store.remove_files()
        gc.enable()
    rejected = sorted(rejected + result.rejected, key=lambda reject: reject.input)
    counts = {
        "captures_read": read,
        "articles": written["articles"].num_examples,
        "teasers": written["teasers"].num_examples,
        "captures_merged": sum(len(article.captures) - 1 for article in result.articles),
        "rejected": len(rejected),
        "conflicts": len(result.conflicts),
        "teasers_without_article": result.teasers_without_article,
    }
    return DataResult(written, rejected, result.conflicts, counts, shapes, encodings, result.repairs, tally)
