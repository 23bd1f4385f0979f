"""Cut a release: read -> extract -> merge -> write, into a hidden folder that is renamed into place at the end.

The data is written first; its diff against the previous release decides the version (see `versioning`), and
only then are the version-bearing files written (`release_files`). The rename is the only step that makes
`releases/vX.Y.Z` appear, so a release is complete or absent even when the build is killed; a lock on the releases
folder keeps two builds apart. Once the release is in place, the release index and the repository's citation are
refreshed to point at it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.merge.database import MergeFailure
from builder.publish.release_files import check_usable, publish_into
from builder.publish.release_index import write_index
from builder.publish.releases import list_releases
from builder.publish.request import (
    LATEST,
    BuildError,
    BuildRequest,
    BuildResult,
    InterruptedAfterPublishing,
)
from builder.publish.versions import VersionError, parse_version
from builder.read import InputError, check_inputs
from builder.read.collections import Collection
from builder.run.memo import MemoBusy
from builder.run.pipeline import write_data
from builder.run.workspace import Workspace
from builder.schema.validate import ValidationFailure


def build_release(request: BuildRequest) -> BuildResult:
    """Publish `releases/v<version>` as the request says, then refresh the release index (`releases/README.md`) and
    the repository's `CITATION.cff` (`request.citation`)."""
    collections = _check_request(request)
    template = request.card_template.read_text(encoding="utf-8")
    with _releases_lock(request.releases):
        previous = request.previous
        if previous == LATEST:
            existing = list_releases(request.releases)
            previous = existing[-1] if existing else None
        workspace = Workspace(request.releases)
        workspace.create()
        try:
            target, report = _build_into(workspace, request, previous, template, collections)
        except BaseException:
            workspace.discard()
            raise
        try:
            _put_in_place(workspace, target)
        except InterruptedAfterPublishing:
            write_index(request.releases, request.citation)  # a fraction of a second, and no command would do it later
            raise
        write_index(request.releases, request.citation)
    return BuildResult(target, report)


def _check_request(request: BuildRequest) -> list[Collection]:
    """Before any work: every argument is one the build can use; the collections, their descriptions checked."""
    try:
        if request.version is not None:
            parse_version(request.version)
        if request.released is not None:
            dt.date.fromisoformat(request.released)
        _check_releases_folder(request.releases)
        collections = check_inputs(request.inputs, request.collections)
    except (VersionError, InputError, ValueError) as error:
        raise BuildError(str(error)) from None
    if request.workers < 1:
        raise BuildError(f"{request.workers} workers: at least one process must parse; pass --workers 1 or more")
    cache = request.cache_folder
    if cache is not None and cache.exists() and not cache.is_dir():
        raise BuildError(f"the build memo's folder {str(cache)!r} is a file; pass --cache DIR or --no-cache")
    if request.citation is not None and not request.citation.parent.is_dir():
        raise BuildError(
            f"the folder of the citation file {str(request.citation)!r} does not exist; create it or pass another path"
        )
    return collections


def _build_into(workspace: Workspace, request: BuildRequest, previous: Path | None, template: str, collections):
    """Write the whole release into the workspace; failures as a `BuildError` that says what to do."""
    try:
        data = write_data(
            workspace,
            request.inputs,
            collections=request.collections,
            workers=request.workers,
            cache_folder=request.cache_folder,
            progress=request.progress,
            timings=request.timings,
        )
        check_usable(data, request.strict)
        return publish_into(workspace, request, data, previous, template, collections)
    except ValidationFailure as failure:
        raise BuildError(f"the data fails the schema; no release written.\n{failure}") from None
    except (MergeFailure, MemoBusy) as failure:
        raise BuildError(f"{failure}; no release written, earlier releases are untouched") from None
    except OSError as error:
        raise BuildError(
            f"could not write the release ({error.strerror or error}: {error.filename or request.releases}); "
            "no release written, earlier releases are untouched"
        ) from None


def _put_in_place(workspace: Workspace, target: Path) -> None:
    """Rename the synced release into place and make it read-only."""
    published = False
    try:
        _sync_tree(workspace.release)
        with _signals_held(target):
            os.rename(workspace.release, target)
            published = True
            _sync_dir(workspace.releases)
            _make_read_only(target)
    except OSError as error:
        workspace.discard()
        if published:  # the release is whole (its files were synced before the rename), not yet read-only
            raise BuildError(
                f"published {target}, but could not finish it ({error.strerror or error}: "
                f"{error.filename or target}); its files may still be writable: run chmod -R a-w {target}"
            ) from None
        raise BuildError(
            f"could not write the release ({error.strerror or error}: {error.filename or workspace.releases}); "
            "no release written, earlier releases are untouched"
        ) from None
    except BaseException:
        workspace.discard()
        raise


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
    """One build at a time in a releases folder: the lock is on the folder itself, so no lock file is left behind."""
    descriptor = os.open(releases, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is running in {releases}; wait for it to finish") from None
        yield
    finally:
        os.close(descriptor)


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
