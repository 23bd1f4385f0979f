"""Semantic versioning for data: what changed between two releases, and the version bump that change requires.

- MAJOR: a column removed, renamed or retyped; a config removed; any record removed (its id disappears); the
  shards moved to other paths (the layout of one folder a config, from 1.0.0).
- MINOR: records added; columns or configs added.
- PATCH: values of existing records corrected; card or schema checks changed only (`metadata_changes`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow
import pyarrow.parquet as pq

from builder.merge.interrupts import duckdb_interrupts
from builder.publish.versions import BUMPS, read_report
from builder.schema.checks import schemas_from_json
from builder.schema.columns import arrow_schema, key_columns
from builder.write.shards import LEGACY_FOLDER, config_files

DIFF_MEMORY = "1GB"  # DuckDB spills to disk beyond this


@dataclass
class ConfigDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    changed_columns: dict[str, int] = field(default_factory=dict)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: list[str] = field(default_factory=list)


@dataclass
class ReleaseDiff:
    old: str | None
    new: str | None
    configs: dict[str, ConfigDiff]
    configs_added: list[str]
    configs_removed: list[str]
    # What changed besides the data (`metadata_changes`); diffs stored by builder 0.2.0 and before hold a bool.
    metadata_changed: list[str] | bool
    layout_changed: bool = False  # the shards moved to other paths: every reader's path breaks, as if removed

    def reasons(self) -> list[tuple[str, str]]:
        """(bump, why) for everything that changed, largest bump first."""
        found = [("major", f"config {name} removed") for name in self.configs_removed]
        if self.layout_changed:
            found.append(
                ("major", "files moved: each config's shards in a folder of its own (articles/train-*.parquet)")
            )
        found += [("minor", f"config {name} added") for name in self.configs_added]
        for name, diff in self.configs.items():
            for what, items, bump in (
                ("columns removed", diff.columns_removed, "major"),
                ("columns retyped", diff.columns_retyped, "major"),
                ("records removed", diff.removed, "major"),
                ("columns added", diff.columns_added, "minor"),
                ("records added", diff.added, "minor"),
                ("records changed", diff.changed, "patch"),
            ):
                if items:
                    shown = ", ".join(items) if "columns" in what else str(len(items))
                    found.append((bump, f"{name}: {what}: {shown}"))
        if self.metadata_changed is True:
            found.append(("patch", "card or metadata changed"))
        elif self.metadata_changed:
            found += [("patch", change) for change in self.metadata_changed]
        return sorted(found, key=lambda item: -BUMPS.index(item[0]))

    @property
    def bump(self) -> str:
        reasons = self.reasons()
        return reasons[0][0] if reasons else "none"

    def to_json(self) -> dict:
        return {
            "from": self.old,
            "to": self.new,
            "bump": self.bump,
            "reasons": [why for _, why in self.reasons()],
            "configs_added": self.configs_added,
            "configs_removed": self.configs_removed,
            "metadata_changed": self.metadata_changed,
            "configs": {name: vars(diff) for name, diff in self.configs.items()},
            **({"layout_changed": True} if self.layout_changed else {}),
        }


def metadata_changes(old: Path, template_sha256: str | None, schema_json: str) -> list[str]:
    """What changed since release `old` besides the data, a sentence each: the card's human-written part, and the
    checks and descriptions of the schema's columns and tables (columns added, removed or retyped are in the
    configs' diffs), so that a reader of the new card learns which rule changed."""
    changes = []
    if read_report(old).get("card_template_sha256") != template_sha256:
        changes.append("card text changed")
    old_json = (old / "schema.json").read_text(encoding="utf-8")
    if old_json != schema_json:
        old_specs, new_specs = json.loads(old_json), json.loads(schema_json)
        found = [
            change
            for name in new_specs
            if name in old_specs
            for change in _schema_changes(name, old_specs[name], new_specs[name])
        ]
        if not found and _shared_parts(old_specs, new_specs) != _shared_parts(new_specs, old_specs):
            found = ["schema.json changed"]  # e.g. its options or the order of its columns
        changes += found
    return changes


