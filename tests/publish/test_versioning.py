"""The version policy on every kind of change, on real builds and on releases whose schema was altered."""

import json
import shutil

import pyarrow
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES

from builder.publish import versioning
from builder.publish.release import build_release
from builder.publish.request import BuildError, BuildRequest, NothingChanged
from builder.publish.versioning import diff_releases
from builder.publish.versions import VersionError, choose_version
from builder.schema.checks import schemas_to_json
from builder.schema.columns import ARTICLES, CONFIGS, LINKS, TEASERS, arrow_schema

KCNA = "shape_a_kcna.txt"
NAENARA = "naenara_credit.txt"


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(FIXTURES / KCNA, folder / KCNA)
    (folder / "shape_a_kcna.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/1772400000-100/x"}))
    return folder


@pytest.fixture
def first(raw, releases):
    return build_release(BuildRequest([raw], releases)).path


def test_first_release_without_version_is_0_1_0(first):
    assert first.name == "v0.1.0"
    assert json.loads((first / "diff.json").read_text())["bump"] == "initial"


def test_records_added_is_minor(first, raw, releases):
    shutil.copy(FIXTURES / NAENARA, raw / NAENARA)
    result = build_release(BuildRequest([raw], releases))
    assert result.path.name == "v0.2.0" and result.report["bump"] == "minor"
    diff = json.loads((result.path / "diff.json").read_text())
    assert len(diff["configs"]["articles"]["added"]) == 1
    assert diff["configs"]["articles"]["added"][0].startswith("c")


def test_records_removed_is_major(first, raw, releases):
    shutil.copy(FIXTURES / NAENARA, raw / NAENARA)
    build_release(BuildRequest([raw], releases))
    (raw / KCNA).unlink()
    result = build_release(BuildRequest([raw], releases))
    assert result.path.name == "v1.0.0"
    diff = json.loads((result.path / "diff.json").read_text())
    assert diff["configs"]["articles"]["removed"] == ["1772400000-100"]
    assert diff["configs"]["teasers"]["removed"]  # its teasers went with it


def test_values_corrected_is_patch_and_names_columns(first, raw, releases):
    (raw / KCNA).write_text((raw / KCNA).read_text().replace("great satisfaction", "deep satisfaction"))
    result = build_release(BuildRequest([raw], releases))
    assert result.path.name == "v0.1.1"
    diff = json.loads((result.path / "diff.json").read_text())
    assert diff["configs"]["articles"]["changed"] == ["1772400000-100"]
    assert set(diff["configs"]["articles"]["changed_columns"]) == {"body", "capture_sha256s", "raw_sha256"}


def test_card_only_change_is_patch(first, raw, releases, tmp_path):
    from builder.publish.request import DEFAULT_CARD_TEMPLATE, BuildRequest

    template = tmp_path / "card.md"
    template.write_text(DEFAULT_CARD_TEMPLATE.read_text() + "\nOne more sentence.\n")
    result = build_release(BuildRequest([raw], releases, card_template=template))
    assert result.path.name == "v0.1.1"
    assert json.loads((result.path / "diff.json").read_text())["reasons"] == ["card text changed"]


def test_nothing_changed_writes_nothing(first, raw, releases):
    before = sorted(p.name for p in releases.iterdir())
    with pytest.raises(NothingChanged, match="nothing changed since v0.1.0"):
        build_release(BuildRequest([raw], releases))
    assert sorted(p.name for p in releases.iterdir()) == before


def test_patch_that_adds_records_is_refused_with_smallest_valid_version(first, raw, releases):
    shutil.copy(FIXTURES / NAENARA, raw / NAENARA)
    with pytest.raises(BuildError) as caught:
        build_release(BuildRequest([raw], releases, version="0.1.1"))
    assert str(caught.value) == (
        "version 0.1.1 is a patch step from 0.1.0, but the change requires a minor step; "
        "the smallest valid version is 0.2.0"
    )
    assert build_release(BuildRequest([raw], releases, version="1.0.0")).path.name == "v1.0.0"  # overstating is allowed


