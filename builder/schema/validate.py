"""Check a batch of rows against its config's pandera schema; a failure names the rows' captures and the check."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa
import pyarrow


class ValidationFailure(Exception):
    """Rows that break the schema: the build stops and writes nothing."""


def validate_batch(schema: pa.DataFrameSchema, batch: pyarrow.RecordBatch, describe_row: Callable[[int], str]) -> None:
    frame = batch.to_pandas(types_mapper=pd.ArrowDtype)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise ValidationFailure(_explain(schema.name, errors.failure_cases, describe_row)) from None


def _explain(config: str, failures: pd.DataFrame, describe_row: Callable[[int], str]) -> str:
    lines = [f"{config}: {len(failures)} value(s) fail the schema:"]
    for failure in failures.itertuples():
        where = describe_row(int(failure.index)) if pd.notna(failure.index) else "the table"
        value = str(failure.failure_case)
        value = value if len(value) <= 80 else value[:77] + "..."
        lines.append(f"  - {where}: column {failure.column!r} fails check {failure.check!r} (value: {value!r})")
    return "\n".join(lines)