def _shared_parts(specs: dict, other: dict) -> dict:
    """The configs and columns both schemas have, without the columns' types: what stays equal when a change only
    adds, removes or retypes columns or configs, which the configs' diffs name already."""
    return {
        name: {
            **{key: value for key, value in spec.items() if key != "columns"},
            "columns": [
                (column, rules.get("description"), _column_rules(rules))
                for column, rules in spec["columns"].items()
                if column in other[name]["columns"]
            ],
        }
        for name, spec in specs.items()
        if name in other
    }


def changes_between(old: Path, new: Path) -> list[str] | bool:
    """`metadata_changes` from release `old` to release `new`, as `new` stored them when it was made from `old`
    (a diff stored by builder 0.2.0 and before says only whether anything changed)."""
    stored = new / "diff.json"
    if stored.is_file():
        diff = json.loads(stored.read_text(encoding="utf-8"))
        if diff.get("from") == read_report(old)["version"]:
            return diff["metadata_changed"]
    schema_json = (new / "schema.json").read_text(encoding="utf-8")
    return metadata_changes(old, read_report(new).get("card_template_sha256"), schema_json)


def _schema_changes(config: str, old: dict, new: dict) -> list[str]:
    changes = []
    for column, after in new["columns"].items():
        before = old["columns"].get(column)
        if before is None:
            continue
        parts = [
            part
            for part, differs in (
                ("description", before.get("description") != after.get("description")),
                ("checks", _column_rules(before) != _column_rules(after)),
            )
            if differs
        ]
        if parts:
            changes.append(f"{config}.{column}: {' and '.join(parts)} changed")
    if old.get("checks") != new.get("checks"):
        changes.append(f"{config}: checks across columns changed")
    return changes


def _column_rules(column: dict) -> dict:
    """A column's checks, nullability and uniqueness as pandera writes them (its type is the configs' diff's)."""
    return {key: value for key, value in column.items() if key not in ("description", "dtype")}


def release_schemas(release: Path) -> dict:
    return schemas_from_json((release / "schema.json").read_text(encoding="utf-8"))


def file_identity(path: Path) -> tuple[int, int, int, int]:
    """Device, inode, size and modification time: equal for two paths of one file (a hard link) while it exists."""
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


@dataclass(frozen=True)
class KnownRows:
    """What a build knows of one config's rows against the output of the build before it (`memo`): every row of
    `earlier_files` (by `file_identity`, in order) is in the new output unchanged, but those in `earlier_rows` (a
    Parquet file); the new output's other rows are those in `new_rows`. When the old release's files are those files,
    only these rows can differ, and the diff compares them alone."""

    earlier_files: tuple[tuple[int, int, int, int], ...]
    earlier_rows: Path
    new_rows: Path

    def hold_for(self, files: list[Path]) -> bool:
        try:
            return tuple(map(file_identity, files)) == self.earlier_files
        except OSError:
            return False


