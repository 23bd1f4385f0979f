"""Ctrl-C and SIGTERM during a DuckDB query. The signal raises `KeyboardInterrupt` (the CLI makes SIGTERM do so too),
but DuckDB catches it and raises its own error instead ("Query interrupted"): turned back, a build unwinds as it does
anywhere else, removing its half-built release, instead of ending in a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def duckdb_interrupts() -> Iterator[None]:
    try:
        yield
    except (duckdb.InterruptException, RuntimeError) as error:
        if isinstance(error, RuntimeError) and str(error) != "Query interrupted":
            raise
        raise KeyboardInterrupt from None
