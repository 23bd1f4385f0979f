"""Parsed captures cached by the SHA-256 of their bytes, so a rebuild re-parses only new captures.

The cache holds what `extract.parse_bytes` returns for given bytes under this builder version; it is a pure
function's memo, so deleting the cache (or building without one) never changes the output. One SQLite file per
builder version: a new builder never reads another's results.
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

from . import __version__
from .extract import Parsed


class ParseCache:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"parsed-{__version__}.sqlite"
        with sqlite3.connect(self.path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("CREATE TABLE IF NOT EXISTS parsed (sha256 TEXT PRIMARY KEY, parsed BLOB NOT NULL)")
        self._connection: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        """One connection per process: workers open their own after the fork."""
        if self._connection is None:
            self._connection = sqlite3.connect(self.path, timeout=60)
        return self._connection

    def get_many(self, digests: list[str]) -> dict[str, Parsed]:
        if not digests:
            return {}
        marks = ",".join("?" * len(digests))
        rows = self._open().execute(f"SELECT sha256, parsed FROM parsed WHERE sha256 IN ({marks})", digests)
        return {digest: pickle.loads(blob) for digest, blob in rows}

    def put_many(self, items: list[tuple[str, Parsed]]) -> None:
        if items:
            with self._open() as connection:
                connection.executemany(
                    "INSERT OR IGNORE INTO parsed VALUES (?, ?)",
                    [(digest, pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)) for digest, parsed in items],
                )

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
