"""Bodies kept on disk while captures are grouped, so memory holds only small per-capture facts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class BodyStore:
    """An append-only scratch file of UTF-8 texts, addressed by (offset, length).

    Reads are positional (`os.pread`), so worker processes forked after the store was opened can read from it
    at the same time without sharing a file position."""

    def __init__(self, folder: Path):
        self._file = tempfile.NamedTemporaryFile(dir=folder, prefix=".bodies-")
        self._fd = self._file.fileno()
        self._end = 0

    @property
    def path(self) -> str:
        """Where worker processes open the store to read it (`BodyStore.reader`)."""
        return self._file.name

    @classmethod
    def reader(cls, path: str) -> BodyStore:
        store = cls.__new__(cls)
        store._file = open(path, "rb")
        store._fd = store._file.fileno()
        store._end = os.fstat(store._fd).st_size
        return store

    def put(self, text: str) -> tuple[int, int]:
        data = text.encode("utf-8")
        os.pwrite(self._fd, data, self._end)
        where = (self._end, len(data))
        self._end += len(data)
        return where

    def get(self, where: tuple[int, int]) -> str:
        offset, length = where
        return os.pread(self._fd, length, offset).decode("utf-8")

    def close(self) -> None:
        self._file.close()
