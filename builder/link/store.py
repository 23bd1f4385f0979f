"""The link stage's DuckDB database: the articles' sketches and their band keys (kept in the build memo's folder
between builds, so that a build computes those of new or changed articles only), the exact measures of the candidate
pairs checked so far (so that a build measures new pairs only), and the queries that find candidates.

A sketch is keyed by the article's id and the SHA-256 of the capture its body comes from: within one builder
version (the memo's folder is one a version) these fix the body.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy
import pyarrow

from builder.link.sketches import BAND_WINDOWS, BANDS, MIN_SHINGLES
from builder.merge.database import reported

STORE_MEMORY = "512MB"  # DuckDB spills past this
FAILING = "the link stage could not store or compare the articles' sketches"

_TABLES = """
CREATE TABLE IF NOT EXISTS sketches (sketch BIGINT PRIMARY KEY, id VARCHAR, raw_sha256 VARCHAR);
CREATE TABLE IF NOT EXISTS bands (sketch BIGINT, band SMALLINT, key UBIGINT);
CREATE TABLE IF NOT EXISTS measures (
    sketch_a BIGINT, sketch_b BIGINT, shared INTEGER, head_shared DOUBLE, count_a INTEGER, count_b INTEGER);
"""


class LinkStore:
    """Open on `path` (a database file kept between builds) or in memory (`path` None), spilling to `scratch`."""

    def __init__(self, path: Path | None, scratch: Path, threads: int):
        scratch.mkdir(parents=True, exist_ok=True)
        self.scratch = scratch
        with reported(scratch):
            self.connection = duckdb.connect(
                str(path) if path else ":memory:",
                config={"memory_limit": STORE_MEMORY, "threads": threads, "temp_directory": str(scratch / "duckdb")},
            )
            self.connection.execute("SET enable_progress_bar = false")
            self.connection.execute(_TABLES)
            windows = pyarrow.table({"band": numpy.arange(BANDS, dtype=numpy.int16), "window_days": BAND_WINDOWS})
            self.connection.register("band_windows", windows)

    def use_articles(self, articles: pyarrow.Table) -> None:
        """This build's articles (`row`, `id`, `raw_sha256`, `day`): the rows the queries below speak of."""
        with reported(self.scratch, FAILING):
            self.connection.register("current_input", articles)
            self.connection.execute(
                "CREATE OR REPLACE TEMP TABLE current AS SELECT c.row, c.day, s.sketch FROM current_input c "
                "LEFT JOIN sketches s USING (id, raw_sha256)"
            )

    def rows_without_sketch(self) -> numpy.ndarray:
        query = "SELECT row FROM current WHERE sketch IS NULL ORDER BY row"
        return self.connection.sql(query).to_arrow_table()["row"].to_numpy()

    def add_sketches(self, sketches: pyarrow.Table, band_keys: numpy.ndarray) -> None:
        """New sketches (`id`, `raw_sha256`, `shingle_count`), numbered after the stored ones, and their band keys (one
        row of `BANDS` keys each; none kept for a text too short to link)."""
        with reported(self.scratch, FAILING):
            first = self.connection.execute("SELECT coalesce(max(sketch), -1) + 1 FROM sketches").fetchall()[0][0]
            numbers = numpy.arange(first, first + len(sketches), dtype=numpy.int64)
            self.connection.register("new_sketches", sketches.append_column("sketch", pyarrow.array(numbers)))
            self.connection.execute("INSERT INTO sketches SELECT sketch, id, raw_sha256 FROM new_sketches")
            self.connection.unregister("new_sketches")
            usable = sketches["shingle_count"].to_numpy() >= MIN_SHINGLES
            keys = band_keys[usable]
            bands = pyarrow.table(
                {
                    "sketch": numpy.repeat(numbers[usable], BANDS),
                    "band": numpy.tile(numpy.arange(BANDS, dtype=numpy.int16), len(keys)),
                    "key": keys.reshape(-1),
                }
            )
            self.connection.register("new_bands", bands)
            self.connection.execute("INSERT INTO bands SELECT * FROM new_bands")
            self.connection.unregister("new_bands")

    def refresh_sketch_numbers(self) -> None:
        self.connection.execute(
            "UPDATE current SET sketch = s.sketch FROM current_input c JOIN sketches s USING (id, raw_sha256) "
            "WHERE current.row = c.row AND current.sketch IS NULL"
        )

    def find_candidates(self) -> int:
        """Pairs of rows that share a band key within the band's date window (`candidates`, each pair once, the
        smaller row first); returns how many pairs have no stored measures yet."""
        with reported(self.scratch, FAILING):
            self.connection.execute(
                "CREATE OR REPLACE TEMP TABLE keyed AS SELECT c.row, c.day, c.sketch, b.band, b.key "
                "FROM bands b JOIN current c USING (sketch)"
            )
            self.connection.execute(
                "CREATE OR REPLACE TEMP TABLE candidates AS SELECT DISTINCT x.row AS row_a, y.row AS row_b, "
                "x.sketch AS sketch_a, y.sketch AS sketch_b FROM keyed x JOIN keyed y USING (band, key) "
                "JOIN band_windows w USING (band) WHERE x.row < y.row AND abs(x.day - y.day) <= w.window_days"
            )
            self.connection.execute("DROP TABLE keyed")
            return self.connection.execute(
                "SELECT count(*) FROM candidates c ANTI JOIN measures m USING (sketch_a, sketch_b)"
            ).fetchall()[0][0]

    def unmeasured(self) -> pyarrow.Table:
        """The candidates without stored measures (`row_a`, `row_b`, `sketch_a`, `sketch_b`)."""
        query = "SELECT c.* FROM candidates c ANTI JOIN measures m USING (sketch_a, sketch_b) ORDER BY c.row_a, c.row_b"
        with reported(self.scratch, FAILING):
            return self.connection.sql(query).to_arrow_table()

    def add_measures(self, measures: pyarrow.Table) -> None:
        with reported(self.scratch, FAILING):
            self.connection.register("new_measures", measures)
            self.connection.execute("INSERT INTO measures SELECT * FROM new_measures")
            self.connection.unregister("new_measures")

    def measured_candidates(self) -> pyarrow.Table:
        """Every candidate with its measures, by rows."""
        query = (
            "SELECT c.row_a, c.row_b, m.shared, m.head_shared, m.count_a, m.count_b "
            "FROM candidates c JOIN measures m USING (sketch_a, sketch_b) ORDER BY c.row_a, c.row_b"
        )
        with reported(self.scratch, FAILING):
            return self.connection.sql(query).to_arrow_table()

    def keep_only_current(self) -> None:
        """Forget the sketches and measures of articles this build does not have: the store stays the corpus's size."""
        with reported(self.scratch, FAILING):
            self.connection.execute("DELETE FROM sketches WHERE sketch NOT IN (SELECT sketch FROM current)")
            self.connection.execute("DELETE FROM bands WHERE sketch NOT IN (SELECT sketch FROM current)")
            self.connection.execute(
                "DELETE FROM measures WHERE sketch_a NOT IN (SELECT sketch FROM current) "
                "OR sketch_b NOT IN (SELECT sketch FROM current)"
            )
            self.connection.execute("CHECKPOINT")

    def close(self) -> None:
        self.connection.close()
