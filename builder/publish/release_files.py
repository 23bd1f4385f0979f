"""The files of a release besides its data, written once the data's diff against the previous release has decided
the version: schema, build report, diff, card, citation, Croissant and checksums."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path

from builder import __version__
from builder.publish.card import RAI_SECTIONS, card_figures, card_section, front_matter, render_card
from builder.publish.citation import Citation
from builder.publish.corpus import corpus_of
from builder.publish.croissant import croissant
from builder.publish.plot import FILE as TIMELINE
from builder.publish.plot import timeline_svg
from builder.publish.release_index import release_citation
from builder.publish.request import BuildError, BuildRequest, NothingChanged
from builder.publish.versioning import diff_releases, metadata_changes
from builder.publish.versions import VersionError, choose_version, read_report
from builder.read import display_root
from builder.read.collections import Collection
from builder.run.pipeline import DataResult
from builder.run.workspace import Workspace
from builder.schema.checks import schemas_to_json
from builder.schema.columns import CONFIGS
from builder.write.checksums import sha256_file, write_checksums


def check_usable(data: DataResult, strict: bool) -> None:
    """Before anything is written beside the data: the build gave articles, and under `strict` used every capture."""
    reasons = "; ".join(
        f"{reason}: {count}" for reason, count in sorted(Counter(r.reason for r in data.rejected).items())
    )
    if strict and data.rejected:
        raise BuildError(f"--strict: {len(data.rejected)} capture(s) not used; no release written. {reasons}")
    if not data.counts["articles"]:  # a release of nothing is a mistake, and after others would remove every record
        found = (
            f"{data.counts['captures_read']} capture(s) read, none used ({reasons})"
            if data.counts["captures_read"]
            else "no capture found" + (f" ({reasons})" if reasons else "")
        )
        raise BuildError(f"no article in the inputs: {found}; no release written")


def publish_into(
    workspace: Workspace,
    request: BuildRequest,
    data: DataResult,
    previous: Path | None,
    template: str,
    collections: list[Collection] = (),
):
    """Decide the version from the diff against `previous`, then write every version-bearing file of the release
    into the workspace. Returns the release's final path and its build report."""
    partial = workspace.release
    schema_json = schemas_to_json(CONFIGS)
    (partial / "schema.json").write_text(schema_json, encoding="utf-8")
    template_sha256 = hashlib.sha256(template.encode("utf-8")).hexdigest()
    diff = None
    if previous is not None:
        changed = metadata_changes(previous, template_sha256, schema_json) + _citation_changes(previous)
        diff = diff_releases(previous, partial, changed, data.known_rows)
        if diff.bump == "none":
            raise NothingChanged(f"nothing changed since {previous.name}; no release written")
    workspace.drop_scratch()
    version = _version(request.version, previous, diff.bump if diff else "minor")
    target = request.releases / f"v{version}"
    if target.exists():
        raise BuildError(f"{target} already exists; a release is never overwritten: choose a new version")
    citation = Citation(version, request.released or dt.date.today().isoformat(), corpus_of(request.releases))
    diff_json = diff.to_json() if diff else {"from": None, "to": None, "bump": "initial", "reasons": ["first release"]}
    diff_json["to"] = version
    report = _report(data, request.inputs, version, citation.released, template_sha256, diff_json)
    if collections:  # only when there are any, so that releases without them keep their reports
        report["collections"] = _collections_used(collections, data.tally.origins)
    _write_json(partial / "build_report.json", report)
    _write_json(partial / "diff.json", diff_json)
    (partial / TIMELINE).write_bytes(timeline_svg(data.tally.source_months))
    card = render_card(
        template,
        front_matter(data.written, sorted(data.tally.languages), citation),
        card_figures(version, data.written, report, data.tally, diff_json, citation),
    )
    (partial / "README.md").write_text(card, encoding="utf-8")
    (partial / "CITATION.cff").write_text(citation.cff(), encoding="utf-8")
    shards = {
        name: [(path, sha256_file(partial / path)) for path in written.files] for name, written in data.written.items()
    }
    responsible_ai = {field: card_section(template, heading) for field, heading in RAI_SECTIONS.items()}
    metadata = croissant(citation, CONFIGS, shards, sorted(data.tally.languages) or ["en"], responsible_ai)
    (partial / "croissant.json").write_text(metadata, encoding="utf-8")
    write_checksums(partial, {path: digest for listed in shards.values() for path, digest in listed})
    return target, report


def _citation_changes(previous: Path) -> list[str]:
    """The citation of `previous` as this builder and the corpus configuration would write it: if that is not the
    one it carries, the way the corpus is cited changed (a new author, a DOI minted, another format)."""
    if not (previous / "CITATION.cff").is_file():
        return []
    rewritten = release_citation(previous).cff()
    return [] if (previous / "CITATION.cff").read_text(encoding="utf-8") == rewritten else ["citation changed"]


def _collections_used(collections: list[Collection], articles_by_origin: Counter) -> list[dict]:
    described = {collection.name: collection for collection in collections}
    return [
        {
            "name": name,
            "homepage": collection.homepage,
            "licence": collection.licence,
            "language": collection.language,
            "articles": articles_by_origin.get(name, 0),
            "description": collection.path.name,
        }
        for name, collection in sorted(described.items())
    ]


def _version(requested: str | None, previous: Path | None, required: str) -> str:
    try:
        return choose_version(requested, read_report(previous)["version"] if previous else None, required)
    except VersionError as error:
        raise BuildError(str(error)) from None


def _report(
    data: DataResult, inputs: list[Path], version: str, released: str, template_sha256: str, diff_json: dict
) -> dict:
    report = {
        "version": version,
        "released": released,
        "previous": diff_json["from"],
        "bump": diff_json["bump"],
        "builder_version": __version__,
        "card_template_sha256": template_sha256,
        "inputs": [display_root(path) for path in inputs],
        "counts": data.counts,
        "shapes": dict(sorted(data.shapes.items())),
        "encodings": dict(sorted(data.encodings.items())),
        "doc_types": dict(sorted(data.tally.doc_types.items())),
        "languages": dict(sorted(data.tally.languages.items())),
        "rejected_by_reason": dict(sorted(Counter(reject.reason for reject in data.rejected).items())),
        "repairs": dict(sorted(data.repairs.items())),
        "rejected": [reject.to_json() for reject in data.rejected],
        "conflicts": data.conflicts,
    }
    report["links"] = data.links.tally.to_json()
    if data.skipped:  # parts of inputs that carry no page (a web archive's request records), counted
        report["skipped"] = dict(sorted(data.skipped.items()))
    return report


def _write_json(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
