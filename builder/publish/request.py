"""What a build is asked to do (`BuildRequest`), what it gives (`BuildResult`), and how it fails."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builder.run.timings import Timings

DEFAULT_CARD_TEMPLATE = Path(__file__).resolve().parents[2] / "dataset_card.md"
LATEST = "latest"  # `previous=LATEST`: diff against the newest release in the releases folder


class BuildError(Exception):
    """A build that cannot go ahead or that failed; the message says what to do. Nothing was published."""


class NothingChanged(BuildError):
    """The inputs give exactly the previous release: no new version is needed, nothing is written."""


class InterruptedAfterPublishing(Exception):
    """Ctrl-C or SIGTERM arrived once the release was in place: it is whole and read-only, and the release index
    and `citation` point at it, but nothing after that ran."""

    def __init__(self, release: Path):
        super().__init__(release)
        self.release = release


def _unchanged(items: Iterable) -> Iterable:
    return items


@dataclass
class BuildRequest:
    """A release to publish into `releases` from `inputs`.

        `version`: the version to publish; None, the smallest the change since `previous` allows. `released` (an ISO
        date) is the release date to record; a new release takes today's date, a rebuild the date the release recorded
        when it was cut. `workers` processes parse and check in parallel, and `cache_folder` holds the build memo, so
        that the next build redoes only what changed (`run.memo`); neither changes a byte of the output. `collections`:
    (description, folder) pairs, each folder read as the collection its description says. `citation`: the
        repository's `CITATION.cff`, pointed at the new release (none: left alone). `progress` wraps the stream of
        extracted chunks (each counts `len(chunk)` captures)."""

    inputs: list[Path]
    releases: Path
    version: str | None = None
    strict: bool = False
    card_template: Path = DEFAULT_CARD_TEMPLATE
    previous: Path | str | None = LATEST
    released: str | None = None
    workers: int = 1
    cache_folder: Path | None = None
    citation: Path | None = None
    collections: list[tuple[Path, Path]] = field(default_factory=list)  # (description, folder) pairs to read
    progress: Callable[[Iterable], Iterable] = _unchanged
    timings: Timings = field(default_factory=Timings)


@dataclass
class BuildResult:
    path: Path
    report: dict
