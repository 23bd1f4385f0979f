import json

import pyarrow
import pyarrow.parquet as pq
import pytest
import yaml

from builder.publish.release import build_release
from builder.publish.releases import list_releases
from builder.publish.request import BuildRequest
from builder.publish.verify import unchecked, verify_release
from builder.schema.checks import schemas_from_json, schemas_to_json
from builder.schema.columns import CONFIGS, LINKS, arrow_schema
from builder.write.checksums import write_checksums
from builder.write.shards import parquet_schema


@pytest.fixture
def release(raw_copy, releases):
    return build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path


def test_schema_json_round_trips_every_config():
    """Compared as JSON (types, checks and their arguments): pandera's check objects compare by the function they
    dispatch to, which its backends replace once a schema has validated data in this process."""
    written = schemas_to_json(CONFIGS)
    restored = schemas_from_json(written)
    assert schemas_to_json(restored) == written
    assert {name: arrow_schema(schema) for name, schema in restored.items()} == {
        name: arrow_schema(schema) for name, schema in CONFIGS.items()
    }


def test_fresh_release_verifies(release):
    assert verify_release(release) == []


def test_release_is_checked_against_its_own_schema(release):
    """A stricter check in the release's own schema.json fails the data even though the current schema passes it."""
    spec = json.loads((release / "schema.json").read_text())
    spec["articles"]["columns"]["title"]["checks"].append(
        {
            "options": {"check_name": "str_length", "raise_warning": False, "ignore_na": True},
            "min_value": 500,
            "max_value": None,
        }
    )
    (release / "schema.json").write_text(json.dumps(spec))
    write_checksums(release)
    problems = verify_release(release)
    assert len(problems) == 1 and "title" in problems[0] and "str_length" in problems[0]


def test_stale_split_size_in_card_is_caught(release):
    card = (release / "README.md").read_text()
    _, front, prose = card.split("---\n", 2)
    meta = yaml.safe_load(front)
    meta["dataset_info"][0]["splits"][0]["num_examples"] = 7
    (release / "README.md").write_text("---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n" + prose)
    write_checksums(release)
    assert verify_release(release) == ["v0.1.0/README.md: 'articles' declares 7 train examples, the data has 1"]


def test_missing_file_and_unlisted_file_are_caught(release):
    (release / "schema.json").unlink()
    (release / "extra.txt").write_text("x")
    problems = verify_release(release)
    assert "v0.1.0/schema.json: listed in SHA256SUMS but missing" in problems
    assert "v0.1.0/extra.txt: not listed in SHA256SUMS" in problems


def test_releases_are_listed_in_version_order(tmp_path):
    for name in ("v0.10.0", "v0.2.0", "v0.9.1", "notes", "v1.0"):
        (tmp_path / name).mkdir()
    assert [p.name for p in list_releases(tmp_path)] == ["v0.2.0", "v0.9.1", "v0.10.0"]


def test_croissant_checksum_that_does_not_match_its_file_is_caught(release):
    document = json.loads((release / "croissant.json").read_text())
    next(entry for entry in document["distribution"] if entry["@type"] == "cr:FileObject")["sha256"] = "0" * 64
    (release / "croissant.json").write_text(json.dumps(document))
    write_checksums(release)
    assert verify_release(release) == [
        "v0.1.0/croissant.json: sha256 of articles/train-00000-of-00001.parquet does not match the file"
    ]


def test_stored_diff_that_does_not_match_the_releases_is_caught(raw_copy, releases):
    import shutil as _shutil

    from conftest import FIXTURES

    build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    _shutil.copy(FIXTURES / "naenara_credit.txt", raw_copy / "n.txt")
    second = build_release(BuildRequest([raw_copy], releases)).path
    stored = json.loads((second / "diff.json").read_text())
    stored["configs"]["articles"]["added"] = []
    (second / "diff.json").write_text(json.dumps(stored))
    write_checksums(second)
    assert verify_release(second) == ["v0.2.0/diff.json: does not match the diff of v0.1.0 and v0.2.0"]


def test_a_link_to_no_article_and_a_pair_linked_twice_are_caught(release):
    article = pq.read_table(release / "articles" / "train-00000-of-00001.parquet")["id"][0].as_py()
    row = {
        "id": article,
        "linked_id": "cffffffffffffffff",
        "relation": "same_text",
        "score": 1.0,
        "method": "minhash-lsh+containment",
    }
    path = release / "links" / "train-00000-of-00001.parquet"
    pq.write_table(pyarrow.Table.from_pylist([row], schema=parquet_schema(LINKS)), path)
    second = release / "links" / "train-00001-of-00001.parquet"
    pq.write_table(pyarrow.Table.from_pylist([row], schema=parquet_schema(LINKS)), second)
    write_checksums(release)
    problems = verify_release(release)
    assert "v0.1.0/links: 2 link end(s) name no article, e.g. 'cffffffffffffffff'" in problems
    assert "v0.1.0/links: 1 pair(s) of articles are linked more than once" in problems


def test_a_release_downloaded_alone_is_checked_in_full_and_says_what_it_could_not_check(raw_copy, releases, tmp_path):
    import shutil as _shutil

    from conftest import FIXTURES

    build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    _shutil.copy(FIXTURES / "naenara_credit.txt", raw_copy / "n.txt")
    second = build_release(BuildRequest([raw_copy], releases)).path
    alone = tmp_path / "download" / second.name
    _shutil.copytree(second, alone)
    assert verify_release(alone) == []
    assert unchecked(alone) == [
        f"v0.2.0/diff.json: not checked, since it compares with v0.1.0, which is not in {alone.parent} (download it "
        "beside this release to check the diff too)"
    ]
    assert unchecked(second) == []
    (alone / "README.md").write_text("changed")
    assert verify_release(alone)  # everything else is still checked
