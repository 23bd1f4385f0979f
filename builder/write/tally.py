"""Counts of the articles for the card and the build report, taken from the article batches as they are written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import pyarrow
import pyarrow.compute


class ArticleTally:
    def __init__(self):
        self.sources: Counter = Counter()
        self.doc_types: Counter = Counter()
        self.languages: Counter = Counter()
        self.origins: Counter = Counter()
        self.source_years: Counter = Counter()  # (source, year) -> articles
        self.source_months: Counter = Counter()  # (source, "YYYY-MM") -> articles, for the timeline plot
        self.words = 0
        self.cut_short = 0  # bodies from captures that did not reach the end of their page
        self.first_date = self.last_date = None
        self.example: dict | None = None  # the first row written (the earliest date, smallest id)

    def count(self, batch: pyarrow.RecordBatch) -> None:
        if not batch.num_rows:
            return
        if self.example is None:
            self.example = batch.slice(0, 1).to_pylist()[0]
        dates = batch.column("date")
        first, last = pyarrow.compute.min(dates).as_py(), pyarrow.compute.max(dates).as_py()
        self.first_date = min(filter(None, (self.first_date, first)))
        self.last_date = max(filter(None, (self.last_date, last)))
        self.words += pyarrow.compute.sum(batch.column("word_count")).as_py() or 0
        self.cut_short += batch.num_rows - (pyarrow.compute.sum(batch.column("complete")).as_py() or 0)
        months = pyarrow.compute.strftime(pyarrow.compute.cast(dates, pyarrow.timestamp("s")), format="%Y-%m")
        table = pyarrow.table({"source": batch.column("source"), "month": months})
        for entry in table.group_by(["source", "month"]).aggregate([("month", "count")]).to_pylist():
            self.source_months[(entry["source"], entry["month"])] += entry["month_count"]
            self.source_years[(entry["source"], int(entry["month"][:4]))] += entry["month_count"]
        self._count_values(batch)

    def _count_values(self, batch: pyarrow.RecordBatch) -> None:
        languages = pyarrow.compute.drop_null(batch.column("language"))
        for counter, column in (
            (self.sources, batch.column("source")),
            (self.doc_types, batch.column("doc_type")),
            (self.languages, languages.filter(pyarrow.compute.not_equal(languages, ""))),
            (self.origins, batch.column("origin")),
        ):
            for entry in pyarrow.compute.value_counts(column).to_pylist():
                counter[entry["values"]] += entry["counts"]

    @property
    def years(self) -> Counter:
        """Articles by year of their date (from the counts by source and year)."""
        years: Counter = Counter()
        for (_, year), count in self.source_years.items():
            years[year] += count
        return years

    def tallied(self, batches: Iterable[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
        """The batches as they pass, each counted."""
        for batch in batches:
            self.count(batch)
            yield batch
