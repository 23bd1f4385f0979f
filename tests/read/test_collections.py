"""Collections other people published, read by their descriptions: each shipped description against its folder of
../shared/realdata (skipped where that is absent), and descriptions that cannot be used, refused before any work."""

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.publish.release import build_release
from builder.publish.request import BuildError, BuildRequest
from builder.read.collections import SHIPPED, DescriptionError, description_of, load_collection

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"
LANGUAGES = {"e9t_north-korea-new-years-speechs": {"ko"}, "xmarquez_KCNA": {"en", "es"}}  # else {"en"}
EXPECTED = {  # articles, and the captures not used by reason
    "e9t_north-korea-new-years-speechs": (73, {}),
    "stiles_north-korea-news": (1061, {"incomplete_record": 249}),
    "thogra_rodong-next": (11, {"not_an_article": 2}),
    "thogra_rodong-sinmun": (133, {"incomplete_record": 4}),
    "xmarquez_KCNA": (21567, {"incomplete_record": 3134}),
}


def test_every_collection_of_realdata_has_a_shipped_description():
    assert sorted(path.stem for path in SHIPPED.glob("*.toml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_collection_builds(name, releases):
    folder = REALDATA / name
    if not folder.is_dir():
        pytest.skip(f"../shared/realdata/{name} is not here")
    result = build_release(BuildRequest([], releases, version="0.1.0", collections=[(description_of(name), folder)]))
    articles, rejected = EXPECTED[name]
    assert (result.report["counts"]["articles"], result.report["rejected_by_reason"]) == (articles, rejected)
    [used] = result.report["collections"]
    assert (used["name"], used["articles"]) == (name, articles) and used["homepage"].startswith("https://github.com/")
    rows = pq.read_table(result.path / "articles/train-00000-of-00001.parquet", columns=["origin", "input_form"])
    assert set(zip(*rows.to_pydict().values())) == {(name, "collection")}
    languages = pq.read_table(result.path / "articles/train-00000-of-00001.parquet", columns=["language"]).column(0)
    assert set(languages.to_pylist()) == LANGUAGES.get(name, {"en"})
    card = (result.path / "README.md").read_text()
    assert name.replace("_", "\\_") in card and "not the texts" in card


def test_the_versions_of_one_rodong_article_are_merged_and_those_that_differ_reported(releases):
    folder = REALDATA / "thogra_rodong-sinmun"
    if not folder.is_dir():
        pytest.skip("../shared/realdata/thogra_rodong-sinmun is not here")
    request = BuildRequest(
        [], releases, version="0.1.0", collections=[(description_of("thogra_rodong-sinmun"), folder)]
    )
    report = build_release(request).report
    assert report["counts"]["articles"] == 133  # as the collection's own count (grouped by URL, `group_by`)
    conflicts = report["conflicts"]
    assert len(conflicts) == 4 and all(conflict["id"].startswith("r") for conflict in conflicts)
    assert all(conflict["disagreeing"] for conflict in conflicts)


def test_the_korean_new_year_texts_lose_the_south_korean_commentary():
    folder = REALDATA / "e9t_north-korea-new-years-speechs"
    if not folder.is_dir():
        pytest.skip("../shared/realdata/e9t_north-korea-new-years-speechs is not here")
    from builder.read.collection_records import record_capture

    collection = load_collection(description_of("e9t_north-korea-new-years-speechs"), folder)
    made = record_capture(
        collection, folder / "data" / "2002.txt", {"text": (folder / "data" / "2002.txt").read_text()}
    )
    assert "해 제" not in made["text"] and "원 문" not in made["text"]
    assert made["text"].startswith("위대한 수령님 탄생 90돐을") and "Date: 01/01/2002 | Source:" in made["text"]


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "records.jsonl").write_text(json.dumps({"t": "A Title", "d": "2024-09-13", "b": "Body."}) + "\n")
    path = folder / "collection.toml"
    path.write_text(text)
    return path


GOOD = """name = "mine"
format = "jsonl"
files = ["*.jsonl"]
source = "KCNA.kp (En)"
language = "en"
licence = "unknown"
homepage = "https://example.org/mine"

[fields]
title = "t"
date = "d"
body = "b"
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: "colour = 'red'\n" + text, "unknown key 'colour'"),
        (lambda text: text + "colour = 'red'\n", "unknown key 'fields.colour'"),
        (lambda text: text.replace('licence = "unknown"\n', ""), "the key 'licence' is missing"),
        (lambda text: text.replace('files = ["*.jsonl"]', 'files = ["*.csv"]'), "'\\*.csv' matches no file"),
        (lambda text: text.replace('files = ["*.jsonl"]', 'files = ["../*.jsonl"]'), "must be a glob inside"),
        (lambda text: text.replace('files = ["*.jsonl"]', 'files = ["/etc/*"]'), "must be a glob inside"),
        (lambda text: text.replace('body = "b"\n', ""), "fields.body is missing"),
        (lambda text: text.replace('format = "jsonl"', 'format = "xml"'), "format: 'xml' is not one of"),
        (lambda text: text.replace("[fields]", "[fields\n"), "cannot be read as TOML"),
    ],
)
def test_a_description_that_cannot_be_used_is_refused_naming_file_and_key(tmp_path, releases, change, message):
    description = _write(tmp_path / "mine", change(GOOD))
    with pytest.raises(DescriptionError, match=message):
        load_collection(description, tmp_path / "mine")
    with pytest.raises(BuildError, match=f"collection.toml: .*{message}"):
        build_release(BuildRequest([tmp_path / "mine"], releases, version="0.1.0"))
    assert list(releases.iterdir()) == []  # refused before any work


def test_a_folder_holding_its_description_is_read_as_that_collection(tmp_path, releases):
    _write(tmp_path / "mine", GOOD)
    result = build_release(BuildRequest([tmp_path / "mine"], releases, version="0.1.0"))
    [row] = pq.read_table(result.path / "articles/train-00000-of-00001.parquet").to_pylist()
    assert (row["title"], row["origin"], row["input_form"], row["body"]) == ("A Title", "mine", "collection", "Body.")


def test_a_record_without_a_date_is_a_reject_with_its_position(tmp_path, releases):
    _write(tmp_path / "mine", GOOD)
    with open(tmp_path / "mine" / "records.jsonl", "a") as handle:
        handle.write(json.dumps({"t": "Another", "b": "No date."}) + "\n")
    result = build_release(BuildRequest([tmp_path / "mine"], releases, version="0.1.0"))
    [reject] = result.report["rejected"]
    assert reject["input"] == "mine/records.jsonl#2" and reject["reason"] == "incomplete_record"
    assert "no date" in reject["detail"]


def test_the_cli_applies_a_shipped_description_to_a_folder(tmp_path):
    folder = REALDATA / "thogra_rodong-next"
    if not folder.is_dir():
        pytest.skip("../shared/realdata/thogra_rodong-next is not here")
    releases = tmp_path / "releases"
    releases.mkdir()
    args = ["build", "--collection", f"thogra_rodong-next={folder}", "--releases", str(releases), "--no-cache"]
    result = CliRunner().invoke(app, [*args, "--citation", str(tmp_path / "C.cff")])
    assert result.exit_code == 0, result.output
    assert "articles: 11" in result.output and "not_an_article: 2" in result.output
    refused = CliRunner().invoke(app, ["build", "--collection", "nonesuch=x", "--releases", str(releases)])
    assert refused.exit_code == 1 and "no collection description 'nonesuch'" in refused.output


def test_a_release_built_from_a_collection_is_rebuilt_byte_for_byte_from_it(tmp_path):
    description = _write(tmp_path / "mine", GOOD)
    releases = tmp_path / "releases"
    releases.mkdir()
    build_release(BuildRequest([], releases, version="0.1.0", collections=[(description, tmp_path / "mine")]))
    args = [
        "verify",
        "0.1.0",
        "--releases",
        str(releases),
        "--rebuild",
        "--collection",
        f"{description}={tmp_path / 'mine'}",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0 and "v0.1.0: ok, rebuilt byte-identical" in result.output, result.output
    without = CliRunner().invoke(
        app, ["verify", "0.1.0", "--releases", str(releases), "--rebuild", "--raw", str(tmp_path)]
    )
    assert without.exit_code == 1  # from other inputs it is not the same release


def test_a_collection_folder_inside_an_input_folder_is_read_as_that_collection(tmp_path, releases):
    import shutil

    from conftest import SEED, SEED_URL

    raw = tmp_path / "raw"
    _write(raw / "mine", GOOD)
    shutil.copy(SEED, raw / "seed.txt")
    (raw / "seed.json").write_text(json.dumps({"url": SEED_URL}))
    _write(raw / "broken", GOOD.replace('licence = "unknown"\n', ""))
    result = build_release(BuildRequest([raw], releases, version="0.1.0"))
    rows = (
        pq.read_table(result.path / "articles/train-00000-of-00001.parquet", columns=["origin"]).column(0).to_pylist()
    )
    assert sorted(rows) == ["KCNA Watch", "mine"]
    [reject] = result.report["rejected"]
    assert (reject["input"], reject["reason"]) == ("raw/broken", "bad_collection") and "licence" in reject["detail"]
