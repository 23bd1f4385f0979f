"""Bodies kept on disk while captures are grouped, so memory holds only small per-capture facts."""

from __future__ import annotations

import os
from pathlib import Path

BodyRef = tuple[int, int, int]  # (writer process id, offset, length)


class BodyStore:
    """Append-only scratch files of UTF-8 texts in one folder, one file per writing process.

    Workers write the bodies they parse to their own file, so no body has to travel between processes; a body is
    addressed by (writer, offset, length) and read with positional reads (`os.pread`) by any process."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._writer: tuple[int, int] | None = None  # (pid, fd) of this process's own file
        self._end = 0
        self._readers: dict[int, int] = {}

    def _file(self, pid: int) -> Path:
        return self.folder / f".bodies-{pid}"

    def put(self, data: bytes) -> BodyRef:
        pid = os.getpid()
        if self._writer is None or self._writer[0] != pid:  # first write, or first in a forked process
            self._writer = (pid, os.open(self._file(pid), os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o600))
            self._end = 0
        os.pwrite(self._writer[1], data, self._end)
        where = (pid, self._end, len(data))
        self._end += len(data)
        return where

    def get(self, where: BodyRef) -> str:
        pid, offset, length = where
        if pid not in self._readers:
            self._readers[pid] = os.open(self._file(pid), os.O_RDONLY)
        return os.pread(self._readers[pid], length, offset).decode("utf-8")

    def close(self) -> None:
        for fd in self._readers.values():
            os.close(fd)
        self._readers = {}
        if self._writer is not None and self._writer[0] == os.getpid():
            os.close(self._writer[1])
        self._writer = None

    def remove_files(self) -> None:
        """Delete every process's file: the folder is the release being built, and bodies are not part of it."""
        self.close()
        for path in self.folder.glob(".bodies-*"):
            path.unlink()
