"""Cut a release: read -> extract -> merge -> write, into a hidden folder that is renamed into place at the end.

The rename is the only step that makes `releases/vX.Y.Z` appear, so a release is complete or absent even when
the build is killed; a lock per version keeps two builds of one version apart.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .bodystore import BodyStore
from .card import card_figures, front_matter, render_card
from .checks import schemas_to_json
from .extract import ParsedCapture, extract_all
from .merge import Merger
from .readers import InputError, check_inputs, read_inputs
from .records import Rejected
from .rows import article_rows, describe_article, describe_teaser
from .schema import ARTICLES, CONFIGS, TEASERS
from .validate import ValidationFailure
from .writers import write_checksums, write_config

VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
DEFAULT_CARD_TEMPLATE = Path(__file__).resolve().parent.parent / "dataset_card.md"


class BuildError(Exception):
    """A build that cannot go ahead or that failed; the message says what to do. Nothing was published."""


@dataclass
class BuildResult:
    path: Path
    report: dict


def parse_version(version: str) -> tuple[int, int, int]:
    match = VERSION.match(version)
    if not match:
        raise BuildError(f"version {version!r} is not of the form X.Y.Z (e.g. 0.1.0)")
    return tuple(int(part) for part in match.groups())


def build_release(
    inputs: list[Path],
    version: str,
    releases: Path,
    *,
    strict: bool = False,
    card_template: Path = DEFAULT_CARD_TEMPLATE,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
) -> BuildResult:
    parse_version(version)
    _check_releases_folder(releases)
    try:
        check_inputs(inputs)
    except InputError as error:
        raise BuildError(str(error)) from None
    template = card_template.read_text(encoding="utf-8")
    target = releases / f"v{version}"
    with _version_lock(releases, version):
        if target.exists():
            raise BuildError(f"{target} already exists; a release is never overwritten: choose a new version")
        partial = releases / f".v{version}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        try:
            report = _build_into(partial, inputs, version, template, progress)
            if strict and report["rejected"]:
                raise BuildError(
                    f"--strict: {len(report['rejected'])} capture(s) not used; no release written. "
                    + "; ".join(f"{reason}: {count}" for reason, count in report["rejected_by_reason"].items())
                )
            _sync_tree(partial)
            os.rename(partial, target)
            _sync_dir(releases)
        except ValidationFailure as failure:
            shutil.rmtree(partial, ignore_errors=True)
            raise BuildError(f"the data fails the schema; no release written.\n{failure}") from None
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    return BuildResult(target, report)


def _check_releases_folder(releases: Path) -> None:
    if not releases.is_dir():
        raise BuildError(f"releases folder {str(releases)!r} does not exist; create it or pass --releases DIR")
    if not os.access(releases, os.W_OK | os.X_OK):
        raise BuildError(f"releases folder {str(releases)!r} is not writable")


@contextmanager
def _version_lock(releases: Path, version: str) -> Iterator[None]:
    with open(releases / f".v{version}.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build of v{version} is running in {releases}; wait for it to finish") from None
        yield


def _build_into(partial: Path, inputs: list[Path], version: str, template: str, progress) -> dict:
    store = BodyStore(partial)
    try:
        merger = Merger(store)
        rejected: list[Rejected] = []
        shapes: Counter = Counter()
        read = 0
        for item in progress(extract_all(read_inputs(inputs))):
            read += 1
            if isinstance(item, ParsedCapture):
                shapes[item.page.shape] += 1
                merger.add(item)
            else:
                rejected.append(item)
        result = merger.finish()
        tally = ArticleTally()
        written = {
            "articles": write_config(
                partial, ARTICLES, tally.count(article_rows(result.articles, merger)), describe_article
            ),
            "teasers": write_config(partial, TEASERS, result.teasers, describe_teaser),
        }
    finally:
        store.close()
    rejected = sorted(rejected + result.rejected, key=lambda reject: reject.input)
    report = {
        "version": version,
        "builder_version": __version__,
        "inputs": [path.resolve().name or str(path) for path in inputs],
        "counts": {
            "captures_read": read,
            "articles": written["articles"].num_examples,
            "teasers": written["teasers"].num_examples,
            "captures_merged": sum(len(article.captures) - 1 for article in result.articles),
            "rejected": len(rejected),
            "conflicts": len(result.conflicts),
            "teasers_without_article": result.teasers_without_article,
        },
        "shapes": dict(sorted(shapes.items())),
        "doc_types": dict(sorted(tally.doc_types.items())),
        "languages": dict(sorted(tally.languages.items())),
        "rejected_by_reason": dict(sorted(Counter(reject.reason for reject in rejected).items())),
        "repairs": dict(sorted(result.repairs.items())),
        "rejected": [reject.to_json() for reject in rejected],
        "conflicts": result.conflicts,
    }
    (partial / "build_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    card = render_card(
        template,
        front_matter(written, sorted(tally.languages)),
        card_figures(version, written, report, tally.sources, tally.years),
    )
    (partial / "README.md").write_text(card, encoding="utf-8")
    (partial / "schema.json").write_text(schemas_to_json(CONFIGS), encoding="utf-8")
    write_checksums(partial)
    return report


class ArticleTally:
    """Counts for the card and the report, taken from the article rows as they stream to the writer."""

    def __init__(self):
        self.sources: Counter = Counter()
        self.years: Counter = Counter()
        self.doc_types: Counter = Counter()
        self.languages: Counter = Counter()

    def count(self, rows: Iterable[dict]) -> Iterator[dict]:
        for row in rows:
            self.sources[row["source"]] += 1
            self.years[row["date"].year] += 1
            self.doc_types[row["doc_type"]] += 1
            if row["language"]:
                self.languages[row["language"]] += 1
            yield row


def _sync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _sync_dir(path)


def _sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