def test_version_not_greater_than_latest_is_refused(first, raw, releases):
    shutil.copy(FIXTURES / NAENARA, raw / NAENARA)
    with pytest.raises(BuildError, match="0.0.9 is not greater than the latest release 0.1.0; the smallest valid"):
        build_release(BuildRequest([raw], releases, version="0.0.9"))


@pytest.mark.parametrize(
    ("requested", "latest", "required", "chosen"),
    [
        (None, None, "minor", "0.1.0"),
        (None, "1.2.3", "patch", "1.2.4"),
        (None, "1.2.3", "minor", "1.3.0"),
        (None, "1.2.3", "major", "2.0.0"),
        ("1.3.0", "1.2.3", "patch", "1.3.0"),
        ("2.0.0", "1.2.3", "major", "2.0.0"),
    ],
)
def test_choose_version(requested, latest, required, chosen):
    assert choose_version(requested, latest, required) == chosen


def test_minor_step_refused_for_major_change():
    with pytest.raises(VersionError, match="requires a major step; the smallest valid version is 2.0.0"):
        choose_version("1.3.0", "1.2.3", "major")


def _altered_release(source, target, schemas):
    """A copy of `source` whose data and schema.json follow `schemas` (columns dropped, added or retyped)."""
    shutil.copytree(source, target)
    for name, schema in schemas.items():
        wanted = arrow_schema(schema)
        table = pq.read_table(source / f"{name}/train-00000-of-00001.parquet")
        columns = [
            table[field.name].cast(field.type)
            if field.name in table.column_names
            else pyarrow.nulls(table.num_rows, field.type)
            for field in wanted
        ]
        pq.write_table(
            pyarrow.Table.from_arrays(columns, schema=wanted), target / f"{name}/train-00000-of-00001.parquet"
        )
    for name in set(CONFIGS) - set(schemas):
        (target / f"{name}/train-00000-of-00001.parquet").unlink()
    (target / "schema.json").write_text(schemas_to_json(schemas))
    report = json.loads((source / "build_report.json").read_text())
    report["version"] = "9.9.9"
    (target / "build_report.json").write_text(json.dumps(report))
    return target


def test_column_removed_is_major(first, tmp_path):
    altered = _altered_release(
        first, tmp_path / "x", {"articles": ARTICLES.remove_columns(["word_count"]), "teasers": TEASERS, "links": LINKS}
    )
    diff = diff_releases(first, altered, metadata_changed=True)
    assert diff.bump == "major" and diff.configs["articles"].columns_removed == ["word_count"]


def test_column_retyped_is_major(first, tmp_path):
    import pandas as pd

    retyped = ARTICLES.update_column("word_count", dtype=pd.ArrowDtype(pyarrow.int64()))
    diff = diff_releases(
        first, _altered_release(first, tmp_path / "x", {"articles": retyped, "teasers": TEASERS, "links": LINKS}), True
    )
    assert diff.bump == "major" and diff.configs["articles"].columns_retyped == ["word_count"]


def test_column_added_is_minor_and_renamed_is_major(first, tmp_path):
    import pandera.pandas as pa

    base = _altered_release(
        first,
        tmp_path / "base",
        {"articles": ARTICLES.remove_columns(["word_count"]), "teasers": TEASERS, "links": LINKS},
    )
    diff = diff_releases(base, first, metadata_changed=True)
    assert diff.bump == "minor" and diff.configs["articles"].columns_added == ["word_count"]
    renamed = ARTICLES.remove_columns(["word_count"]).add_columns({"words": pa.Column(pd_int32(), nullable=True)})
    diff = diff_releases(
        first,
        _altered_release(first, tmp_path / "renamed", {"articles": renamed, "teasers": TEASERS, "links": LINKS}),
        True,
    )
    assert diff.bump == "major"
    assert diff.configs["articles"].columns_removed == ["word_count"] and diff.configs["articles"].columns_added == [
        "words"
    ]


def pd_int32():
    import pandas as pd

    return pd.ArrowDtype(pyarrow.int32())


