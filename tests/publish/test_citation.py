import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO

from builder.publish.citation import Citation
from builder.publish.corpus import SHIPPED, CorpusConfigError, corpus_of, load_corpus

SCHEMA = json.loads((REPO.parent / "shared" / "schemas" / "citation-cff-1.2.0.schema.json").read_text())
CORPUS = load_corpus(SHIPPED)
PERSON = {"given-names": "Ada Mary", "family-names": "Lovelace", "orcid": "https://orcid.org/0000-0002-1825-0097"}


def _valid_cff(text: str) -> dict:
    document = yaml.safe_load(text)
    jsonschema.validate(document, SCHEMA)
    return document


def test_cff_validates_against_the_cff_1_2_0_schema_with_the_corpus_facts():
    cff = _valid_cff(Citation("1.3.0", "2026-11-27", CORPUS).cff())
    assert cff["type"] == "dataset" and cff["version"] == "1.3.0" and cff["date-released"] == "2026-11-27"
    assert cff["license"] == "CC-BY-4.0" and "not licensed by the maintainers" in cff["message"]
    assert cff["authors"] == CORPUS.authors and cff["contact"] == [CORPUS.contact]
    assert "doi" not in cff and all(item["type"] != "doi" for item in cff["identifiers"])  # none minted yet
    assert "propaganda" in cff["abstract"]


def test_a_minted_doi_and_persons_reach_every_format():
    corpus = replace(CORPUS, doi="10.5281/zenodo.1234567", authors=[PERSON, *CORPUS.authors])
    citation = Citation("1.3.0", "2026-11-27", corpus)
    cff = _valid_cff(citation.cff())
    assert cff["doi"] == "10.5281/zenodo.1234567" and cff["identifiers"][0]["value"] == "10.5281/zenodo.1234567"
    assert "author       = {Lovelace, Ada Mary and {DPRK State Media Corpus maintainers}}" in citation.bibtex()
    assert "doi          = {10.5281/zenodo.1234567}" in citation.bibtex()
    assert citation.apa().startswith("Lovelace, A. M., DPRK State Media Corpus maintainers. (2026).")
    assert "AU  - Lovelace, Ada Mary\nAU  - DPRK State Media Corpus maintainers\n" in citation.ris()
    assert "DO  - 10.5281/zenodo.1234567\n" in citation.ris()
    (item,) = json.loads(citation.csl_json())
    assert item["author"][0] == {"family": "Lovelace", "given": "Ada Mary"} and item["DOI"] == "10.5281/zenodo.1234567"


def test_bibtex_apa_ris_and_csl_json_name_the_version_and_year():
    citation = Citation("1.3.0", "2026-11-27", CORPUS)
    bibtex = citation.bibtex()
    assert bibtex.startswith("@misc{dprk_state_media_corpus_v1_3_0,")
    assert "version      = {1.3.0}," in bibtex and "year         = {2026}," in bibtex
    assert bibtex.count("{") == bibtex.count("}")
    assert citation.apa() == (
        "DPRK State Media Corpus maintainers. (2026). *DPRK State Media Corpus* (Version 1.3.0) [Data set]. "
        "https://huggingface.co/datasets/dprk-state-media-corpus/dprk-state-media-corpus/tree/v1.3.0\n"
    )
    ris = citation.ris()
    assert ris.startswith("TY  - DATA\nTI  - DPRK State Media Corpus\n") and ris.endswith("ER  -\n")
    assert "PY  - 2026\n" in ris and "ET  - Version 1.3.0\n" in ris
    (item,) = json.loads(citation.csl_json())
    assert item["type"] == "dataset" and item["version"] == "1.3.0"
    assert item["issued"] == {"date-parts": [[2026, 11, 27]]} and item["author"] == [
        {"literal": "DPRK State Media Corpus maintainers"}
    ]


def test_a_release_that_recorded_no_date_is_dated_by_the_corpus_configuration():
    citation = Citation("0.1.0", None, CORPUS)
    assert _valid_cff(citation.cff())["date-released"] == "2026-11-27"
    assert "(2026)" in citation.apa()
    assert "(n.d.)" in Citation("0.0.9", None, CORPUS).apa()


def test_a_project_s_own_corpus_toml_is_used_and_a_bad_one_is_named(tmp_path):
    project = tmp_path / "fork"
    (project / "releases").mkdir(parents=True)
    assert corpus_of(project / "releases") == CORPUS  # none of its own: the shipped one
    text = SHIPPED.read_text().replace('title = "DPRK State Media Corpus"', 'title = "A Fork"')
    (project / "corpus.toml").write_text(text)
    assert corpus_of(project / "releases").title == "A Fork"
    (project / "corpus.toml").write_text(text + '\n[[authors]]\nnickname = "x"\n')
    with pytest.raises(CorpusConfigError, match="needs `family-names`"):
        corpus_of(project / "releases")


def test_every_committed_release_from_0_4_1_on_carries_a_valid_cff():
    for release in sorted((REPO / "releases").glob("v*")):
        version = tuple(int(part) for part in release.name[1:].split("."))
        if version >= (0, 4, 1):
            _valid_cff((release / "CITATION.cff").read_text())
    _valid_cff((REPO / "CITATION.cff").read_text())


def test_shipped_configuration_is_the_repository_s():
    assert SHIPPED == REPO / "corpus.toml" and Path(SHIPPED).is_file()
