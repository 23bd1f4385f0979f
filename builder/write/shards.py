"""Writer step: rows -> schema-checked, byte-reproducible Parquet shards, plus the release's checksums."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandera.pandas as pa
import pyarrow
import pyarrow.parquet as pq

from builder.schema.columns import arrow_schema, hf_features, key_columns
from builder.schema.validate import ValidationFailure, validate_batch

BATCH_ROWS = 5_000  # one row group: tens of MB uncompressed for articles, well under 100 MB
SHARD_BYTES = 450 * 1024 * 1024  # a new shard once a file passes this; shards stay near or under 500 MB


@dataclass
class WrittenConfig:
    config: str
    files: list[str]  # relative to the release folder
    num_examples: int
    num_bytes: int  # Arrow (in-memory) size, as the Hub's `dataset_info` reports it


LEGACY_FOLDER = "data"  # releases before 1.0.0 kept every config's shards in one folder, `data/<config>-*.parquet`


def shard_name(config: str, index: int, count: int) -> str:
    """One folder a config, as `datasets`' `push_to_hub(config_name=...)` lays a dataset out: a folder read whole
    (`pd.read_parquet("articles")`, `pyarrow.dataset`) holds one table."""
    return f"{config}/train-{index:05d}-of-{count:05d}.parquet"


def shard_pattern(config: str) -> str:
    return f"{config}/train-*.parquet"


def config_files(release: Path, config: str) -> list[Path]:
    """The shards of `config` in a release of either layout, in order."""
    files = sorted(release.glob(shard_pattern(config)))
    return files or sorted((release / LEGACY_FOLDER).glob(f"{config}-*.parquet"))


def parquet_schema(schema: pa.DataFrameSchema) -> pyarrow.Schema:
    """The Arrow schema plus the Hugging Face features, so `datasets` reads the declared types back."""
    features = json.dumps({"info": {"features": hf_features(schema).to_dict()}}, sort_keys=True)
    return arrow_schema(schema).with_metadata({"huggingface": features})


def file_batch(schema: pa.DataFrameSchema, rows: list[dict]) -> pyarrow.RecordBatch:
    """Rows as an Arrow batch of the config's file schema (keys that are not columns are left out)."""
    return pyarrow.RecordBatch.from_pylist(rows, schema=parquet_schema(schema))


def checked_batch(
    schema: pa.DataFrameSchema, batch: pyarrow.RecordBatch, describe_row: Callable[[int], str]
) -> pyarrow.RecordBatch:
    """The batch in the config's file schema, after it passes the pandera schema; `describe_row(i)` names row
    `i` in the error."""
    batch = batch.cast(parquet_schema(schema))
    validate_batch(schema, batch, describe_row)
    return pyarrow.RecordBatch.from_arrays(
        [_without_unused_validity(column) for column in batch.columns], schema=batch.schema
    )


def _without_unused_validity(array: pyarrow.Array) -> pyarrow.Array:
    """The column without a validity bitmap when it has no nulls: whether a producer allocates one (DuckDB does,
    `from_pylist` does not) would otherwise change the Arrow size the card reports."""
    buffers = array.buffers()
    if array.null_count or buffers[0] is None:
        return array
    if pyarrow.types.is_list(array.type):
        return pyarrow.Array.from_buffers(array.type, len(array), [None, buffers[1]], 0, array.offset, [array.values])
    if array.type.num_fields:
        return array
    return pyarrow.Array.from_buffers(array.type, len(array), [None, *buffers[1:]], 0, array.offset)


def write_config(release: Path, schema: pa.DataFrameSchema, batches: Iterable[pyarrow.RecordBatch]) -> WrittenConfig:
    """Write one config's checked batches, in order, as Parquet shards of at most `SHARD_BYTES`.

    zstd, column statistics and a page index, one row group per batch: sorted rows let a reader skip all but the
    row groups and pages of the dates it asks for."""
    target = release / schema.name
    target.mkdir(parents=True, exist_ok=True)
    file_schema = parquet_schema(schema)
    seen_keys: set = set()
    shards: list[Path] = []
    writer = None
    num_examples = num_bytes = 0
    try:
        for batch in batches:
            if writer is None or shards[-1].stat().st_size >= SHARD_BYTES:
                if writer is not None:
                    writer.close()
                shards.append(target / f".train-{len(shards):05d}.parquet")
                writer = _open_shard(shards[-1], file_schema)
            _check_keys_unique_across_batches(schema, batch, seen_keys)
            writer.write_batch(batch)
            num_examples += batch.num_rows
            num_bytes += batch.nbytes
        if writer is None:  # an empty config still gets one (empty) shard
            shards.append(target / ".train-00000.parquet")
            writer = _open_shard(shards[-1], file_schema)
    finally:
        if writer is not None:
            writer.close()
    names = [shard_name(schema.name, index, len(shards)) for index in range(len(shards))]
    for shard, name in zip(shards, names):
        shard.rename(release / name)
    return WrittenConfig(schema.name, names, num_examples, num_bytes)


def _open_shard(path: Path, file_schema: pyarrow.Schema) -> pq.ParquetWriter:
    return pq.ParquetWriter(
        path, file_schema, compression="zstd", write_statistics=True, write_page_index=True, store_schema=True
    )


def _check_keys_unique_across_batches(schema: pa.DataFrameSchema, batch: pyarrow.RecordBatch, seen: set) -> None:
    """Each batch passed the schema's own uniqueness check; across batches it is checked here."""
    columns = key_columns(schema)
    for key in zip(*(batch.column(name).to_pylist() for name in columns)):
        if key in seen:
            named = ", ".join(f"{name} {value!r}" for name, value in zip(columns, key))
            raise ValidationFailure(f"{schema.name}: {named} occurs twice")
        seen.add(key)
