"""The corpus's own facts for citing it — title, authors, contact, Hub repository, curation licence, DOI — read from
`corpus.toml` of the project a releases folder belongs to (its parent), so that a fork edits one file, not the code.
A project without one is the DPRK State Media Corpus: the file beside this builder's source is read.

Why a `corpus.toml` and not `[tool.dprk-corpus]` in `pyproject.toml`: the facts belong to the corpus (its releases
folder's project), not to the builder's packaging, and a corpus built by an installed builder has no pyproject.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILE = "corpus.toml"
SHIPPED = Path(__file__).resolve().parents[2] / FILE
PERSON_KEYS = {"given-names", "family-names", "name-particle", "email", "orcid", "affiliation", "website"}
ENTITY_KEYS = {"name", "email", "website", "address", "city", "country"}


class CorpusConfigError(Exception):
    """A `corpus.toml` that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Corpus:
    title: str
    hub_repository: str
    curation_licence: str
    authors: list[dict]
    contact: dict
    doi: str | None = None
    released: dict[str, str] = field(default_factory=dict)  # version -> date, for releases that did not record it

    @property
    def repository(self) -> str:
        return f"https://huggingface.co/datasets/{self.hub_repository}"


def corpus_of(releases: Path) -> Corpus:
    """The configuration of the project `releases` belongs to, else the shipped one."""
    own = releases.absolute().parent / FILE
    return load_corpus(own if own.is_file() else SHIPPED)


def load_corpus(path: Path) -> Corpus:
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CorpusConfigError(f"{path}: cannot be read ({error})") from None
    for key in ("title", "hub_repository", "curation_licence", "authors", "contact"):
        if not spec.get(key):
            raise CorpusConfigError(f"{path}: `{key}` is missing")
    for where, party in [("authors", author) for author in spec["authors"]] + [("contact", spec["contact"])]:
        _check_party(path, where, party)
    return Corpus(
        spec["title"],
        spec["hub_repository"],
        spec["curation_licence"],
        list(spec["authors"]),
        dict(spec["contact"]),
        spec.get("doi") or None,
        {str(version): str(date) for version, date in spec.get("released", {}).items()},
    )


def _check_party(path: Path, where: str, party: dict) -> None:
    """A CFF person (with `family-names`) or entity (with `name`), with only the keys CFF allows it."""
    allowed = PERSON_KEYS if "family-names" in party else ENTITY_KEYS if "name" in party else None
    if allowed is None:
        raise CorpusConfigError(f"{path}: every entry of `{where}` needs `family-names` (a person) or `name`")
    unknown = sorted(set(party) - allowed)
    if unknown:
        raise CorpusConfigError(f"{path}: `{where}` has keys CFF does not know there: {', '.join(unknown)}")
