"""croissant.json loads with the mlcroissant library, offline, and yields the release's records."""

import json

import mlcroissant
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES

from builder.publish.release import build_release
from builder.publish.request import BuildRequest


@pytest.fixture
def release(raw_copy, releases):
    (raw_copy / "kcna.txt").write_text((FIXTURES / "shape_a_kcna.txt").read_text())
    return build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path


def test_croissant_yields_the_release_records(release, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    dataset = mlcroissant.Dataset(jsonld=str(release / "croissant.json"))
    articles = list(dataset.records("articles"))
    expected = pq.read_table(release / "articles/train-00000-of-00001.parquet").to_pylist()
    assert len(articles) == len(expected) == 2
    assert [r["articles/id"].decode() for r in articles] == [row["id"] for row in expected]
    assert [r["articles/body"].decode() for r in articles] == [row["body"] for row in expected]
    assert [[h.decode() for h in r["articles/capture_sha256s"]] for r in articles] == [
        row["capture_sha256s"] for row in expected
    ]
    teasers = list(dataset.records("teasers"))
    assert len(teasers) == pq.read_metadata(release / "teasers/train-00000-of-00001.parquet").num_rows


def test_croissant_metadata_names_files_with_sha256(release):
    document = json.loads((release / "croissant.json").read_text())
    assert document["conformsTo"] == "http://mlcommons.org/croissant/1.0" and document["version"] == "0.1.0"
    sums = dict(reversed(line.split("  ")) for line in (release / "SHA256SUMS").read_text().splitlines())
    assert {f["contentUrl"]: f["sha256"] for f in document["distribution"] if "contentUrl" in f} == {
        name: digest for name, digest in sums.items() if name.endswith(".parquet")
    }
    assert [f["includes"] for f in document["distribution"] if "includes" in f] == [
        "articles/train-*.parquet",
        "teasers/train-*.parquet",
        "links/train-*.parquet",
    ]
    assert [r["name"] for r in document["recordSet"]] == ["articles", "teasers", "links"]


def test_croissant_reads_every_shard(tmp_path, monkeypatch):
    import builder.write.shards

    raw = tmp_path / "raw"
    raw.mkdir()
    for number in range(30):
        (raw / f"{number}.txt").write_text(
            f"Title {number}\nDate: 0{1 + number % 9}/01/2020 | Source: KCNA.kp (En) | "
            "Read original version at source\n" + f"Paragraph {number} of the article. " * 200
        )
    monkeypatch.setattr(builder.write.shards, "SHARD_BYTES", 1)  # a new shard after every row group
    monkeypatch.setattr(builder.write.shards, "BATCH_ROWS", 10)
    monkeypatch.setattr("builder.run.pipeline.BATCH_ROWS", 10)
    releases = tmp_path / "releases"
    releases.mkdir()
    release = build_release(BuildRequest([raw], releases, version="0.1.0")).path
    shards = sorted(p.name for p in (release / "articles").glob("train-*.parquet"))
    assert shards == [
        "train-00000-of-00003.parquet",
        "train-00001-of-00003.parquet",
        "train-00002-of-00003.parquet",
    ]
    dataset = mlcroissant.Dataset(jsonld=str(release / "croissant.json"))
    assert sorted(r["articles/title"].decode() for r in dataset.records("articles")) == sorted(
        f"Title {number}" for number in range(30)
    )


def test_croissant_validates_and_carries_language_licences_and_responsible_ai_fields(release):
    import subprocess
    import sys
    from pathlib import Path

    document = json.loads((release / "croissant.json").read_text())
    assert document["inLanguage"] == ["en"] and document["sdLicense"] == "https://creativecommons.org/licenses/by/4.0/"
    assert document["license"].endswith("/README.md#licensing")
    assert document["rai:dataBiases"].startswith("Every text is DPRK state propaganda")
    assert "name people" in document["rai:personalSensitiveInformation"]
    assert document["rai:dataCollection"].startswith("The raw material is captures of KCNA Watch article pages")
    assert document["rai:dataLimitations"].startswith("- Coverage is what KCNA Watch showed")
    validate = Path(sys.executable).parent / "mlcroissant"
    result = subprocess.run(
        [str(validate), "validate", "--jsonld", str(release / "croissant.json")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Done" in result.stderr + result.stdout and "error" not in (result.stderr + result.stdout).lower()
