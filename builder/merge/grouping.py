"""De-duplicate step: captures of one article become one article; teasers are merged across pages.

Captures belong to one article when they share the KCNA Watch key of their URL, or, without URLs, when their
source, date, title and body agree (`articles` chooses each group's article). Workers turn their chunk of parsed
captures into index rows and teaser sightings (`capture_index`); the parent appends them to scratch tables (`spill`),
and DuckDB sorts and groups them out of core. Bodies only ever live in the `BodyStore`; memory holds one group's
captures at a time.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyarrow

from builder.batches import run_starts
from builder.bodystore import BodyStore
from builder.merge.articles import EARLIER_GROUPS_SCHEMA, GROUPS_SCHEMA, PLANS_SCHEMA, MergedGroups, merge_groups
from builder.merge.capture_index import SIGHTINGS_SCHEMA, TEASER_TEXTS_SCHEMA, Indexed
from builder.merge.database import Database, reported
from builder.merge.index_rows import INDEX_SCHEMA
from builder.merge.result import GroupReports, MergeResult, Reusable
from builder.merge.spill import Spill, sql_literal
from builder.records import Rejected

CAPTURES_PER_PARTITION = 64_000
GROUP_CHUNK_ROWS = 2_048

MapChunks = Callable[[Iterable[pyarrow.RecordBatch]], Iterable[MergedGroups]]


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
        # rows: ordering a gigabyte of them within its memory cap failed now and then.
        self.plan_store = BodyStore(scratch)
        self._db: Database | None = None

    def add_indexed(self, indexed: Indexed) -> None:
        """Append a chunk of index rows (`capture_index.index_captures`) to the scratch tables."""
        self._captures.write(indexed.captures)
        self._teasers.write(indexed.teasers)
        self._sightings.write(indexed.sightings)

    def connect(self) -> Database:
        self._db = self._db or Database(self._scratch, self._threads)
        return self._db

    def finish(self, map_chunks: MapChunks | None = None, reusable: Reusable | None = None) -> MergeResult:
        """Group the captures into articles (the plans and groups tables) and merge the teasers. `map_chunks` runs
        `merge_groups` over chunks of whole groups, in worker processes (by default, here), results in order.
        `reusable` adds the index rows of units an earlier build read, and that build's groups, whose outcome is
        taken as it is where a group's captures are the same."""
        with reported(self._scratch):
            for spill in (self._captures, self._teasers, self._sightings):
                spill.close()
            db = self.connect()
            reusable = reusable or Reusable([], None)
            self._register_reusable_units(db, reusable)
            captures, sightings, teasers = (
                self._indexed(db, spill, reusable) for spill in (self._captures, self._sightings, self._teasers)
            )
            self._group_captures(db, captures)
            self._sign_groups(db, reusable)
            self._merge_changed_groups(db, map_chunks)
            self._pair_teasers(db, sightings, teasers)
            return MergeResult(db, self._plans.sql(), self.plan_store, _group_reports(db))

    @staticmethod
    def _register_reusable_units(db: Database, reusable: Reusable) -> None:
        folders, units = zip(*reusable.units) if reusable.units else ((), ())
        table = {"folder": [str(folder) for folder in folders], "unit": pyarrow.array(units, pyarrow.string())}
        db.register("reusable", pyarrow.table(table))
        db.execute("CREATE TABLE units AS SELECT * FROM reusable")

    @staticmethod
    def _group_captures(db: Database, captures: str) -> None:
        """The `captures` view: every capture with the group of its article. A capture without URL that matches a
        keyed capture's source, date, title and body joins its group; of several keyed groups with that content, the
        least. Only the content of captures without URL is looked up: a table of every keyed capture's content (long
        keys, a million at 1M captures) outgrows DuckDB's memory cap."""
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

    @staticmethod
    def _sign_groups(db: Database, reusable: Reusable) -> None:
        """`reused`: the earlier outcomes of groups whose captures are as they were; `to_merge`: the captures of the
        other groups. A group's outcome depends on its key and its captures' facts alone (their digests, in any
        order). The digests are summed as two 64-bit halves of their MD5, a hash of the multiset that needs no sort
        (an ordered aggregate does not spill)."""
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

    def _merge_changed_groups(self, db: Database, map_chunks: MapChunks | None) -> None:
        """Each group of `to_merge` -> its outcome (the groups table) and article (the plans table). Groups are read
        in parts of about `CAPTURES_PER_PARTITION` captures (all of a group's captures in one part), so that DuckDB
        sorts a part in memory; the order groups are read in changes nothing in the output."""
        [(count,)] = db.rows("SELECT count(*) FROM to_merge")
        parts = max(1, -(-count // CAPTURES_PER_PARTITION))
        query = "SELECT * FROM to_merge WHERE hash(article_group) % $1 = $2 ORDER BY article_group, raw_sha256, input"
        ordered_parts = (db.stream(query, [parts, part]) for part in range(parts))
        chunks = group_aligned((batch for batches in ordered_parts for batch in batches), GROUP_CHUNK_ROWS)
        in_process = (merge_groups(self._store, self.plan_store, chunk) for chunk in chunks)
        for done in map_chunks(chunks) if map_chunks else in_process:
            self._groups.write(done.groups)
            self._plans.write(done.plans)
        self._groups.close()
        self._plans.close()
        db.execute(
            "CREATE VIEW all_groups AS SELECT * EXCLUDE (position) FROM reused "
            f"UNION ALL SELECT * FROM {self._groups.sql()}"
        )

    @staticmethod
    def _pair_teasers(db: Database, sightings: str, teasers: str) -> None:
        """`teasers` (each teaser text with how many (teaser, article) pairs it has) and `teaser_pairs`."""
        # Articles are numbered in the order of their ids, and the pairs carry the number: sorting the pairs by a
        # number instead of an id string takes half the time (`teaser_lists` turns numbers back into ids).
        db.execute(
            "CREATE TABLE article_ranks AS SELECT article_group, id, row_number() OVER (ORDER BY id) - 1 AS rank "
            "FROM all_groups WHERE id IS NOT NULL"
        )
        # Every (teaser, article) sighting, repeated where several captures of an article show the teaser: de-
        # duplicating them here would spill a hash table; `teaser_lists.with_seen_on` drops repeats in order.
        db.execute(
            "CREATE TABLE teaser_pairs AS SELECT s.date, s.teaser_id, g.rank AS article_rank "
            f"FROM {sightings} s LEFT JOIN redirect r ON s.group_key = r.from_group "
            "JOIN article_ranks g ON coalesce(r.to_group, s.group_key) = g.article_group"
        )
        # A teaser's texts differ only in their title (missing on some pages): the least one is kept. Titles and
        # texts are taken apart, as an aggregate that keeps strings is far slower in DuckDB. Two texts of one id,
        # which would be a hash collision, give two rows of one id: the check of unique ids stops the build.
        db.execute(f"CREATE TABLE teaser_texts AS SELECT DISTINCT teaser_id, source, snippet, date FROM {teasers}")
        db.execute(
            "CREATE TABLE teasers AS SELECT * FROM teaser_texts JOIN (SELECT teaser_id, min(nullif(title, '')) AS "
            f"title FROM {teasers} GROUP BY teaser_id) USING (teaser_id) "
            "JOIN (SELECT teaser_id, count(*) AS pairs FROM teaser_pairs GROUP BY teaser_id) USING (teaser_id)"
        )

    @staticmethod
    def _indexed(db: Database, spill: Spill, reusable: Reusable) -> str:
        """A table expression of the index rows of this build's captures and those of the reusable units (the
        `units` table). One scan of all the files, kept to the rows of wanted (file, unit) pairs: DuckDB runs out
        of memory joining and de-duplicating a UNION ALL of scans."""
        if not reusable.units:
            return spill.sql()
        folders = sorted({folder for folder, _ in reusable.units})
        files = ", ".join(map(sql_literal, [spill.path, *(folder / spill.path.name for folder in folders)]))
        wanted = f"wanted_{spill.path.stem}"
        db.execute(
            f"CREATE TABLE {wanted} AS SELECT folder || '/' || {sql_literal(spill.path.name)} AS file, unit FROM units "
            f"UNION ALL SELECT DISTINCT {sql_literal(spill.path)}, unit FROM {spill.sql()}"
        )
        return (
            f"(SELECT r.* EXCLUDE (filename) FROM read_parquet([{files}], filename = true) r "
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


def _group_reports(db: Database) -> GroupReports:
    [(orphaned, merged)] = db.rows(
        "SELECT (SELECT count(*) FROM teaser_texts) - (SELECT count(*) FROM teasers), "
        "(SELECT coalesce(sum(merged), 0) FROM all_groups)"
    )
    found = {
        column: [
            json.loads(value) for (value,) in db.rows(f"SELECT {column} FROM all_groups WHERE {column} IS NOT NULL")
        ]
        for column in ("rejected", "conflict", "repairs")
    }
    repairs = Counter()
    for counts in found["repairs"]:
        repairs.update(counts)
    rejected = [Rejected(**reject) for rejects in found["rejected"] for reject in rejects]
    return GroupReports(rejected, found["conflict"], repairs, int(merged), orphaned)


def group_aligned(batches: Iterable[pyarrow.RecordBatch], rows: int) -> Iterator[pyarrow.RecordBatch]:
    """Batches of about `rows` rows (ordered by `article_group`) that never split a group."""
    pending: pyarrow.Table | None = None
    for batch in batches:
        table = pyarrow.Table.from_batches([batch])
        table = table if pending is None else pyarrow.concat_tables([pending, table])
        if table.num_rows < rows:
            pending = table
            continue
        starts = run_starts(table.column("article_group"))
        if len(starts) < 2:
            pending = table
            continue
        cut = starts[-1]  # the start of the last group, which may go on in the next batch
        yield table.slice(0, cut).combine_chunks().to_batches()[0]
        pending = table.slice(cut)
    if pending is not None and pending.num_rows:
        yield pending.combine_chunks().to_batches()[0]
