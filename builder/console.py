"""The `dprk-corpus` command's entry point.

The libraries behind the commands (pyarrow, pandas, pandera, DuckDB) take about a second to import; Ctrl-C in that
second would print Python's traceback. Nothing has been written yet then, so it only says so and exits.
"""

from __future__ import annotations

import signal
import sys


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    from builder.cli import app  # imported here, under the handler above

    signal.signal(signal.SIGINT, signal.default_int_handler)
    app()


def _interrupted_while_starting(signum, frame) -> None:
    print("interrupted while starting; nothing was written", file=sys.stderr)
    raise SystemExit(130)
