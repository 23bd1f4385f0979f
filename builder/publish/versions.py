"""Version numbers and what a release folder says of itself, without the libraries a diff needs: the command line
reads them on start-up (finding releases, citing, a stored diff), which must stay quick.

The version policy itself (which change needs which step) is `versioning`'s; here are its numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

BUMPS = ("none", "patch", "minor", "major")


class VersionError(Exception):
    """A requested version that the policy does not allow; the message gives the smallest valid one."""


def parse_version(version: str) -> tuple[int, int, int]:
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() and (p == "0" or not p.startswith("0")) for p in parts):
        raise VersionError(f"version {version!r} is not of the form X.Y.Z (e.g. 0.1.0)")
    return tuple(int(p) for p in parts)


def format_version(parts: tuple[int, int, int]) -> str:
    return ".".join(map(str, parts))


def bump_version(version: str, bump: str) -> str:
    major, minor, patch = parse_version(version)
    if bump == "major":
        return format_version((major + 1, 0, 0))
    if bump == "minor":
        return format_version((major, minor + 1, 0))
    return format_version((major, minor, patch + 1))


def bump_between(old: str, new: str) -> str:
    """The kind of step from one version to a greater one."""
    o, n = parse_version(old), parse_version(new)
    return "major" if n[0] > o[0] else "minor" if n[1] > o[1] else "patch"


def choose_version(requested: str | None, latest: str | None, required: str) -> str:
    """The version to publish: `requested` if the policy allows it, else the smallest valid one when none was asked."""
    if latest is None:
        if requested is None:
            return "0.1.0"
        parse_version(requested)
        return requested
    smallest = bump_version(latest, required)
    if requested is None:
        return smallest
    if parse_version(requested) <= parse_version(latest):
        raise VersionError(
            f"version {requested} is not greater than the latest release {latest}; the smallest valid version is "
            f"{smallest}"
        )
    step = bump_between(latest, requested)
    if BUMPS.index(step) < BUMPS.index(required):
        raise VersionError(
            f"version {requested} is a {step} step from {latest}, but the change requires a {required} step; the "
            f"smallest valid version is {smallest}"
        )
    return requested


def read_report(release: Path) -> dict:
    return json.loads((release / "build_report.json").read_text(encoding="utf-8"))


def stored_diff(old: Path, new: Path) -> dict | None:
    """The diff `new` stored when it was made from `old` (`diff.json`), if it was: what `diff_releases` of the two
    gives (`verify` checks that it does), read instead of computed."""
    path = new / "diff.json"
    if not path.is_file() or not (old / "build_report.json").is_file():
        return None
    stored = json.loads(path.read_text(encoding="utf-8"))
    return stored if stored.get("from") == read_report(old)["version"] and "configs" in stored else None
