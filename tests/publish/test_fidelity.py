"""Every capture shape through a whole build: articles, merged captures, teasers and the report's counts."""

import datetime as dt
import json
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES

from builder.publish.release import build_release
from builder.publish.request import BuildRequest

URLS = {
    "shape_a_kcna": "https://kcnawatch.app/newstream/1772400000-100/kim-jong-un-inspects/?t=1",
    "shape_a_copy": "https://kcnawatch.org/newstream/1772400000-200/other-article",
    "shape_b_voice_of_korea": "https://kcnawatch.org/newstream/1740700000-111/traditional-folk-game",
    "shape_d_headless": "https://kcnawatch.xyz/newstream/1740700000-111/traditional-folk-game/",
    "press_review_juche": "https://kcnawatch.org/newstream/1685000000-300/press-review",
    "cut_in_body": "https://kcnawatch.org/newstream/1771500000-400/mt-paektu",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for path in FIXTURES.glob("*.txt"):
        shutil.copy(path, raw / path.name)
    a_copy = (
        (FIXTURES / "shape_a_kcna.txt")
        .read_text()
        .replace("Kim Jong Un Inspects Fertilizer Factory", "Premier Visits Farm")
        .replace("inspected the newly built fertilizer factory", "visited a farm")
    )
    (raw / "shape_a_copy.txt").write_text(a_copy)
    for stem, url in URLS.items():
        (raw / f"{stem}.json").write_text(json.dumps({"url": url}))
    releases = tmp_path_factory.mktemp("releases")
    result = build_release(BuildRequest([raw], releases, version="0.2.0"))
    articles = {
        row["title"]: row for row in pq.read_table(result.path / "articles/train-00000-of-00001.parquet").to_pylist()
    }
    teasers = pq.read_table(result.path / "teasers/train-00000-of-00001.parquet").to_pylist()
    return result.report, articles, teasers


def test_every_capture_is_accounted_for(built):
    report, articles, _ = built
    counts = report["counts"]
    assert counts["captures_read"] == 10
    assert counts["articles"] + counts["captures_merged"] + counts["rejected"] == counts["captures_read"]
    assert (counts["articles"], counts["captures_merged"], counts["rejected"]) == (9, 1, 0)


def test_report_counts_shapes_and_repairs(built):
    report, _, _ = built
    assert report["shapes"] == {"A": 4, "B": 1, "C": 4, "D": 1}
    # counted in the bodies kept: shape_a and its copy, the letter, KCNA.co.jp, the Voice of Korea article
    assert report["repairs"] == {
        "ordinal_suffix": 3,
        "repeated_title": 1,
        "space_before_punctuation": 2,
        "split_name": 3,
    }


def test_merged_voice_of_korea_article(built):
    _, articles, _ = built
    row = articles["Traditional Folk Game Popular among Pyongyang Children."]
    assert row["id"] == row["newstream_id"] == "1740700000-111"
    assert row["url"] == "https://kcnawatch.org/newstream/1740700000-111/traditional-folk-game"
    assert row["captures"] == 2 and len(row["capture_sha256s"]) == 2
    assert row["body"].startswith("Children of Pyongyang are enjoying")
    assert (row["publisher"], row["language"], row["doc_type"]) == ("Voice of Korea", "en", "news")
    assert row["captured_on"] == dt.date(2025, 3, 2)


def test_kcna_article_columns(built):
    _, articles, _ = built
    row = articles["Kim Jong Un Inspects Fertilizer Factory"]
    assert row["dateline"] == "Pyongyang, March 1 (KCNA)"
    assert row["end_marker"] == "-0-" and row["kcna_trailer"] == "www.kcna.kp (2026.03.01.)"
    assert row["original_date"] == dt.date(2026, 3, 1)
    assert row["word_count"] == len(row["body"].split())
    assert (row["publisher"], row["shape"], row["complete"]) == ("KCNA.kp", "A", True)


def test_juche_trailer_and_press_review(built):
    _, articles, _ = built
    row = articles["Press Review"]
    assert row["original_date"] == dt.date(2023, 5, 26) and row["doc_type"] == "press review"
    assert row["complete"] is False  # cut inside the teaser block


def test_letter_with_empty_source_name(built):
    _, articles, _ = built
    row = articles["Kim Jong Un Sends Letter to Builders"]
    assert (row["source"], row["publisher"], row["language"]) == ("(En)", None, "en")
    assert (row["doc_type"], row["issuer"]) == ("letter", "Kim Jong Un")
    assert row["url"] is None and row["newstream_id"] is None and row["id"].startswith("c")


def test_answer_from_old_capture(built):
    _, articles, _ = built
    row = articles["Answer of Spokesman for DPRK Foreign Ministry to Question by KCNA"]
    assert (row["doc_type"], row["issuer"]) == ("answer to a question", "Spokesman for DPRK Foreign Ministry")
    assert "Share Button" not in row["body"] and "NK News" not in row["body"]


def test_teasers_deduplicated_across_pages_with_titles(built):
    _, articles, teasers = built
    lao = [t for t in teasers if t["title"] == "Greetings to Lao President"]
    assert len(lao) == 1
    assert lao[0]["seen_on"] == sorted(["1772400000-100", "1772400000-200"])
    folk = [t for t in teasers if t["date"] == dt.date(2025, 2, 27)]
    assert len(folk) == 1 and folk[0]["seen_on"] == ["1740700000-111"] and folk[0]["title"] is None
    assert not any(t["snippet"].startswith("Pyongyang marked the day with ce") for t in teasers)


def test_data_files_do_not_depend_on_input_order(tmp_path):
    import random

    texts = [path.read_text() for path in sorted(FIXTURES.glob("*.txt"))]
    lines = [json.dumps({"text": text, "url": url}) for text, url in zip(texts, [*URLS.values(), None, None, None])]
    outputs = []
    for seed in (1, 2, 3):
        random.Random(seed).shuffle(lines)
        folder = tmp_path / f"run{seed}"
        folder.mkdir()
        (folder / "in.jsonl").write_text("\n".join(lines) + "\n")
        (folder / "releases").mkdir()
        release = build_release(BuildRequest([folder / "in.jsonl"], folder / "releases", version="0.1.0")).path
        outputs.append(
            {
                name: (release / name).read_bytes()
                for name in ("articles/train-00000-of-00001.parquet", "teasers/train-00000-of-00001.parquet")
            }
        )
    assert outputs[0] == outputs[1] == outputs[2]
