"""Finding published releases in a releases folder: all of them in version order, the latest, one by version."""

from __future__ import annotations

from pathlib import Path

from builder.publish.versions import VersionError, parse_version


class ReleaseNotFound(Exception):
    """No release of that version (or at that path) exists; the message says which and where."""


def list_releases(releases: Path) -> list[Path]:
    """Published releases, oldest version first."""
    found = []
    for path in releases.glob("v*"):
        try:
            found.append((parse_version(path.name[1:]), path))
        except VersionError:
            continue
    return [path for _, path in sorted(found) if path.is_dir()]


def latest_release(releases: Path) -> Path:
    published = list_releases(releases)
    if not published:
        raise ReleaseNotFound(f"no release found in {releases}")
    return published[-1]


def find_release(release: str, releases: Path) -> Path:
    """A release given as a version (`0.2.1`), a tag (`v0.2.1`) or the path of a release folder."""
    path = Path(release)
    if path.is_dir() and path.name.startswith("v"):
        return path
    if "/" in release:
        raise ReleaseNotFound(f"{release!r} is not a release folder (a folder vX.Y.Z holding a release)")
    name = release if release.startswith("v") else f"v{release}"
    if not (releases / name).is_dir():
        raise ReleaseNotFound(f"no release {name} in {releases}")
    return releases / name
