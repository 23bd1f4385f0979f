import datasets
import pytest
import yaml
from huggingface_hub import DatasetCard

from builder.publish.card import md_cell, size_category
from builder.publish.release import build_release
from builder.publish.request import BuildRequest
from builder.schema.columns import ARTICLES, TEASERS, field_table, hf_features


@pytest.fixture
def release(raw_copy, releases):
    return build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path


def test_card_loads_with_huggingface_hub(release):
    card = DatasetCard.load(release / "README.md")
    data = card.data.to_dict()
    assert data["pretty_name"] == "DPRK State Media Corpus"
    assert data["license"] == "other" and data["language"] == ["en"]
    assert [c["config_name"] for c in data["configs"]] == ["articles", "teasers", "links"]
    assert data["configs"][0]["default"] is True
    assert data["configs"][0]["data_files"] == [{"split": "train", "path": "articles/train-*.parquet"}]
    for key in ("size_categories", "task_categories", "tags"):
        assert data[key]


def test_card_features_and_split_sizes_come_from_schema_and_data(release):
    data = DatasetCard.load(release / "README.md").data.to_dict()
    infos = {info["config_name"]: info for info in data["dataset_info"]}
    assert infos["articles"]["features"] == hf_features(ARTICLES)._to_yaml_list()
    assert infos["teasers"]["features"] == hf_features(TEASERS)._to_yaml_list()
    assert infos["articles"]["splits"][0]["num_examples"] == 1
    assert infos["teasers"]["splits"][0]["num_examples"] == 20


def test_load_dataset_both_configs_offline(release, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    articles = datasets.load_dataset(str(release), cache_dir=str(release.parent / "cache"))
    assert articles["train"].num_rows == 1
    assert articles["train"].features == hf_features(ARTICLES)
    assert articles["train"][0]["source"] == "Ministry of Foreign Affairs (EN)"
    teasers = datasets.load_dataset(str(release), "teasers", cache_dir=str(release.parent / "cache"))
    assert teasers["train"].num_rows == 20
    assert teasers["train"].features == hf_features(TEASERS)


def test_card_prose_has_datasheet_sections_figures_and_versioned_bibtex(release):
    text = (release / "README.md").read_text()
    for section in (
        "Motivation",
        "Composition",
        "Collection",
        "Preprocessing",
        "Uses",
        "Limitations",
        "Licensing",
        "Maintenance",
        "Citation",
    ):
        assert f"## {section}" in text
    assert "@misc{dprk_state_media_corpus_v0_1_0," in text and "version      = {0.1.0}," in text
    assert "## Changes\n\nThis is the first release." in text
    assert "| Ministry of Foreign Affairs (EN) | Ministry of Foreign Affairs | en | 1 |" in text
    assert "| 2024 | 1 |" in text
    assert "propaganda" in text
    for name, _, _, meaning in field_table(ARTICLES):
        assert f"| {name} |" in text and meaning.replace("|", "\\|") in text
    assert "{{" not in text.split("```bibtex")[0]


def test_text_from_captures_cannot_break_the_card():
    hostile = "Title ---\n<script>alert(1)</script> {{ version }} | : # [x](y)"
    cell = md_cell(hostile)
    assert "\n" not in cell and "<script>" not in cell and "{{" not in cell
    assert "|" not in cell.replace("\\|", "")
    front = yaml.safe_load(yaml.safe_dump({"pretty_name": hostile}))
    assert front == {"pretty_name": hostile}


@pytest.mark.parametrize(
    ("count", "category"), [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (2_000_000, "1M<n<10M")]
)
def test_size_category(count, category):
    assert size_category(count) == category


def test_card_shows_coverage_the_example_record_and_the_timeline(release, tmp_path, raw_copy):
    card = (release / "README.md").read_text()
    data = DatasetCard.load(release / "README.md").data.to_dict()
    assert data["task_categories"] == ["text-classification"]
    assert data["license_link"].endswith("/blob/v0.1.0/README.md#licensing")
    assert "Dates from 2024-09-13 to 2024-09-13; 551 words in all bodies" in card
    assert "0 of 1 bodies come from a\ncapture that did not reach the end of its page" in card
    assert "| source | 2024 |\n|---|---|\n| Ministry of Foreign Affairs (EN) | 1 |" in card
    assert "| id | 1726219951-297800155 |" in card and "> A spokesperson for the Institute" in card
    assert "![Articles a month by source](timeline.svg)" in card
    for heading in ("### Out-of-scope use", "### Bias", "### Personal and sensitive information"):
        assert heading in card
    svg = (release / "timeline.svg").read_bytes()
    assert svg.startswith(b"<?xml") and b"<dc:date>" not in svg
    again = tmp_path / "again"
    again.mkdir()
    second = build_release(BuildRequest([raw_copy], again, version="0.1.0")).path
    assert (second / "timeline.svg").read_bytes() == svg  # byte-reproducible
