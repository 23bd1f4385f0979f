"""How to cite one exact version: CITATION.cff (CFF 1.2.0), BibTeX and APA, all from the same facts."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

TITLE = "DPRK State Media Corpus"
AUTHORS = [{"name": "DPRK State Media Corpus maintainers"}]
AUTHOR_TEXT = "DPRK State Media Corpus maintainers"
# The Hub dataset repository the README's publishing steps upload releases to, tagged `vX.Y.Z`.
HUB_REPO = "dprk-state-media-corpus/dprk-state-media-corpus"
REPOSITORY = f"https://huggingface.co/datasets/{HUB_REPO}"
DOI_PLACEHOLDER = "10.5281/zenodo.0000000"
LICENSE = "other"
LICENSE_TEXT = (
    "Texts: publications of DPRK state organs as shown by KCNA Watch, not licensed by the maintainers. "
    "Curation (selection, structure, metadata, documentation): CC-BY-4.0. Code: MIT."
)
ABSTRACT = (
    "Articles of DPRK state media (KCNA, Voice of Korea, Naenara, the Ministry of Foreign Affairs, Pyongyang Times "
    "and others) as shown on KCNA Watch, parsed from captured pages into validated, versioned Parquet tables: one "
    "row per article with title, date, source, faithful body text and provenance, plus the teasers of related "
    "articles. State propaganda: a primary source, not a record of facts."
)
KEYWORDS = ["North Korea", "DPRK", "KCNA", "state media", "propaganda", "news", "political science", "corpus"]


@dataclass(frozen=True)
class Citation:
    version: str
    released: str | None  # ISO date the release was cut; None for releases that did not record it

    @property
    def year(self) -> str:
        return self.released[:4] if self.released else "n.d."

    @property
    def url(self) -> str:
        return f"{REPOSITORY}/tree/v{self.version}"

    def cff(self) -> str:
        document = {
            "cff-version": "1.2.0",
            "message": f"If you use this dataset, please cite version {self.version} as below.",
            "type": "dataset",
            "title": TITLE,
            "version": self.version,
            **({"date-released": self.released} if self.released else {}),
            "authors": AUTHORS,
            "abstract": ABSTRACT,
            "keywords": KEYWORDS,
            "license": LICENSE,
            "license-url": f"{REPOSITORY}/blob/v{self.version}/README.md#licensing",
            "repository": REPOSITORY,
            "url": self.url,
            "identifiers": [
                {
                    "type": "doi",
                    "value": DOI_PLACEHOLDER,
                    "description": "Placeholder: replace with the DOI minted for this version.",
                },
                {"type": "url", "value": self.url, "description": f"Release v{self.version} on the Hub"},
            ],
        }
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)

    def bibtex(self) -> str:
        key = f"dprk_state_media_corpus_v{self.version.replace('.', '_')}"
        return (
            f"@misc{{{key},\n"
            f"  author       = {{{{{AUTHOR_TEXT}}}}},\n"
            f"  title        = {{{{{TITLE}}}}},\n"
            f"  version      = {{{self.version}}},\n"
            f"  year         = {{{self.year}}},\n"
            f"  howpublished = {{Dataset, release v{self.version}}},\n"
            f"  url          = {{{self.url}}},\n"
            f"  note         = {{Texts published by DPRK state media as shown by KCNA Watch. DOI: to be minted}}\n"
            "}\n"
        )

    def apa(self) -> str:
        return f"{AUTHOR_TEXT}. ({self.year}). *{TITLE}* (Version {self.version}) [Data set]. {self.url}\n"

    def render(self, style: str) -> str:
        return {"cff": self.cff, "bibtex": self.bibtex, "apa": self.apa}[style]()
