"""Cut a release: read -> extract -> merge -> write, into a hidden folder that is renamed into place at the end.

The data is written first; its diff against the previous release decides the version (see `versioning`), and
only then are the version-bearing files written: build report, diff, card, citation, Croissant, checksums. The
rename is the only step that makes `releases/vX.Y.Z` appear, so a release is complete or absent even when the
build is killed; a lock on the releases folder keeps two builds apart.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from builder import __version__
from builder.merge.database import MergeFailure
from builder.publish.card import card_figures, front_matter, render_card
from builder.publish.citation import Citation
from builder.publish.croissant import croissant
from builder.publish.versioning import (
    KNOWN_ROWS_FOLDER,
    VersionError,
    choose_version,
    diff_releases,
    metadata_changes,
    parse_version,
    read_report,
)
from builder.read.readers import InputError, check_inputs, display_root
from builder.run.memo import MemoBusy
from builder.run.pipeline import DataResult, Timings, write_data
from builder.schema.checks import schemas_to_json
from builder.schema.columns import CONFIGS
from builder.schema.validate import ValidationFailure
from builder.write.shards import sha256_file, write_checksums

DEFAULT_CARD_TEMPLATE = Path(__file__).resolve().parents[2] / "dataset_card.md"
LATEST = "latest"  # `previous=LATEST`: diff against the newest release in the releases folder


class BuildError(Exception):
    """A build that cannot go ahead or that failed; the message says what to do. Nothing was published."""


class NothingChanged(BuildError):
    """The inputs give exactly the previous release: no new version is needed, nothing is written."""


class InterruptedAfterPublishing(Exception):
    """Ctrl-C or SIGTERM arrived once the release was in place: it is whole and read-only, but the steps after it
    (the index, CITATION.cff) did not run."""

    def __init__(self, release: Path):
        super().__init__(release)
        self.release = release


@dataclass
class BuildResult:
    path: Path
    report: dict


def list_releases(releases: Path) -> list[Path]:
    """Published releases, oldest version first."""
    found = []
    for path in releases.glob("v*"):
        try:
            found.append((parse_version(path.name[1:]), path))
        except VersionError:
            continue
    return [path for _, path in sorted(found) if path.is_dir()]


def build_release(
    inputs: list[Path],
    version: str | None,
    releases: Path,
    *,
    strict: bool = False,
    card_template: Path = DEFAULT_CARD_TEMPLATE,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
    previous: Path | str | None = LATEST,
    released: str | None = None,
    workers: int = 1,
    cache_folder: Path | None = None,
    timings: Timings | None = None,
) -> BuildResult:
    """Publish `releases/v<version>`; without `version`, the smallest version the change since `previous` allows.

    `released` (an ISO date) is the release date to record; a new release takes today's date, a rebuild the
    date the release recorded when it was cut. `workers` processes parse and check in parallel, and
    `cache_folder` holds the build memo, so that the next build redoes only what changed (`memo`); neither changes
    a byte of the output.
    """
    try:
        if version is not None:
            parse_version(version)
        if released is not None:
            dt.date.fromisoformat(released)
        _check_releases_folder(releases)
        check_inputs(inputs)
    except (VersionError, InputError, ValueError) as error:
        raise BuildError(str(error)) from None
    if workers < 1:
        raise BuildError(f"{workers} workers: at least one process must parse; pass --workers 1 or more")
    if cache_folder is not None and cache_folder.exists() and not cache_folder.is_dir():
        raise BuildError(f"the build memo's folder {str(cache_folder)!r} is a file; pass --cache DIR or --no-cache")
    template = card_template.read_text(encoding="utf-8")
    with _releases_lock(releases):
        if previous == LATEST:
            existing = list_releases(releases)
            previous = existing[-1] if existing else None
        partial = releases / ".build.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        published = False
        try:
            data = write_data(
                partial,
                inputs,
                workers=workers,
                cache_folder=cache_folder,
                progress=progress,
                timings=timings if timings is not None else Timings(),
            )
            target, report = _publish_into(
                partial, releases, data, inputs, version, previous, released, template, strict
            )
            _sync_tree(partial)
            with _signals_held(target):
                os.rename(partial, target)
                published = True
                _sync_dir(releases)
                _make_read_only(target)
        except ValidationFailure as failure:
            shutil.rmtree(partial, ignore_errors=True)
            raise BuildError(f"the data fails the schema; no release written.\n{failure}") from None
        except (MergeFailure, MemoBusy) as failure:
            shutil.rmtree(partial, ignore_errors=True)
            raise BuildError(f"{failure}; no release written, earlier releases are untouched") from None
        except OSError as error:
            shutil.rmtree(partial, ignore_errors=True)
            if published:  # the release is whole (its files were synced before the rename), not yet read-only
                raise BuildError(
                    f"published {target}, but could not finish it ({error.strerror or error}: "
                    f"{error.filename or target}); its files may still be writable: run chmod -R a-w {target}"
                ) from None
            raise BuildError(
                f"could not write the release ({error.strerror or error}: {error.filename or releases}); "
                "no release written, earlier releases are untouched"
            ) from None
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    return BuildResult(target, report)


@contextmanager
def _signals_held(release: Path) -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while the release is put in place and made read-only, so that it is there whole or
    not at all; one that came meanwhile is raised as `InterruptedAfterPublishing` once it is. (Blocking the signals
    would not do: another thread of the process, pyarrow's or DuckDB's, may receive them.)"""
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return
    came = []
    handlers = {
        number: signal.signal(number, lambda received, frame: came.append(received))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    if came:
        raise InterruptedAfterPublishing(release)


def _check_releases_folder(releases: Path) -> None:
    """Before any work: the folder exists and is writable, by permission bits too (root ignores them)."""
    if not releases.is_dir():
        raise BuildError(f"releases folder {str(releases)!r} does not exist; create it or pass --releases DIR")
    if not os.access(releases, os.W_OK | os.X_OK) or not releases.stat().st_mode & 0o222:
        raise BuildError(f"releases folder {str(releases)!r} is read-only; make it writable or pass --releases DIR")


def _make_read_only(release: Path) -> None:
    """A published release is never modified: its files and folders lose their write bits."""
    for path in sorted(release.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    release.chmod(0o555)


@contextmanager
def _releases_lock(releases: Path) -> Iterator[None]:
    with open(releases / ".build.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is running in {releases}; wait for it to finish") from None
        yield


def _publish_into(partial, releases, data: DataResult, inputs, version, previous, released, template, strict):
    """Decide the version from the diff, then write every version-bearing file of the release."""
    reasons = "; ".join(
        f"{reason}: {count}" for reason, count in sorted(Counter(r.reason for r in data.rejected).items())
    )
    if strict and data.rejected:
        raise BuildError(f"--strict: {len(data.rejected)} capture(s) not used; no release written. {reasons}")
    if not data.counts["articles"]:  # a release of nothing is a mistake, and after others would remove every record
        found = (
            f"{data.counts['captures_read']} capture(s) read, none used ({reasons})"
            if data.counts["captures_read"]
            else "no capture found (the captures of a folder are its .txt files; name .jsonl files themselves)"
        )
        raise BuildError(f"no article in the inputs: {found}; no release written")
    schema_json = schemas_to_json(CONFIGS)
    (partial / "schema.json").write_text(schema_json, encoding="utf-8")
    template_sha256 = hashlib.sha256(template.encode("utf-8")).hexdigest()
    diff = None
    if previous is not None:
        diff = diff_releases(
            previous, partial, metadata_changes(previous, template_sha256, schema_json), data.known_rows
        )
        if diff.bump == "none":
            raise NothingChanged(f"nothing changed since {previous.name}; no release written")
    shutil.rmtree(partial / KNOWN_ROWS_FOLDER, ignore_errors=True)  # the diff's rows, not part of the release
    try:
        version = choose_version(
            version, read_report(previous)["version"] if previous else None, diff.bump if diff else "minor"
        )
    except VersionError as error:
        raise BuildError(str(error)) from None
    target = releases / f"v{version}"
    if target.exists():
        raise BuildError(f"{target} already exists; a release is never overwritten: choose a new version")
    citation = Citation(version, released or dt.date.today().isoformat())
    diff_json = diff.to_json() if diff else {"from": None, "to": None, "bump": "initial", "reasons": ["first release"]}
    diff_json["to"] = version
    report = _report(data, inputs, version, citation.released, template_sha256, diff_json)
    _write_json(partial / "build_report.json", report)
    _write_json(partial / "diff.json", diff_json)
    card = render_card(
        template,
        front_matter(data.written, sorted(data.tally.languages)),
        card_figures(version, data.written, report, data.tally.sources, data.tally.years, diff_json, citation),
    )
    (partial / "README.md").write_text(card, encoding="utf-8")
    (partial / "CITATION.cff").write_text(citation.cff(), encoding="utf-8")
    shards = {
        name: [(path, sha256_file(partial / path)) for path in written.files] for name, written in data.written.items()
    }
    (partial / "croissant.json").write_text(croissant(citation, CONFIGS, shards), encoding="utf-8")
    write_checksums(partial, {path: digest for listed in shards.values() for path, digest in listed})
    return target, report


def _report(
    data: DataResult, inputs: list[Path], version: str, released: str, template_sha256: str, diff_json: dict
) -> dict:
    return {
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


def _write_json(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


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
