"""Bodies kept on disk while captures are grouped, so memory holds only small per-capture facts (and, in a store of
the merge's own, the pickled articles while they are ordered)."""

from __future__ import annotations

import os
from pathlib import Path

BodyRef = tuple[str, int, int]  # (file, relative to the store's root; offset; length)


class BodyStore:
    """Append-only files of UTF-8 texts below one root folder, one file per writing process.

    Workers write the bodies they parse to their own file in `folder` (relative to `root`), so no body has to
    travel between processes; a body is addressed by (file, offset, length) and read with positional reads
    (`os.pread`) by any process. Files written by earlier builds below the same root (the build memo's segments)
    are read the same way."""

    def __init__(self, root: Path, folder: str = ""):
        self.root = root
        self.folder = folder
        self._writer: tuple[int, int, str] | None = None  # (pid, fd, file name) of this process's own file
        self._end = 0
        self._readers: dict[str, int] = {}

    def put(self, data: bytes) -> BodyRef:
        pid = os.getpid()
        if self._writer is None or self._writer[0] != pid:  # first write, or first in a forked process
            name = os.path.join(self.folder, f".bodies-{pid}")
            self._writer = (pid, os.open(self.root / name, os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o600), name)
            self._end = 0
        os.pwrite(self._writer[1], data, self._end)
        where = (self._writer[2], self._end, len(data))
        self._end += len(data)
        return where

    def get(self, where: BodyRef) -> str:
        return self.get_bytes(where).decode("utf-8")

    def get_bytes(self, where: BodyRef) -> bytes:
        name, offset, length = where
        if name not in self._readers:
            self._readers[name] = os.open(self.root / name, os.O_RDONLY)
        return os.pread(self._readers[name], length, offset)

    def close(self) -> None:
        for fd in self._readers.values():
            os.close(fd)
        self._readers = {}
        if self._writer is not None and self._writer[0] == os.getpid():
            os.close(self._writer[1])
        self._writer = None

    def remove_files(self) -> None:
        """Delete every process's file in `folder`: when the store is the release being built, bodies are not part
        of it."""
        self.close()
        for path in (self.root / self.folder).glob(".bodies-*"):
            path.unlink()
