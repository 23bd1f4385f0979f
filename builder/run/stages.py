"""What worker processes run, one function a stage, each over a chunk of records: parse and index captures, choose
each group's article, make and check article rows. Each worker serves every stage: it writes the bodies it parses
to its own file of the body store, then reads any body back to merge captures, writes the articles it merges to the
merge's plan store and reads any article back to make rows. Only index rows, outcomes and checked batches travel
back to the parent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow

from builder.bodystore import BodyRef, BodyStore
from builder.extract.capture import ParsedCapture, attach, parse_bytes, stash_body
from builder.merge.articles import MergedGroups, merge_groups, read_article
from builder.merge.capture_index import Indexed, SentTeasers, index_captures
from builder.read import Pending, Skipped, close_readers, load
from builder.records import Capture, Rejected
from builder.run.units import UnitOutcome
from builder.schema.columns import ARTICLES, TEASERS
from builder.write.rows import article_rows, describe_article, describe_teaser
from builder.write.shards import checked_batch, file_batch

# Worker state, set once per worker process by the pool's initializer.
_store: BodyStore | None = None
_plan_store: BodyStore | None = None
_teasers_sent: SentTeasers | None = None


def init_worker(store_root: Path, store_folder: str, plan_root: Path) -> None:
    global _store, _plan_store, _teasers_sent
    close_readers()  # a file the calling process read before may have changed since
    _store = BodyStore(store_root, store_folder)
    _plan_store = BodyStore(plan_root)
    _teasers_sent = SentTeasers()


def close_worker() -> None:
    """Release what `init_worker` and reading opened (in the calling process, where one worker runs in-process)."""
    global _store, _plan_store
    close_readers()
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


def extract_chunk(items: list[tuple[str, Pending | Rejected | Skipped]]) -> list[ExtractedChunk]:
    """Load and parse located captures, each named with its input unit. Bodies go to the worker's body-store file,
    and only the chunk's index rows and the units' outcomes travel to the parent."""
    outcomes: dict[str, UnitOutcome] = defaultdict(UnitOutcome)
    parsed = []
    for unit, item in items:
        outcome = outcomes[unit]
        if isinstance(item, Skipped):
            outcome.skipped.update(item.counts)
            continue
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
    """Articles from a chunk of whole groups of captures (`merge.articles.merge_groups`), bodies from the store."""
    return [merge_groups(_store, _plan_store, batch) for batch in batches]


def article_chunk(plans: list[BodyRef]) -> list[pyarrow.RecordBatch]:
    """One checked batch of article rows from the articles at `plans` in the plan store (raises `ValidationFailure`
    naming the row and check)."""
    rows = list(article_rows([read_article(_plan_store, where) for where in plans], _store))
    return [checked_batch(ARTICLES, file_batch(ARTICLES, rows), lambda index: describe_article(rows[index]))]


def checked_teasers(batches: Iterable[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
    """Teaser batches, checked (raises `ValidationFailure` naming the row and check). Checked in the parent, not in
    workers: pickling a batch of teasers with their `seen_on` lists there and back costs twice its check."""
    for batch in batches:
        yield checked_batch(
            TEASERS, batch, lambda row, batch=batch: describe_teaser(batch.slice(row, 1).to_pylist()[0])
        )
