"""`SHA256SUMS`: the checksum of every file of a release, as `sha256sum -c` reads them."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(release: Path, known: dict[str, str] | None = None) -> None:
    """`SHA256SUMS` over every other file of the release, sorted by path, `sha256sum -c` compatible. `known` gives
    the digests of files hashed already (by path in the release), so a gigabyte of shards is not read twice."""
    files = sorted(
        path.relative_to(release).as_posix()
        for path in release.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS"
    )
    known = known or {}
    lines = [f"{known.get(name) or sha256_file(release / name)}  {name}\n" for name in files]
    (release / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def read_checksums(release: Path) -> dict[str, str]:
    """{path in the release: sha256} from its `SHA256SUMS`."""
    sums = {}
    for line in (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        sums[name] = digest
    return sums
