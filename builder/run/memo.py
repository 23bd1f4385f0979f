"""The build memo: what a build keeps so that the next one redoes only what changed.

A build reads its inputs as units (`read.Unit`: a page file with its sidecar, a JSON-lines file, a web archive, a
collection's file), and keys each by its name and a hash of its bytes (`memo_keys`: not read again while the file
system reports the files unchanged). The memo, a folder below the cache folder named with the builder version,
`MEMO_FORMAT` and a digest of the shapes of its tables (a memo
made by another is never read), keeps:

- `segments/NNNNNN/`: what one build parsed: the index rows of its units' captures as the merge spilled them
  (`captures`, `teasers` and `sightings.parquet`) and their bodies (`.bodies-<pid>`);
- `state-NNNNNN/` (named by `CURRENT`): the last build's view: `units.parquet` (every unit it read, in which segment
  its rows are, and what its captures gave: how many were read, their shapes and encodings, the ones not used),
  `groups.parquet` (every group of captures it merged: its signature, its article's id and place in the output, or
  why its captures were not used) and `articles-NNNNN.parquet` (hard links to, or copies of, the articles it wrote).

A unit whose key is in the state is not read again, and a group whose captures have the digests they had is not
merged again: its article row is taken from the earlier output (`earlier_output`). Everything else is parsed,
merged and checked as in a build without memo, so the output is the same byte for byte; deleting the cache folder
only costs time.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow
import pyarrow.parquet as pq

from builder import __version__
from builder.bodystore import BodyStore
from builder.merge.articles import GROUPS_SCHEMA
from builder.merge.capture_index import SIGHTINGS_SCHEMA, TEASER_TEXTS_SCHEMA
from builder.merge.index_rows import INDEX_SCHEMA
from builder.merge.result import MergeResult, Reusable
from builder.publish.versioning import RowsAside
from builder.read import Unit
from builder.records import Rejected
from builder.run import memo_keys
from builder.run.earlier_output import EarlierOutput
from builder.run.units import UnitOutcome

MEMO_FORMAT = 3  # raise when what the memo stores changes shape: a memo of another format is not read
_HASH_BLOCK = 8 * 1024 * 1024
_STRING = pyarrow.string()
UNITS_SCHEMA = pyarrow.schema(
    [
        ("unit", _STRING),
        ("segment", _STRING),
        ("read", pyarrow.int64()),
        ("shapes", _STRING),
        ("encodings", _STRING),
        ("rejected", _STRING),
        ("skipped", _STRING),
        ("name", _STRING),
        ("stat", _STRING),
    ]
)


def _shapes_digest() -> str:
    """A digest of the shapes of what the memo stores: a memo kept by a builder whose index rows (derived from the page
    model) or tables had another shape is never read, even where the version and `MEMO_FORMAT` were not raised."""
    shapes = [INDEX_SCHEMA, TEASER_TEXTS_SCHEMA, SIGHTINGS_SCHEMA, GROUPS_SCHEMA, UNITS_SCHEMA]
    return hashlib.sha256("\n".join(schema.to_string() for schema in shapes).encode()).hexdigest()[:12]


class MemoBusy(Exception):
    """Another build holds the memo."""


class BuildMemo:
    """The memo in `cache_folder` for this builder version, locked for one build (`close` releases it)."""

    def __init__(self, cache_folder: Path):
        self.root = cache_folder / f"memo-{__version__}-format{MEMO_FORMAT}-{_shapes_digest()}"
        (self.root / "segments").mkdir(parents=True, exist_ok=True)
        self._lock = open(self.root / ".lock", "a")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise MemoBusy(
                f"another build is using the cache folder {cache_folder}; wait for it, or pass another --cache DIR "
                "or --no-cache"
            ) from None
        self._state = self._current_state()
        self._keys_by_stats: dict[tuple[str, str], str] = {}
        self._seen: dict[str, tuple[str, str | None]] = {}  # this build's units: key -> (name, file stats)
        self._units = self._read_units()
        self._remove_unused()  # what a build that failed or was killed left
        numbers = [int(path.name) for path in (self.root / "segments").iterdir() if path.name.isdigit()]
        self.segment = f"segments/{max(numbers, default=0) + 1:06d}"
        (self.root / self.segment).mkdir()

    @property
    def index_folder(self) -> Path:
        """Where this build's index rows go, and its bodies (`body_store`)."""
        return self.root / self.segment

    @property
    def links_database(self) -> Path:
        """The link stage's store of sketches and measures (`link.store`), kept for the next build."""
        return self.root / "links.duckdb"

    def body_store(self, scratch: Path) -> BodyStore:
        """The store this build's bodies go to: in the memo, for the next build to read."""
        return BodyStore(self.root, self.segment)

    def close_store(self, store: BodyStore) -> None:
        store.close()

    def key_of(self, unit: Unit) -> str | None:
        """The unit's key (`unit_key`), without reading its files when the file system says they are as they were
        when the last build hashed them."""
        stats = memo_keys.file_stats(unit) if unit.files else None
        key = self._keys_by_stats.get((unit.name, stats)) if stats else None
        if key is None:
            key = memo_keys.unit_key(unit)
        if key is not None:
            self._seen[key] = (unit.name, stats)
        return key

    def known(self, key: str) -> UnitOutcome | None:
        entry = self._units.get(key)
        return entry[1] if entry else None

    def reusable(self, keys: Iterable[str]) -> Reusable:
        units = [(self.root / self._units[key][0], key) for key in sorted(set(keys))]
        return Reusable(units, self._state / "groups.parquet" if self._state else None)

    def with_earlier_articles(
        self, batches: Iterable[pyarrow.RecordBatch], merged: MergeResult, aside_folder: Path
    ) -> tuple[Iterator[pyarrow.RecordBatch], RowsAside | None]:
        """This build's new article batches merged in order with the last build's articles it reuses
        (`earlier_output`)."""
        return EarlierOutput(self._state).merged_with(batches, merged, aside_folder)

    def commit(self, outcomes: dict[str, UnitOutcome], merged: MergeResult, articles: list[Path]) -> None:
        """Make this build the state the next one starts from: the units it read (`outcomes`, by key), the groups it
        merged and the articles it wrote."""
        numbers = [int(path.name[6:]) for path in self.root.glob("state-*") if path.name[6:].isdigit()]
        state = self.root / f"state-{max(numbers, default=0) + 1:06d}"
        state.mkdir()
        units = {
            key: (self._units[key][0] if key in self._units else self.segment, outcome)
            for key, outcome in outcomes.items()
            if outcome.lasting
        }
        rows = [
            {
                "unit": key,
                "segment": segment,
                "read": outcome.read,
                "shapes": json.dumps(outcome.shapes),
                "encodings": json.dumps(outcome.encodings),
                "rejected": json.dumps([r.to_json() for r in outcome.rejected]),
                "skipped": json.dumps(outcome.skipped),
                **dict(zip(("name", "stat"), self._seen.get(key, (None, None)))),
            }  # none for the n-th copy `key#n`
            for key, (segment, outcome) in sorted(units.items())
        ]
        pq.write_table(pyarrow.Table.from_pylist(rows, schema=UNITS_SCHEMA), state / "units.parquet")
        merged.write_groups(state / "groups.parquet")
        for index, path in enumerate(articles):
            _link_or_copy(path, state / f"articles-{index:05d}.parquet")
        partial = self.root / ".CURRENT.partial"
        partial.write_text(state.name)
        os.replace(partial, self.root / "CURRENT")
        self._state, self._units = state, units

    def close(self) -> None:
        """Release the memo, removing what its state does not use: earlier states, and segments no unit needs any
        more (this build's own, when it failed or reused every unit)."""
        if not self._lock.closed:
            self._remove_unused()
            self._lock.close()

    def _current_state(self) -> Path | None:
        """The state named by `CURRENT`, if it is whole: its tables are there, and its articles are as many as the
        groups that became one (a position past the end would lose rows)."""
        try:
            state = self.root / (self.root / "CURRENT").read_text().strip()
            articles = sum(pq.ParquetFile(shard).metadata.num_rows for shard in state.glob("articles-*.parquet"))
            positions = pq.read_table(state / "groups.parquet", columns=["position"]).column("position")
            whole = (state / "units.parquet").is_file() and articles == len(positions) - positions.null_count
        except (OSError, KeyError, pyarrow.ArrowException):
            return None
        return state if state.name.startswith("state-") and whole else None

    def _read_units(self) -> dict[str, tuple[str, UnitOutcome]]:
        """The units of the current state; none (a build from nothing) when it cannot be read as this format's."""
        if self._state is None:
            return {}
        try:
            table = pq.read_table(self._state / "units.parquet")
        except (OSError, pyarrow.ArrowException):
            table = None
        if table is None or not table.schema.equals(UNITS_SCHEMA):
            self._state = None
            return {}
        units = {}
        for row in table.to_pylist():
            outcome = UnitOutcome(
                row["read"],
                Counter(json.loads(row["shapes"])),
                Counter(json.loads(row["encodings"])),
                [Rejected(**reject) for reject in json.loads(row["rejected"])],
                Counter(json.loads(row["skipped"])),
            )
            units[row["unit"]] = (row["segment"], outcome)
            if row["stat"] is not None:
                self._keys_by_stats[(row["name"], row["stat"])] = row["unit"]
        segments = {segment for segment, _ in units.values()}  # a few, for tens of thousands of units
        missing = {segment for segment in segments if not (self.root / segment / "captures.parquet").is_file()}
        if missing:  # a segment was removed by hand: nothing of this state can be trusted
            self._state = None
            self._keys_by_stats = {}
            return {}
        return units

    def _remove_unused(self) -> None:
        used = {segment for segment, _ in self._units.values()}
        for path in (self.root / "segments").iterdir():
            if f"segments/{path.name}" not in used:
                shutil.rmtree(path, ignore_errors=True)
        for path in self.root.glob("state-*"):
            if path != self._state:
                shutil.rmtree(path, ignore_errors=True)


class NoMemo:
    """A build without memo (`--no-cache`): every unit is read and every group merged, bodies wait in the scratch
    folder and are removed with it, and nothing is kept."""

    index_folder = None
    links_database = None  # the link stage's store is in memory

    def body_store(self, scratch: Path) -> BodyStore:
        return BodyStore(scratch)

    def close_store(self, store: BodyStore) -> None:
        store.remove_files()

    def key_of(self, unit: Unit) -> None:
        return None

    def known(self, key: str) -> None:
        return None

    def reusable(self, keys: Iterable[str]) -> None:
        return None

    def with_earlier_articles(
        self, batches: Iterable[pyarrow.RecordBatch], merged: MergeResult, aside_folder: Path
    ) -> tuple[Iterable[pyarrow.RecordBatch], None]:
        return batches, None

    def commit(self, outcomes: dict[str, UnitOutcome], merged: MergeResult, articles: list[Path]) -> None:
        return None

    def close(self) -> None:
        return None


def open_memo(cache_folder: Path | None) -> BuildMemo | NoMemo:
    return BuildMemo(cache_folder) if cache_folder else NoMemo()


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link costs nothing and the release's files are never modified; a copy where links cannot be made."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