def test_config_removed_is_major_and_added_is_minor(first, tmp_path):
    only_articles = _altered_release(first, tmp_path / "x", {"articles": ARTICLES})
    assert diff_releases(first, only_articles, True).bump == "major"
    assert diff_releases(first, only_articles, True).configs_removed == ["links", "teasers"]
    assert diff_releases(only_articles, first, True).bump == "minor"
    assert diff_releases(only_articles, first, True).configs_added == ["links", "teasers"]


def test_ctrl_c_during_the_diff_unwinds_as_a_keyboard_interrupt(first, monkeypatch):
    """DuckDB reports a query stopped by Ctrl-C or SIGTERM as its own error; the build must see the interrupt."""
    real_connect = versioning.duckdb.connect

    class Interrupted:
        def __init__(self, connection):
            self._connection = connection

        def execute(self, query, *args):
            if "ANTI JOIN" in query:
                raise RuntimeError("Query interrupted")
            return self._connection.execute(query, *args)

        def __getattr__(self, name):
            return getattr(self._connection, name)

    monkeypatch.setattr(versioning.duckdb, "connect", lambda *a, **k: Interrupted(real_connect(*a, **k)))
    with pytest.raises(KeyboardInterrupt):
        diff_releases(first, first, metadata_changed=False)


def _metadata_changes(old, new):
    template = json.loads((new / "build_report.json").read_text())["card_template_sha256"]
    return versioning.metadata_changes(old, template, (new / "schema.json").read_text())


def test_a_changed_check_or_description_is_named_by_its_column(first, tmp_path):
    import pandera.pandas as pa

    old_check = pa.Check.date_from_until_today(first="1945-01-01")
    altered = ARTICLES.update_column("date", checks=[old_check]).update_column("title", description="Another.")
    release = _altered_release(first, tmp_path / "x", {"articles": altered, "teasers": TEASERS, "links": LINKS})
    assert _metadata_changes(first, release) == ["articles.title: description changed", "articles.date: checks changed"]
    diff = diff_releases(first, release, _metadata_changes(first, release))
    assert diff.bump == "patch" and [why for _, why in diff.reasons()] == _metadata_changes(first, release)


def test_columns_only_added_or_removed_are_no_metadata_change(first, tmp_path):
    base = _altered_release(
        first, tmp_path / "base", {"articles": ARTICLES.remove_columns(["credit"]), "teasers": TEASERS, "links": LINKS}
    )
    assert _metadata_changes(base, first) == [] and _metadata_changes(first, base) == []
    assert _metadata_changes(first, first) == []


def test_a_diff_stored_by_an_old_builder_keeps_its_reason(first):
    assert [why for _, why in diff_releases(first, first, metadata_changed=True).reasons()] == [
        "card or metadata changed"
    ]


def test_a_change_of_the_schema_named_nowhere_else_still_counts(first, tmp_path):
    import copy

    loose = copy.deepcopy(ARTICLES)
    loose.strict = False
    release = _altered_release(first, tmp_path / "x", {"articles": loose, "teasers": TEASERS, "links": LINKS})
    assert _metadata_changes(first, release) == ["schema.json changed"]


def test_shards_moved_to_a_folder_a_config_is_a_major_step(first, tmp_path):
    """A release of the layout before 1.0.0 (`data/<config>-*.parquet`) against the same data a folder a config."""
    legacy = tmp_path / "legacy"
    shutil.copytree(first, legacy)
    (legacy / "data").mkdir()
    for name in CONFIGS:
        (legacy / name / "train-00000-of-00001.parquet").rename(legacy / "data" / f"{name}-00000-of-00001.parquet")
        (legacy / name).rmdir()
    moved = diff_releases(legacy, first, [])
    assert moved.bump == "major" and moved.layout_changed
    assert moved.reasons()[0][1].startswith("files moved")
    assert moved.to_json()["layout_changed"] is True and all(
        not c.added and not c.removed for c in moved.configs.values()
    )
    assert "layout_changed" not in diff_releases(first, first, []).to_json()
