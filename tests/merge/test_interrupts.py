import os
import signal
import threading

import duckdb
import pytest

from builder.merge.interrupts import duckdb_interrupts


def test_ctrl_c_during_a_query_is_a_keyboard_interrupt_again():
    """DuckDB turns the KeyboardInterrupt that Ctrl-C raises into its own error; the build must see Ctrl-C."""
    connection = duckdb.connect()
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt), duckdb_interrupts():
            connection.execute("SELECT count(*) FROM range(100000000000) a")
    finally:
        timer.cancel()


def test_other_errors_pass_unchanged():
    with pytest.raises(RuntimeError, match="something else"), duckdb_interrupts():
        raise RuntimeError("something else")
    with pytest.raises(duckdb.CatalogException), duckdb_interrupts():
        duckdb.connect().execute("SELECT * FROM no_such_table")
