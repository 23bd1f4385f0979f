"""What a merge gives: the reports of the groups it merged, and its articles and teasers read back in order from the
merge's scratch tables (`Merger.close` removes them); and what an earlier build leaves for a merge to reuse."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
import pyarrow

from builder.bodystore import BodyRef, BodyStore
from builder.merge.articles import Article, read_article
from builder.merge.database import Database, reported
from builder.merge.spill import sql_literal
from builder.merge.teaser_lists import teaser_batches
from builder.records import Rejected


@dataclass
class Reusable:
    """What earlier builds left that this merge may reuse (see `run.memo`): the index rows of the input units that
    are unchanged (`units`: each unit with the folder of index tables, an earlier build's `index_folder`, that holds
    its rows; other units' rows there are not read), and the outcome of every group the last build merged (`groups`,
    a table of `GROUPS_SCHEMA` plus each article's `position` in its output)."""

    units: list[tuple[Path, str]]
    groups: Path | None


@dataclass
class GroupReports:
    """What the groups' outcomes say for the build report. `repairs` counts the artefact repairs in the bodies that
    were kept, by kind."""

    rejected: list[Rejected]
    conflicts: list[dict]
    repairs: Counter
    captures_merged: int
    teasers_without_article: int


class MergeResult:
    """The merged corpus. Articles whose group has the same captures as in the earlier build are not merged again:
    `reused_positions` says where they are in its output."""

    def __init__(self, db: Database, plans_table: str, plan_store: BodyStore, reports: GroupReports):
        self._db = db
        self._plans_table = plans_table
        self.plan_store = plan_store
        self.rejected = sorted(reports.rejected, key=lambda reject: reject.input)
        self.conflicts = sorted(reports.conflicts, key=lambda conflict: conflict["id"])
        self.repairs = reports.repairs
        self.captures_merged = reports.captures_merged
        self.teasers_without_article = reports.teasers_without_article

    def article_plans(self) -> Iterator[BodyRef]:
        """Where each article merged by this build lies in the plan store, ordered by (date, id): workers read and
        unpickle the articles themselves, so they need not pass through this process."""
        query = f"SELECT plan_file, plan_offset, plan_length FROM {self._plans_table} ORDER BY date, id"
        for batch in self._db.stream(query):
            yield from zip(*(column.to_pylist() for column in batch.columns))

    def articles(self) -> Iterator[Article]:
        return (read_article(self.plan_store, where) for where in self.article_plans())

    def reused_positions(self) -> numpy.ndarray:
        """Ascending positions, in the earlier build's articles, of the articles this build reuses (eight bytes an
        article: read whole, so that no query stays open while the articles are read)."""
        query = "SELECT position FROM reused WHERE position IS NOT NULL ORDER BY position"
        chunks = [batch.column("position").to_numpy() for batch in self._db.stream(query)]
        return numpy.concatenate(chunks) if chunks else numpy.zeros(0, numpy.int64)

    def teaser_batches(self, rows_per_batch: int) -> Iterator[pyarrow.RecordBatch]:
        """Teaser rows ordered by (date, id), in batches of `rows_per_batch` rows (`teaser_lists.teaser_batches`)."""
        return teaser_batches(self._db, self._db.scratch, rows_per_batch)

    def write_groups(self, path: Path) -> None:
        """Every group's outcome, with each article's position in this build's output (ordered by date and id),
        for the next build to reuse (`Reusable.groups`). Positions are numbered over (date, id) alone, since a
        window over whole rows would sort a million of them within DuckDB's memory cap."""
        with reported(self._db.scratch):
            self._db.execute(
                "COPY (SELECT g.*, p.position FROM all_groups g LEFT JOIN (SELECT id, row_number() OVER "
                "(ORDER BY date, id) - 1 AS position FROM all_groups WHERE id IS NOT NULL) p USING (id)) "
                f"TO {sql_literal(path)} (FORMAT parquet, COMPRESSION zstd)"
            )