class RowsAside:
    """Writes the rows of `KnownRows` into `folder` as a build passes them on: the earlier rows it does not keep, and
    the rows it makes anew."""

    def __init__(self, folder: Path, schema: pyarrow.Schema, earlier_files: list[Path]):
        folder.mkdir()
        self._identities = tuple(map(file_identity, earlier_files))
        self._paths = (folder / "earlier.parquet", folder / "new.parquet")
        self._earlier, self._new = (pq.ParquetWriter(path, schema) for path in self._paths)

    def earlier(self, rows: pyarrow.Table) -> None:
        self._earlier.write_table(rows)

    def new(self, batches: Iterable[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
        for batch in batches:
            self._new.write_batch(batch)
            yield batch

    def close(self) -> KnownRows:
        self._earlier.close()
        self._new.close()
        return KnownRows(self._identities, *self._paths)


def diff_releases(
    old: Path, new: Path, metadata_changed: bool, known: dict[str, KnownRows] | None = None
) -> ReleaseDiff:
    """Compare two release folders record by record (by id) and column by column. `known` (by config) narrows the
    comparison to the rows that can differ, where it holds for the old release's files; the result is the same."""
    old_schemas, new_schemas = release_schemas(old), release_schemas(new)
    configs = {}
    for name in sorted(old_schemas.keys() & new_schemas.keys()):
        configs[name] = _diff_config(
            old,
            new,
            name,
            (arrow_schema(old_schemas[name]), arrow_schema(new_schemas[name])),
            key_columns(new_schemas[name]),
            (known or {}).get(name),
        )
    return ReleaseDiff(
        old=_version_of(old),
        new=_version_of(new),
        configs=configs,
        configs_added=sorted(new_schemas.keys() - old_schemas.keys()),
        configs_removed=sorted(old_schemas.keys() - new_schemas.keys()),
        metadata_changed=metadata_changed,
        layout_changed=_layout(old) != _layout(new),
    )


def _layout(release: Path) -> str:
    """`folders` (a folder a config) or `data` (every shard in `data/`, releases before 1.0.0)."""
    return "data" if (release / LEGACY_FOLDER).is_dir() else "folders"


def _version_of(release: Path) -> str | None:
    return read_report(release)["version"] if (release / "build_report.json").is_file() else None


def _diff_config(
    old: Path,
    new: Path,
    name: str,
    schemas: tuple[pyarrow.Schema, pyarrow.Schema],
    keys: list[str],
    known: KnownRows | None,
) -> ConfigDiff:
    """Records are matched by the config's key columns (`key_columns`: `id`, or both ids of a link); a record with
    a key of several columns is named by them joined with a comma."""
    old_schema, new_schema = schemas
    diff = ConfigDiff(
        columns_added=[c for c in new_schema.names if c not in old_schema.names],
        columns_removed=[c for c in old_schema.names if c not in new_schema.names],
        columns_retyped=[
            c
            for c in old_schema.names
            if c in new_schema.names and old_schema.field(c).type != new_schema.field(c).type
        ],
    )
    common = [c for c in old_schema.names if c in new_schema.names and c not in diff.columns_retyped and c not in keys]
    using, named = ", ".join(f'"{c}"' for c in keys), " || ',' || ".join(f'"{c}"' for c in keys)
    with tempfile.TemporaryDirectory(prefix="dprk-corpus-diff-") as scratch, duckdb_interrupts():
        # DuckDB joins the two releases out of core: memory stays bounded whatever their size.
        connection = duckdb.connect(config={"memory_limit": DIFF_MEMORY, "temp_directory": scratch, "threads": 2})
        connection.execute("SET enable_progress_bar = false")
        files = {alias: config_files(release, name) for alias, release in (("old", old), ("new", new))}
        if known is not None and old_schema.equals(new_schema) and known.hold_for(files["old"]):
            files = {"old": [known.earlier_rows], "new": [known.new_rows]}  # the only rows that can differ
        for alias, paths in files.items():
            connection.execute(f"CREATE VIEW {alias} AS SELECT * FROM read_parquet({[str(path) for path in paths]!r})")

        def ids(query: str) -> list[str]:
            return [row[0] for row in connection.execute(query).fetchall()]

        diff.added = ids(f"SELECT {named} AS key FROM new ANTI JOIN old USING ({using}) ORDER BY key")
        diff.removed = ids(f"SELECT {named} AS key FROM old ANTI JOIN new USING ({using}) ORDER BY key")
        if common:
            # One pass over both releases: which columns differ, for every record whose values differ at all.
            distinct = {c: f'old."{c}" IS DISTINCT FROM new."{c}"' for c in common}
            connection.execute(
                f"CREATE TEMP TABLE differing AS SELECT {named} AS key, "
                + ", ".join(f'{test} AS "{c}"' for c, test in distinct.items())
                + f" FROM old JOIN new USING ({using}) WHERE {' OR '.join(distinct.values())}"
            )
            counts = connection.execute(
                "SELECT " + ", ".join(f'count(*) FILTER (WHERE "{c}")' for c in common) + " FROM differing"
            ).fetchall()[0]
            diff.changed_columns = {c: n for c, n in zip(common, counts) if n}
            diff.changed = ids("SELECT key FROM differing ORDER BY key")
        connection.close()
    return diff
