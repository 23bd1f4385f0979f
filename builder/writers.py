"""Writer step: rows -> schema-checked, byte-reproducible Parquet shards, plus the release's checksums."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pandera.pandas as pa
import pyarrow
import pyarrow.parquet as pq

from .schema import arrow_schema, hf_features
from .validate import ValidationFailure, validate_batch

BATCH_ROWS = 2_000


@dataclass
class WrittenConfig:
    config: str
    files: list[str]  # relative to the release folder
    num_examples: int
    num_bytes: int  # Arrow (in-memory) size, as the Hub's `dataset_info` reports it


def shard_name(config: str, index: int, count: int) -> str:
    return f"data/{config}-{index:05d}-of-{count:05d}.parquet"


def parquet_schema(schema: pa.DataFrameSchema) -> pyarrow.Schema:
    """The Arrow schema plus the Hugging Face features, so `datasets` reads the declared types back."""
    features = json.dumps({"info": {"features": hf_features(schema).to_dict()}}, sort_keys=True)
    return arrow_schema(schema).with_metadata({"huggingface": features})


def write_config(
    release: Path,
    schema: pa.DataFrameSchema,
    rows: Iterable[dict],
    describe: Callable[[dict], str],
) -> WrittenConfig:
    """Write one config as a single shard, checking every batch against the schema before it is written."""
    name = shard_name(schema.name, 0, 1)
    target = release / name
    target.parent.mkdir(parents=True, exist_ok=True)
    file_schema = parquet_schema(schema)
    seen_ids: set[str] = set()
    num_examples = num_bytes = 0
    with pq.ParquetWriter(
        target,
        file_schema,
        compression="zstd",
        write_statistics=True,
        write_page_index=True,
        store_schema=True,
    ) as writer:
        for chunk in _chunks(rows, BATCH_ROWS):
            batch = pyarrow.RecordBatch.from_pylist(chunk, schema=file_schema)
            validate_batch(schema, batch, lambda index: describe(chunk[index]))
            _check_ids_unique_across_batches(schema.name, chunk, seen_ids, describe)
            writer.write_batch(batch)
            num_examples += batch.num_rows
            num_bytes += batch.nbytes
    return WrittenConfig(schema.name, [name], num_examples, num_bytes)


def _check_ids_unique_across_batches(config: str, chunk: list[dict], seen: set[str], describe) -> None:
    for row in chunk:
        if row["id"] in seen:
            raise ValidationFailure(f"{config}: id {row['id']!r} occurs twice ({describe(row)})")
        seen.add(row["id"])


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(release: Path) -> None:
    """`SHA256SUMS` over every other file of the release, sorted by path, `sha256sum -c` compatible."""
    files = sorted(
        path.relative_to(release).as_posix()
        for path in release.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS"
    )
    lines = [f"{sha256_file(release / name)}  {name}\n" for name in files]
    (release / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
