"""Counts of the articles for the card and the build report, taken from the article batches as they are written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import pyarrow
import pyarrow.compute


class ArticleTally:
    def __init__(self):
        self.sources: Counter = Counter()
        self.years: Counter = Counter()
        self.doc_types: Counter = Counter()
        self.languages: Counter = Counter()
        self.origins: Counter = Counter()

    def count(self, batch: pyarrow.RecordBatch) -> None:
        languages = pyarrow.compute.drop_null(batch.column("language"))
        for counter, column in (
            (self.sources, batch.column("source")),
            (self.years, pyarrow.compute.year(batch.column("date"))),
            (self.doc_types, batch.column("doc_type")),
            (self.languages, languages.filter(pyarrow.compute.not_equal(languages, ""))),
            (self.origins, batch.column("origin")),
        ):
            for entry in pyarrow.compute.value_counts(column).to_pylist():
                counter[entry["values"]] += entry["counts"]

    def tallied(self, batches: Iterable[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
        """The batches as they pass, each counted."""
        for batch in batches:
            self.count(batch)
            yield batch
