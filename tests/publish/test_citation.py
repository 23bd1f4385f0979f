import yaml

from builder.publish.citation import DOI_PLACEHOLDER, Citation


def test_cff_is_a_cff_1_2_0_dataset_citation():
    cff = yaml.safe_load(Citation("1.3.0", "2026-11-27").cff())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == "1.3.0" and cff["date-released"] == "2026-11-27"
    assert cff["authors"] and cff["license"] and cff["repository"].startswith("https://")
    assert cff["abstract"] and "propaganda" in cff["abstract"] and cff["keywords"]
    assert {
        "type": "doi",
        "value": DOI_PLACEHOLDER,
        "description": "Placeholder: replace with the DOI minted for this version.",
    } in cff["identifiers"]
    for required in ("message", "title", "authors"):
        assert required in cff


def test_bibtex_and_apa_name_the_version_and_year():
    citation = Citation("1.3.0", "2026-11-27")
    bibtex = citation.bibtex()
    assert bibtex.startswith("@misc{dprk_state_media_corpus_v1_3_0,")
    assert "version      = {1.3.0}," in bibtex and "year         = {2026}," in bibtex
    assert bibtex.count("{") == bibtex.count("}")
    assert citation.apa() == (
        "DPRK State Media Corpus maintainers. (2026). *DPRK State Media Corpus* (Version 1.3.0) [Data set]. "
        "https://huggingface.co/datasets/dprk-state-media-corpus/dprk-state-media-corpus/tree/v1.3.0\n"
    )


def test_release_without_recorded_date_is_cited_without_one():
    citation = Citation("0.1.0", None)
    assert "date-released" not in yaml.safe_load(citation.cff())
    assert "(n.d.)" in citation.apa()
