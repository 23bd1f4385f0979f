import datetime as dt

import duckdb
import pyarrow

from builder.merge.spill import ROWS_PER_GROUP, Spill

SCHEMA = pyarrow.schema([("name", pyarrow.string()), ("day", pyarrow.date32())])


def _batch(*rows):
    return pyarrow.RecordBatch.from_pylist(list(rows), schema=SCHEMA)


def _read(spill):
    return duckdb.sql(f"SELECT name, day FROM {spill.sql()} ORDER BY name").fetchall()


def test_rows_and_batches_are_all_read_back_after_close(tmp_path):
    spill = Spill(tmp_path, "things", SCHEMA)
    spill.write(_batch({"name": "b", "day": dt.date(2024, 1, 2)}))
    spill.write(_batch({"name": "a", "day": dt.date(2024, 1, 1)}))
    spill.write(_batch())  # an empty batch adds nothing
    spill.write(_batch({"name": "c", "day": None}))
    spill.close()
    assert _read(spill) == [("a", dt.date(2024, 1, 1)), ("b", dt.date(2024, 1, 2)), ("c", None)]


def test_an_empty_spill_is_a_readable_empty_table(tmp_path):
    spill = Spill(tmp_path, "nothing", SCHEMA)
    spill.close()
    assert _read(spill) == []


def test_rows_are_written_in_groups_not_held(tmp_path):
    spill = Spill(tmp_path, "many", SCHEMA)
    for start in range(0, ROWS_PER_GROUP, 1024):  # batches that fill a group exactly, then ten rows more
        spill.write(_batch(*({"name": f"{n:06d}", "day": None} for n in range(start, start + 1024))))
    spill.write(_batch(*({"name": f"x{n}", "day": None} for n in range(10))))
    assert spill._buffered == 10  # the first group went to disk as soon as it was full
    spill.close()
    assert duckdb.sql(f"SELECT count(*) FROM {spill.sql()}").fetchall() == [(ROWS_PER_GROUP + 10,)]


def test_a_folder_with_a_quote_in_its_name_is_read(tmp_path):
    folder = tmp_path / "it's"
    folder.mkdir()
    spill = Spill(folder, "quoted", SCHEMA)
    spill.write(_batch({"name": "x", "day": None}))
    spill.close()
    assert _read(spill) == [("x", None)]
