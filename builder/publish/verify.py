"""Check a published release: checksums, schema, card metadata against the data, and byte-identical rebuilds."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
from huggingface_hub import DatasetCard

from builder import __version__
from builder.publish.release import build_release
from builder.publish.request import BuildRequest
from builder.publish.versioning import diff_releases
from builder.publish.versions import read_report
from builder.schema.checks import schemas_from_json
from builder.schema.columns import arrow_schema, hf_features
from builder.schema.validate import ValidationFailure, validate_batch
from builder.write.checksums import read_checksums, sha256_file
from builder.write.shards import config_files


def verify_release(release: Path) -> list[str]:
    """Every problem found, each a sentence naming the file; empty when the release holds.

    Files a release lists in SHA256SUMS are checked; files that releases of older builders did not have yet
    (`diff.json`, `croissant.json`) are checked where present, and cannot vanish unnoticed since SHA256SUMS
    lists them."""
    problems = _check_checksums(release)
    if problems:
        return problems
    schema_file = release / "schema.json"
    if not schema_file.is_file():
        return [f"{release.name}/schema.json: missing, so the release cannot be checked against its own schema"]
    schemas = schemas_from_json(schema_file.read_text(encoding="utf-8"))
    return (
        _check_data(release, schemas)
        + _check_card(release, schemas)
        + _check_links(release, schemas)
        + _check_stored_diff(release)
        + _check_croissant(release)
    )


def _check_links(release: Path, schemas) -> list[str]:
    """Checks no batch can make alone: every link names two articles of the release, and each pair once."""
    if "links" not in schemas:
        return []
    files = {name: [str(path) for path in _data_files(release, name)] for name in ("articles", "links")}
    if not files["links"] or not files["articles"]:
        return []
    connection = duckdb.connect()
    try:
        connection.execute(f"CREATE VIEW links AS SELECT * FROM read_parquet({files['links']!r})")
        connection.execute(f"CREATE VIEW articles AS SELECT id FROM read_parquet({files['articles']!r})")
        unknown = connection.execute(
            "SELECT count(*), min(x.id) FROM (SELECT id FROM links UNION ALL SELECT linked_id FROM links) x "
            "ANTI JOIN articles USING (id)"
        ).fetchall()[0]
        repeated = connection.execute(
            "SELECT count(*) FROM (SELECT id, linked_id FROM links GROUP BY ALL HAVING count(*) > 1)"
        ).fetchall()[0][0]
    finally:
        connection.close()
    problems = []
    if unknown[0]:
        problems.append(f"{release.name}/links: {unknown[0]} link end(s) name no article, e.g. {unknown[1]!r}")
    if repeated:
        problems.append(f"{release.name}/links: {repeated} pair(s) of articles are linked more than once")
    return problems


def _check_stored_diff(release: Path) -> list[str]:
    stored_path = release / "diff.json"
    if not stored_path.is_file():
        return []
    stored = json.loads(stored_path.read_text(encoding="utf-8"))
    if stored["from"] is None:
        return []
    previous = release.parent / f"v{stored['from']}"
    if not previous.is_dir():
        return []  # a release downloaded alone: `unchecked` says so
    recomputed = diff_releases(previous, release, stored["metadata_changed"]).to_json()
    if recomputed != stored:
        return [f"{release.name}/diff.json: does not match the diff of {previous.name} and {release.name}"]
    return []


def unchecked(release: Path) -> list[str]:
    """What `verify_release` could not check, a sentence each: the stored diff of a release whose previous release is
    not beside it (a release downloaded alone is checked in full otherwise)."""
    stored_path = release / "diff.json"
    if not stored_path.is_file():
        return []
    previous = json.loads(stored_path.read_text(encoding="utf-8"))["from"]
    if previous is None or (release.parent / f"v{previous}").is_dir():
        return []
    return [
        f"{release.name}/diff.json: not checked, since it compares with v{previous}, which is not in "
        f"{release.parent} (download it beside this release to check the diff too)"
    ]


def _check_croissant(release: Path) -> list[str]:
    path = release / "croissant.json"
    if not path.is_file():
        return []
    problems = []
    for entry in json.loads(path.read_text(encoding="utf-8")).get("distribution", []):
        if entry.get("@type") != "cr:FileObject":
            continue  # file sets name their files by pattern; the file objects carry the checksums
        target = release / entry["contentUrl"]
        if not target.is_file() or sha256_file(target) != entry.get("sha256"):
            problems.append(f"{release.name}/croissant.json: sha256 of {entry['contentUrl']} does not match the file")
    return problems


def _check_checksums(release: Path) -> list[str]:
    sums = release / "SHA256SUMS"
    if not sums.is_file():
        return [f"{release.name}: SHA256SUMS is missing"]
    problems, listed = [], read_checksums(release)
    for name, digest in listed.items():
        path = release / name
        if not path.is_file():
            problems.append(f"{release.name}/{name}: listed in SHA256SUMS but missing")
        elif sha256_file(path) != digest:
            problems.append(f"{release.name}/{name}: checksum does not match SHA256SUMS")
    for path in sorted(release.rglob("*")):
        name = path.relative_to(release).as_posix()
        if path.is_file() and name != "SHA256SUMS" and name not in listed:
            problems.append(f"{release.name}/{name}: not listed in SHA256SUMS")
    return problems


def _data_files(release: Path, config: str) -> list[Path]:
    return config_files(release, config)


def _check_data(release: Path, schemas) -> list[str]:
    problems = []
    for config, schema in schemas.items():
        for path in _data_files(release, config):
            parquet = pq.ParquetFile(path)
            if parquet.schema_arrow.remove_metadata() != arrow_schema(schema):
                problems.append(
                    f"{release.name}/{path.relative_to(release).as_posix()}: columns or types differ from schema.json"
                )
                continue
            try:
                for batch in parquet.iter_batches(batch_size=2_000):
                    validate_batch(schema, batch, lambda index, b=batch: f"row id {b.column('id')[index]}")
            except ValidationFailure as failure:
                problems.append(f"{release.name}/{path.relative_to(release).as_posix()}: {failure}")
    return problems


def _check_card(release: Path, schemas) -> list[str]:
    card_path = release / "README.md"
    if not card_path.is_file():
        return [f"{release.name}/README.md: the dataset card is missing"]
    try:
        metadata = DatasetCard.load(card_path).data.to_dict()
    except Exception as error:  # the card library raises several types for a malformed card
        return [f"{release.name}/README.md: the card does not load ({error})"]
    problems = []
    infos = {info.get("config_name"): info for info in metadata.get("dataset_info", [])}
    for config, schema in schemas.items():
        info = infos.get(config)
        if info is None:
            problems.append(f"{release.name}/README.md: dataset_info has no config {config!r}")
            continue
        if info.get("features") != hf_features(schema)._to_yaml_list():
            problems.append(f"{release.name}/README.md: the features of {config!r} do not match the schema")
        rows = sum(pq.ParquetFile(path).metadata.num_rows for path in _data_files(release, config))
        declared = {split.get("name"): split.get("num_examples") for split in info.get("splits", [])}
        if declared.get("train") != rows:
            problems.append(
                f"{release.name}/README.md: {config!r} declares {declared.get('train')} train examples, "
                f"the data has {rows}"
            )
    return problems


def rebuild_differences(
    release: Path, inputs: list[Path], workers: int = 1, collections: list[tuple[Path, Path]] = ()
) -> list[str]:
    """Rebuild `release` from `inputs` and `collections` (description, folder) into a scratch folder; every file that
    is not byte-identical is named. A release built from collections alone is rebuilt from them alone."""
    report = read_report(release)
    made_by = report.get("builder_version")
    if made_by != __version__:
        return [
            f"{release.name} was made by builder {made_by}, this is builder {__version__}: to rebuild it, check out "
            f'the commit whose builder/__init__.py says __version__ = "{made_by}" (git log -- {release.name}) and '
            "install it with `pip install -c constraints.txt -e .`"
        ]
    previous = release.parent / f"v{report['previous']}" if report.get("previous") else None
    with tempfile.TemporaryDirectory(prefix="dprk-corpus-rebuild-") as scratch:
        rebuilt = build_release(
            BuildRequest(
                inputs if report.get("inputs") or not collections else [],
                Path(scratch),
                collections=list(collections),
                version=report["version"],
                previous=previous,
                released=report.get("released"),
                workers=workers,
            )
        ).path
        original_files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
        rebuilt_files = {p.relative_to(rebuilt).as_posix() for p in rebuilt.rglob("*") if p.is_file()}
        problems = [
            f"{release.name}/{name}: not produced by the rebuild" for name in sorted(original_files - rebuilt_files)
        ]
        problems += [
            f"{release.name}/{name}: produced by the rebuild but not in the release"
            for name in sorted(rebuilt_files - original_files)
        ]
        for name in sorted(original_files & rebuilt_files):
            if (release / name).read_bytes() != (rebuilt / name).read_bytes():
                problems.append(f"{release.name}/{name}: the rebuild from {', '.join(map(str, inputs))} differs")
    return problems
