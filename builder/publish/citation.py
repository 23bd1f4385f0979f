"""How to cite one exact version: CITATION.cff (CFF 1.2.0), BibTeX, APA, RIS and CSL-JSON, all from the same
facts (the corpus's own in `corpus.toml`, the version and its date)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

from builder.publish.corpus import Corpus

ABSTRACT = (
    "Articles of DPRK state media (KCNA, Voice of Korea, Naenara, the Ministry of Foreign Affairs, Pyongyang Times "
    "and others) as shown on KCNA Watch, parsed from captured pages into validated, versioned Parquet tables: one "
    "row per article with title, date, source, faithful body text and provenance, plus the teasers of related "
    "articles. State propaganda: a primary source, not a record of facts."
)
KEYWORDS = ["North Korea", "DPRK", "KCNA", "state media", "propaganda", "news", "political science", "corpus"]
TEXTS_NOTE = (
    "The texts are publications of DPRK state organs, not licensed by the maintainers; the licence below covers the "
    "curation (selection, structure, metadata, documentation)."
)


@dataclass(frozen=True)
class Citation:
    version: str
    released: str | None  # ISO date the release was cut; None for releases that did not record it
    corpus: Corpus

    @property
    def date(self) -> str | None:
        return self.released or self.corpus.released.get(self.version)

    @property
    def year(self) -> str:
        return self.date[:4] if self.date else "n.d."

    @property
    def url(self) -> str:
        return f"{self.corpus.repository}/tree/v{self.version}"

    @property
    def key(self) -> str:
        return "_".join(self.corpus.title.lower().split()) + "_v" + self.version.replace(".", "_")

    def cff(self) -> str:
        """CITATION.cff, valid against the CFF 1.2.0 schema (`tests/publish/test_citation.py`)."""
        identifiers = [{"type": "url", "value": self.url, "description": f"Release v{self.version}"}]
        if self.corpus.doi:
            identifiers.insert(0, {"type": "doi", "value": self.corpus.doi, "description": "The corpus's DOI"})
        document = {
            "cff-version": "1.2.0",
            "message": f"If you use this dataset, please cite version {self.version} as below. {TEXTS_NOTE}",
            "type": "dataset",
            "title": self.corpus.title,
            "version": self.version,
            **({"date-released": self.date} if self.date else {}),
            **({"doi": self.corpus.doi} if self.corpus.doi else {}),
            "authors": self.corpus.authors,
            "contact": [self.corpus.contact],
            "abstract": ABSTRACT,
            "keywords": KEYWORDS,
            "license": self.corpus.curation_licence,
            "repository": self.corpus.repository,
            "url": self.url,
            "identifiers": identifiers,
        }
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)

    def bibtex(self) -> str:
        authors = " and ".join(_bibtex_name(author) for author in self.corpus.authors)
        fields = [
            ("author", authors),
            ("title", f"{{{self.corpus.title}}}"),
            ("version", self.version),
            ("year", self.year),
            ("howpublished", f"Dataset, release v{self.version}"),
            ("url", self.url),
            *([("doi", self.corpus.doi)] if self.corpus.doi else []),
            ("note", "Texts published by DPRK state media as shown by KCNA Watch"),
        ]
        body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def apa(self) -> str:
        authors = ", ".join(_apa_name(author) for author in self.corpus.authors)
        doi = f" https://doi.org/{self.corpus.doi}" if self.corpus.doi else ""
        return f"{authors}. ({self.year}). *{self.corpus.title}* (Version {self.version}) [Data set]. {self.url}{doi}\n"

    def ris(self) -> str:
        """RIS, as Zotero, EndNote and Mendeley import it."""
        lines = [("TY", "DATA"), ("TI", self.corpus.title)]
        lines += [("AU", _ris_name(author)) for author in self.corpus.authors]
        lines += [("PY", self.year), ("ET", f"Version {self.version}"), ("UR", self.url)]
        lines += [("DO", self.corpus.doi)] if self.corpus.doi else []
        lines += [("AB", ABSTRACT)] + [("KW", keyword) for keyword in KEYWORDS] + [("ER", "")]
        return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)

    def csl_json(self) -> str:
        """CSL-JSON, as Pandoc and Zotero read it."""
        item = {
            "id": self.key,
            "type": "dataset",
            "title": self.corpus.title,
            "author": [_csl_name(author) for author in self.corpus.authors],
            **({"issued": {"date-parts": [[int(part) for part in self.date.split("-")]]}} if self.date else {}),
            "version": self.version,
            "URL": self.url,
            **({"DOI": self.corpus.doi} if self.corpus.doi else {}),
            "abstract": ABSTRACT,
        }
        return json.dumps([item], indent=2, ensure_ascii=False) + "\n"

    def render(self, style: str) -> str:
        return {"cff": self.cff, "bibtex": self.bibtex, "apa": self.apa, "ris": self.ris, "csl-json": self.csl_json}[
            style
        ]()


STYLES = ("bibtex", "apa", "cff", "ris", "csl-json")


def _bibtex_name(author: dict) -> str:
    if "family-names" in author:
        return f"{author['family-names']}, {author.get('given-names', '')}".rstrip(", ")
    return f"{{{author['name']}}}"  # braced: an organisation's name is not split into first and last names


def _apa_name(author: dict) -> str:
    if "family-names" in author:
        initials = " ".join(f"{part[0]}." for part in author.get("given-names", "").split())
        return f"{author['family-names']}, {initials}".rstrip(", ")
    return author["name"]


def _ris_name(author: dict) -> str:
    return _bibtex_name(author).strip("{}")


def _csl_name(author: dict) -> dict:
    if "family-names" in author:
        return {"family": author["family-names"], "given": author.get("given-names", "")}
    return {"literal": author["name"]}
