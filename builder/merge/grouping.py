"""De-duplicate step: captures of one article become one article row; teasers are merged across pages.

Captures belong to one article when they share the KCNA Watch key of their URL, or, without URLs, when their
source, date, title and body agree. Of an article's captures, the title, date and source come from the best
headed capture and the body from the best capture of all (a whole body first, then one that reached the end of
the page, then a headed one, then the longest; ties broken by the capture's hash so the choice is stable).

Workers turn their chunk of parsed captures into index rows and teaser sightings (`capture_index`); the parent
appends them to scratch tables (`spill`), and DuckDB sorts and groups them out of core. Bodies only ever live in the
`BodyStore`; memory holds one group's captures at a time.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import duckdb
import numpy
import pyarrow
import pyarrow.compute
import pyarrow.parquet as pq

from builder.batches import RowTaker, rebatched, run_starts
from builder.bodystore import BodyRef, BodyStore
from builder.extract.capture import ParsedCapture
from builder.extract.parse.repairs import remove_repeated_title
from builder.merge.capture_index import (
    INDEX_SCHEMA,
    KEYED,
    SIGHTINGS_SCHEMA,
    TEASER_TEXTS_SCHEMA,
    Indexed,
    Seen,
    index_captures,
    joined_fields,
    seen_from_row,
)
from builder.merge.interrupts import duckdb_interrupts
from builder.merge.spill import Spill, sql_literal
from builder.records import Rejected

DUCKDB_MEMORY = "256MB"  # DuckDB spills past this, so the parent stays small however many captures
STREAM_ROWS = 8_192
CAPTURES_PER_PARTITION = 64_000
GROUP_CHUNK_ROWS = 2_048
PICKLE = pickle.HIGHEST_PROTOCOL


class MergeFailure(Exception):
    """DuckDB could not group or order the captures (most often: no disk space left for its scratch files)."""


@contextmanager
def _reported(scratch: Path) -> Iterator[None]:
    """DuckDB's errors as a `MergeFailure` (also those that reach us through an Arrow stream of its results, as an
    `OSError` or another Arrow error: only DuckDB's work runs inside this); Ctrl-C or SIGTERM during a query as the
    `KeyboardInterrupt` it was (`interrupts.duckdb_interrupts`)."""
    try:
        with duckdb_interrupts():
            yield
    except (duckdb.Error, OSError, pyarrow.ArrowException) as error:
        advice = (
            f"this is a fault of the builder, which means to stay within {DUCKDB_MEMORY}: please report it"
            if "Out of Memory" in str(error)
            else "free disk space there (about 7.5 GB for a million captures) and build again"
        )
        raise MergeFailure(
            f"the merge could not sort and group the captures in its scratch folder {scratch} ({error}); {advice}"
        ) from None


@dataclass
class Article:
    """One output row before it is turned into Arrow: the chosen captures and the merged facts."""

    id: str
    header: Seen
    body_from: Seen
    captures: list[Seen]

    @property
    def newstream_id(self) -> str | None:
        return self.id if any(seen.key for seen in self.captures) else None

    @property
    def url(self) -> str | None:
        urls = sorted({seen.url for seen in self.captures if seen.url}, key=lambda url: (-len(url), url))
        return urls[0] if urls else None


@dataclass
class Reusable:
    """What earlier builds left that this merge may reuse (see `memo`): the index rows of the input units that are
    unchanged (`units`: each unit with the folder of index tables, an earlier build's `index_folder`, that holds its
    rows; other units' rows there are not read), and the outcome of every group the last build merged (`groups`,
    a table of `GROUPS_SCHEMA` plus each article's `position` in its output)."""

    units: list[tuple[Path, str]]
    groups: Path | None


class MergeResult:
    """The merged corpus, read back in order from the merge's scratch tables (`Merger.close` removes them).

    `repairs` counts the artefact repairs in the bodies that were kept, by kind. Articles whose group has the same
    captures as in the earlier build are not merged again: `reused_positions` says where they are in its output."""

    def __init__(
        self,
        merger: Merger,
        rejected: list[Rejected],
        conflicts: list[dict],
        repairs: Counter,
        captures_merged: int,
        teasers_without_article: int,
    ):
        self._merger = merger
        self.rejected = sorted(rejected, key=lambda reject: reject.input)
        self.conflicts = sorted(conflicts, key=lambda conflict: conflict["id"])
        self.repairs = repairs
        self.captures_merged = captures_merged
        self.teasers_without_article = teasers_without_article

    def article_plans(self) -> Iterator[BodyRef]:
        """Where each article merged by this build lies in the plan store (`Merger.plan_store`), ordered by (date,
        id): workers read and unpickle the articles themselves, so they need not pass through this process."""
        query = f"SELECT plan_file, plan_offset, plan_length FROM {self._merger._plans.sql()} ORDER BY date, id"
        for batch in self._merger._stream(query):
            yield from zip(*(column.to_pylist() for column in batch.columns))

    def articles(self) -> Iterator[Article]:
        return (read_article(self._merger.plan_store, where) for where in self.article_plans())

    def reused_positions(self) -> numpy.ndarray:
        """Ascending positions, in the earlier build's articles, of the articles this build reuses (eight bytes an
        article: read whole, so that no query stays open while the articles are read)."""
        query = "SELECT position FROM reused WHERE position IS NOT NULL ORDER BY position"
        chunks = [batch.column("position").to_numpy() for batch in self._merger._stream(query)]
        return numpy.concatenate(chunks) if chunks else numpy.zeros(0, numpy.int64)

    def teaser_batches(self, rows_per_batch: int) -> Iterator[pyarrow.RecordBatch]:
        """Teaser rows (`schema.TEASERS` columns) ordered by (date, id), in batches of `rows_per_batch` rows.

        A teaser's `seen_on` list can be long (every page of a week shows it), and DuckDB cannot spill a sort of
        rows that carry such lists; so the texts (with how many articles showed each) and the (teaser, article)
        pairs are sorted flat by the same key, and each batch's lists are cut from the pairs. The texts are sorted
        first, into a scratch file: two sorts at once (20M pairs at 1M captures) do not fit DuckDB's memory cap."""
        merger = self._merger
        texts_file = merger._scratch / "teaser-texts.parquet"
        writer = None
        for batch in merger._stream(
            "SELECT teaser_id AS id, source, date, title, snippet, pairs FROM teasers ORDER BY date, id"
        ):
            writer = writer or pq.ParquetWriter(texts_file, batch.schema)
            writer.write_batch(batch)
        if writer is None:
            return
        writer.close()
        article_ids = pyarrow.chunked_array(
            [batch.column("id") for batch in merger._stream("SELECT id FROM article_ranks ORDER BY rank")], _STRING
        ).combine_chunks()
        pairs = RowTaker(
            merger._stream("SELECT teaser_id, article_rank FROM teaser_pairs ORDER BY date, teaser_id, article_rank")
        )
        for batch in rebatched(pq.ParquetFile(texts_file).iter_batches(STREAM_ROWS), rows_per_batch):
            yield _with_seen_on(batch, pairs, article_ids)

    def write_groups(self, path: Path) -> None:
        """Every group's outcome, with each article's position in this build's output (ordered by date and id),
        for the next build to reuse (`Reusable.groups`). Positions are numbered over (date, id) alone, since a
        window over whole rows would sort a million of them within DuckDB's memory cap."""
        with _reported(self._merger._scratch):
            self._merger._db.execute(
                "COPY (SELECT g.*, p.position FROM all_groups g LEFT JOIN (SELECT id, row_number() OVER "
                "(ORDER BY date, id) - 1 AS position FROM all_groups WHERE id IS NOT NULL) p USING (id)) "
                f"TO {sql_literal(path)} (FORMAT parquet, COMPRESSION zstd)"
            )


class Merger:
    """Collects the index of every capture and the teasers seen on pages in scratch tables, then groups and orders
    them with DuckDB, out of core: memory stays flat however many captures there are."""

    def __init__(self, store: BodyStore, scratch: Path, *, threads: int = 1, index_folder: Path | None = None):
        """`index_folder` (default: `scratch`) receives the index rows of this build's captures: the build memo
        keeps them there for the next build, which reuses them (`finish`)."""
        self._store = store
        self._scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        self._threads = threads
        index_folder = index_folder or scratch
        self._captures = Spill(index_folder, "captures", INDEX_SCHEMA)
        self._teasers = Spill(index_folder, "teasers", TEASER_TEXTS_SCHEMA)
        self._sightings = Spill(index_folder, "sightings", SIGHTINGS_SCHEMA)
        self._groups = Spill(scratch, "groups", GROUPS_SCHEMA)
        self._plans = Spill(scratch, "plans", PLANS_SCHEMA)
        # The pickled articles, a kilobyte or more each, kept apart from the plans table so that DuckDB orders small
        # rows: ordering a gigabyte of them (1M captures) within its memory cap failed now and then.
        self.plan_store = BodyStore(scratch)
        self._db: duckdb.DuckDBPyConnection | None = None

    def add(self, parsed: ParsedCapture) -> None:
        """Index one capture whose body was stashed (`extract.stash_body`)."""
        self.add_indexed(index_captures([parsed]))

    def add_indexed(self, indexed: Indexed) -> None:
        self._captures.write(indexed.captures)
        self._teasers.write(indexed.teasers)
        self._sightings.write(indexed.sightings)

    def finish(
        self,
        map_chunks: Callable[[Iterable[pyarrow.RecordBatch]], Iterable[MergedGroups]] | None = None,
        reusable: Reusable | None = None,
    ) -> MergeResult:
        """Group the captures into articles (the plans and groups tables) and merge the teasers. `map_chunks` runs
        `merge_groups` over chunks of whole groups, in worker processes (by default, here), results in order.
        `reusable` adds the index rows of units an earlier build read, and that build's groups, whose outcome is
        taken as it is where a group's captures are the same."""
        with _reported(self._scratch):
            return self._finish(map_chunks, reusable or Reusable([], None))

    def _finish(self, map_chunks, reusable: Reusable) -> MergeResult:
        for spill in (self._captures, self._teasers, self._sightings):
            spill.close()
        db = self._connect()
        folders, units = zip(*reusable.units) if reusable.units else ((), ())
        db.register(
            "reusable", pyarrow.table({"folder": [str(f) for f in folders], "unit": pyarrow.array(units, _STRING)})
        )
        db.execute("CREATE TABLE units AS SELECT * FROM reusable")
        captures, sightings, teasers = (
            self._indexed(spill, reusable) for spill in (self._captures, self._sightings, self._teasers)
        )
        # A capture without URL that matches a keyed capture's source, date, title and body joins its group; of
        # several keyed groups with that content, the least. Only the content of captures without URL is looked up:
        # a table of every keyed capture's content (long keys, a million at 1M captures) outgrows DuckDB's memory cap.
        db.execute(
            "CREATE TABLE redirect AS SELECT content_key AS from_group, min(group_key) AS to_group "
            f"FROM {captures} WHERE key IS NOT NULL AND content_key IN (SELECT group_key FROM {captures} "
            "WHERE key IS NULL) GROUP BY content_key"
        )
        db.execute(  # a view: only the captures of groups to merge are read whole
            "CREATE VIEW captures AS SELECT coalesce(r.to_group, c.group_key) AS article_group, "
            f"c.* EXCLUDE (group_key, content_key) FROM {captures} c "
            "LEFT JOIN redirect r ON c.group_key = r.from_group"
        )
        # A group's outcome depends on its key and its captures' facts alone (their digests, in any order): an
        # outcome the earlier build found for the same signature is reused. The digests are summed as two 64-bit
        # halves of their MD5, a hash of the multiset that needs no sort (an ordered aggregate does not spill).
        db.execute(
            "CREATE TABLE signed AS SELECT article_group, md5(concat_ws(chr(31), article_group, count(*)::VARCHAR, "
            "sum(md5_number_upper(digest))::VARCHAR, sum(md5_number_lower(digest))::VARCHAR)) AS signature "
            "FROM captures GROUP BY article_group"
        )
        db.register("no_earlier_groups", EARLIER_GROUPS_SCHEMA.empty_table())
        earlier = f"read_parquet({sql_literal(reusable.groups)})" if reusable.groups else "no_earlier_groups"
        # Joined on signatures alone (they name the group too): hash tables of a million group keys, some of them
        # long, do not fit in DuckDB's memory cap.
        db.execute(f"CREATE TABLE reused AS SELECT * FROM {earlier} SEMI JOIN signed USING (signature)")
        db.execute(  # without the columns only the memo needs: parts of it are sorted within DuckDB's memory cap
            "CREATE TABLE to_merge AS SELECT c.* EXCLUDE (digest, unit), s.signature FROM captures c JOIN "
            "(SELECT article_group, signature FROM signed ANTI JOIN reused USING (signature)) s USING (article_group)"
        )
        # Groups are read in parts of about `CAPTURES_PER_PARTITION` captures (all of a group's captures are in one
        # part), so that DuckDB sorts a part in memory; the order groups are read in changes nothing in the output.
        [(count,)] = db.execute("SELECT count(*) FROM to_merge").fetchall()
        parts = max(1, -(-count // CAPTURES_PER_PARTITION))
        ordered_parts = (
            self._stream(
                "SELECT * FROM to_merge WHERE hash(article_group) % $1 = $2 ORDER BY article_group, raw_sha256, input",
                [parts, part],
            )
            for part in range(parts)
        )
        chunks = _group_aligned((batch for batches in ordered_parts for batch in batches), GROUP_CHUNK_ROWS)
        in_process = (merge_groups(self._store, self.plan_store, chunk) for chunk in chunks)
        for done in map_chunks(chunks) if map_chunks else in_process:
            self._groups.write(done.groups)
            self._plans.write(done.plans)
        self._groups.close()
        self._plans.close()
        db.execute(
            f"CREATE VIEW all_groups AS SELECT * EXCLUDE (position) FROM reused UNION ALL SELECT * FROM {self._groups.sql()}"
        )
        # Articles are numbered in the order of their ids, and the pairs carry the number: sorting 20M pairs by a
        # number instead of an id string takes half the time at 1M captures (`teaser_batches` turns numbers back).
        db.execute(
            "CREATE TABLE article_ranks AS SELECT article_group, id, row_number() OVER (ORDER BY id) - 1 AS rank "
            "FROM all_groups WHERE id IS NOT NULL"
        )
        # Every (teaser, article) sighting, repeated where several captures of an article show the teaser: de-
        # duplicating 20M of them at 1M captures would spill a hash table; `teaser_batches` drops repeats in order.
        db.execute(
            "CREATE TABLE teaser_pairs AS SELECT s.date, s.teaser_id, g.rank AS article_rank "
            f"FROM {sightings} s LEFT JOIN redirect r ON s.group_key = r.from_group "
            "JOIN article_ranks g ON coalesce(r.to_group, s.group_key) = g.article_group"
        )
        # A teaser's texts differ only in their title (missing on some pages): the least one is kept. Titles and
        # texts are taken apart, as an aggregate that keeps strings is far slower in DuckDB (10 s against 3.4 s at
        # 1M captures). Two texts of one id, which would be a hash collision, give two rows of one id: the check of
        # unique ids stops the build.
        db.execute(f"CREATE TABLE teaser_texts AS SELECT DISTINCT teaser_id, source, snippet, date FROM {teasers}")
        db.execute(
            "CREATE TABLE teasers AS SELECT * FROM teaser_texts JOIN (SELECT teaser_id, min(nullif(title, '')) AS "
            f"title FROM {teasers} GROUP BY teaser_id) USING (teaser_id) "
            "JOIN (SELECT teaser_id, count(*) AS pairs FROM teaser_pairs GROUP BY teaser_id) USING (teaser_id)"
        )
        [(orphaned, merged)] = db.execute(
            "SELECT (SELECT count(*) FROM teaser_texts) - (SELECT count(*) FROM teasers), "
            "(SELECT coalesce(sum(merged), 0) FROM all_groups)"
        ).fetchall()
        rejected = [
            Rejected(**reject)
            for (found,) in db.execute("SELECT rejected FROM all_groups WHERE rejected IS NOT NULL").fetchall()
            for reject in json.loads(found)
        ]
        conflicts = [
            json.loads(found)
            for (found,) in db.execute("SELECT conflict FROM all_groups WHERE conflict IS NOT NULL").fetchall()
        ]
        repairs = Counter()
        for (found,) in db.execute("SELECT repairs FROM all_groups WHERE repairs IS NOT NULL").fetchall():
            repairs.update(json.loads(found))
        return MergeResult(self, rejected, conflicts, repairs, int(merged), orphaned)

    def _indexed(self, spill: Spill, reusable: Reusable) -> str:
        """A table expression of the index rows of this build's captures and those of the reusable units (the
        `units` table). One scan of all the files, kept to the rows of wanted (file, unit) pairs: DuckDB runs out
        of memory joining and de-duplicating a UNION ALL of scans."""
        if not reusable.units:
            return spill.sql()
        folders = sorted({folder for folder, _ in reusable.units})
        files = [spill.path, *(folder / spill.path.name for folder in folders)]
        wanted = f"wanted_{spill.path.stem}"
        self._db.execute(
            f"CREATE TABLE {wanted} AS SELECT folder || '/' || {sql_literal(spill.path.name)} AS file, unit FROM units "
            f"UNION ALL SELECT DISTINCT {sql_literal(spill.path)}, unit FROM {spill.sql()}"
        )
        return (
            f"(SELECT r.* EXCLUDE (filename) FROM read_parquet([{', '.join(map(sql_literal, files))}], filename = true) r "
            f"SEMI JOIN {wanted} w ON r.filename = w.file AND r.unit = w.unit)"
        )

    def close(self) -> None:
        """Remove the scratch tables, the plan store and DuckDB's spill files: they are not part of the release."""
        for spill in (self._captures, self._teasers, self._sightings, self._groups, self._plans):
            spill.close()
        self.plan_store.close()
        if self._db is not None:
            self._db.close()
            self._db = None
        shutil.rmtree(self._scratch, ignore_errors=True)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory database, memory capped, spilling to the scratch folder, silent. Not a database file, which
        DuckDB also writes every table it makes to: with one, the merge of a build from the memo at 1M captures took
        20 s instead of 15 s (the (teaser, article) pairs 7.0 s instead of 3.8 s)."""
        self._db = duckdb.connect(
            ":memory:",
            config={
                "memory_limit": DUCKDB_MEMORY,
                "threads": self._threads,
                "temp_directory": str(self._scratch / "duckdb-tmp"),
                "preserve_insertion_order": False,
            },
        )
        self._db.execute("SET enable_progress_bar = false")  # drawn on stdout, amid the build's progress and report
        return self._db

    def _stream(self, query: str, params: list | None = None) -> Iterator[pyarrow.RecordBatch]:
        """The query's rows as they come. One stream at a time: a second query on the connection would make DuckDB
        hold the rest of the first one's result in memory."""
        with _reported(self._scratch):
            yield from self._db.sql(query, params=params).to_arrow_reader(STREAM_ROWS)


@dataclass
class MergedGroups:
    """What `merge_groups` makes of a chunk of groups: one row of the groups table for each, and one plan (where
    the pickled `Article` lies in the plan store) for each that became an article."""

    groups: pyarrow.RecordBatch
    plans: pyarrow.RecordBatch


def merge_groups(store: BodyStore, plan_store: BodyStore, batch: pyarrow.RecordBatch) -> MergedGroups:
    """Each whole group of captures in `batch` (rows ordered by `article_group`, with its `signature`) -> its
    article, or rejects. A pure function of the rows and the bodies they point to, so workers run it on chunks in
    parallel, and the next build can reuse its outcome for a group whose captures did not change."""
    signatures = dict(zip(batch.column("article_group").to_pylist(), batch.column("signature").to_pylist()))
    groups, plans = [], []
    for group, captures in _consecutive_groups([batch]):
        rejected, conflicts, repairs = [], [], Counter()
        article = _article(store, group, captures, rejected, conflicts, repairs)
        groups.append(
            {
                "article_group": group,
                "signature": signatures[group],
                "id": article.id if article else None,
                "date": article.header.date if article else None,
                "merged": len(article.captures) - 1 if article else 0,
                "repairs": json.dumps(dict(sorted(repairs.items()))) if repairs else None,
                "conflict": json.dumps(conflicts[0], ensure_ascii=False) if conflicts else None,
                "rejected": json.dumps([reject.to_json() for reject in rejected], ensure_ascii=False)
                if rejected
                else None,
            }
        )
        if article is not None:
            plan_file, plan_offset, plan_length = plan_store.put(pickle.dumps(article, PICKLE))
            plans.append(
                {
                    "date": article.header.date,
                    "id": article.id,
                    "plan_file": plan_file,
                    "plan_offset": plan_offset,
                    "plan_length": plan_length,
                }
            )
    return MergedGroups(
        pyarrow.RecordBatch.from_pylist(groups, schema=GROUPS_SCHEMA),
        pyarrow.RecordBatch.from_pylist(plans, schema=PLANS_SCHEMA),
    )


def _article(
    store: BodyStore, group: str, captures: list[Seen], rejected: list, conflicts: list, repairs: Counter
) -> Article | None:
    headed = [seen for seen in captures if seen.headed]
    if not headed:
        for seen in captures:
            rejected.append(
                Rejected(
                    seen.input,
                    seen.url,
                    "headless",
                    f"the capture has no title or Date line, and no other capture of article {seen.key} has "
                    "one; add a complete capture of that URL",
                )
            )
        return None
    header = min(headed, key=Seen.header_rank)
    body_from = min(captures, key=Seen.rank)
    repairs.update(body_from.repairs or {})
    body = article_body(store, body_from, header, repairs)
    article_id = group[len(KEYED) :] if group.startswith(KEYED) else "c" + _content_hash(header, body)
    _check_agreement(store, article_id, header, body_from, body, captures, conflicts)
    return Article(article_id, header, body_from, sorted(captures, key=lambda seen: seen.raw_sha256))


def _check_agreement(store, article_id, header, body_from, body, captures, conflicts) -> None:
    """Captures of one article should agree; each one that does not is reported, with the choice made."""
    disagreeing = []
    for seen in captures:
        if seen is body_from:
            continue
        why = None
        if seen.headed and (seen.title, seen.date, seen.source) != (header.title, header.date, header.source):
            why = "its title, date or source differ from the chosen header's"
        elif seen.body_digest != body_from.body_digest:
            other = article_body(store, seen, header, Counter())
            if seen.body_whole and other != body:
                why = "its whole body differs from the chosen body"
            elif not seen.body_whole and not _is_cut_prefix(other, body):
                why = "its cut-short body is not the start of the chosen body"
        if why:
            disagreeing.append({"input": seen.input, "raw_sha256": seen.raw_sha256, "why": why})
    if disagreeing:
        conflicts.append(
            {
                "id": article_id,
                "chosen": {"input": body_from.input, "raw_sha256": body_from.raw_sha256},
                "header_from": {"input": header.input, "raw_sha256": header.raw_sha256},
                "disagreeing": sorted(disagreeing, key=lambda item: item["input"]),
                "detail": "kept the body of the capture that is whole and reached furthest on the page "
                "(then the longest), and the title, date and source of the best headed capture",
            }
        )


def _with_seen_on(batch: pyarrow.RecordBatch, pairs: RowTaker, article_ids: pyarrow.Array) -> pyarrow.RecordBatch:
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


def _group_aligned(batches: Iterable[pyarrow.RecordBatch], rows: int) -> Iterator[pyarrow.RecordBatch]:
    """Batches of about `rows` rows (ordered by `article_group`) that never split a group."""
    pending: pyarrow.Table | None = None
    for batch in batches:
        table = pyarrow.Table.from_batches([batch])
        table = table if pending is None else pyarrow.concat_tables([pending, table])
        groups = table.column("article_group")
        if table.num_rows < rows:
            pending = table
            continue
        starts = run_starts(groups)
        if len(starts) < 2:
            pending = table
            continue
        cut = starts[-1]  # the start of the last group, which may go on in the next batch
        yield table.slice(0, cut).combine_chunks().to_batches()[0]
        pending = table.slice(cut)
    if pending is not None and pending.num_rows:
        yield pending.combine_chunks().to_batches()[0]


def _consecutive_groups(batches: Iterable[pyarrow.RecordBatch]) -> Iterator[tuple[str, list[Seen]]]:
    """(group, its captures) from rows ordered by `article_group`."""
    rows = (row for batch in batches for row in batch.to_pylist())
    for group, members in groupby(rows, key=lambda row: row["article_group"]):
        yield group, [seen_from_row(row) for row in members]


_STRING, _DATE = pyarrow.string(), pyarrow.date32()
GROUPS_SCHEMA = pyarrow.schema(
    [
        ("article_group", _STRING),
        ("signature", _STRING),
        ("id", _STRING),
        ("date", _DATE),
        ("merged", pyarrow.int64()),
        ("repairs", _STRING),
        ("conflict", _STRING),
        ("rejected", _STRING),
    ]
)
EARLIER_GROUPS_SCHEMA = GROUPS_SCHEMA.append(pyarrow.field("position", pyarrow.int64()))  # `MergeResult.write_groups`
PLANS_SCHEMA = pyarrow.schema(
    [
        ("date", _DATE),
        ("id", _STRING),
        ("plan_file", _STRING),
        ("plan_offset", pyarrow.int64()),
        ("plan_length", pyarrow.int64()),
    ]
)


def read_article(plan_store: BodyStore, where: BodyRef) -> Article:
    """An article `merge_groups` wrote to the plan store."""
    return pickle.loads(plan_store.get_bytes(where))


def article_body(store: BodyStore, seen: Seen, header: Seen, repairs: Counter) -> str:
    """A capture's body read back from the store. A headless capture's body still carries the Voice of Korea
    title repetition, which needs the title of its article's header to be removed."""
    body = store.get(seen.body_at)
    if seen.headed:
        return body
    paragraphs = remove_repeated_title(body.split("\n\n"), header.title, header.source, repairs)
    return "\n\n".join(paragraphs)


def _content_hash(header: Seen, body: str) -> str:
    text = joined_fields([header.source, header.date.isoformat(), header.title, body])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _is_cut_prefix(cut: str, whole: str) -> bool:
    """A body cut short, maybe mid-word, agrees with a whole one when it is its start."""
    return whole.startswith(cut) or whole.startswith(cut.rsplit(None, 1)[0] if cut.split() else "")
