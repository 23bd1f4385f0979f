"""How the build memo knows an input unit again: by its name and a hash of its files' bytes, and without reading
them while the file system says they are as they were when they were hashed."""

from __future__ import annotations

import json
import os
import time

import xxhash

from builder.read import Unit
from builder.records import MAX_CAPTURE_BYTES

SETTLED_SECONDS = 2.0  # a file changed this recently may change again within the file system's clock tick
_HASH_BLOCK = 8 * 1024 * 1024


def unit_key(unit: Unit) -> str | None:
    """The unit's name and a hash of its files' bytes (xxh3-128: a cache key, and hashing a million captures with
    SHA-256 would cost more than this memo saves); None for a unit that cannot be hashed (a file that cannot be
    read, or a capture file too large to be a capture), which is then always read again."""
    if not unit.files:
        return None
    digest = xxhash.xxh3_128(unit.name.encode() + b"\0")
    for path in unit.files:
        try:
            if path == unit.capture_file and path.stat().st_size > MAX_CAPTURE_BYTES:
                return None
            with open(path, "rb") as handle:
                digest.update(b"\1")
                while block := handle.read(_HASH_BLOCK):
                    digest.update(block)
        except FileNotFoundError:
            if os.path.lexists(path):  # a broken link: the reader says so, and may not later
                return None
            digest.update(b"\2")  # no sidecar
        except OSError:
            return None
    return digest.hexdigest()


def file_stats(unit: Unit) -> str | None:
    """What the file system says of the unit's files (size, modification and change times in ns, inode; null for
    a missing sidecar): while it says the same, their bytes are the same, since every write moves the change time,
    which no program can set back. None when a file changed too recently to be sure it will not change again within
    the same clock tick, or cannot be looked at."""
    stats, settled = [], time.time_ns() - int(SETTLED_SECONDS * 1e9)
    for path in unit.files:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            if os.path.lexists(path):
                return None
            stats.append(None)
            continue
        except OSError:
            return None
        if stat.st_ctime_ns > settled or stat.st_mtime_ns > settled:
            return None
        stats.append([stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino])
    return json.dumps(stats)
