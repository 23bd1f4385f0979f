"""Shared fixtures: the seed capture and the small shape fixtures written from ../shared/docs/raw-pages.md."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import types
from pathlib import Path

import pytest

import builder.extract.parse.dates as dates
import builder.publish.release as release_module
from builder.extract.capture import ParsedCapture, attach, parse_bytes
from builder.records import Capture, Rejected

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = REPO / "raw" / "000_bc1de7ad9c5001b1.txt"
SEED_URL = json.loads(SEED.with_suffix(".json").read_text())["url"]


def extract(capture: Capture) -> ParsedCapture | Rejected:
    """One capture through the extract step, as a worker takes it (`run.stages.extract_chunk`)."""
    return attach(capture, parse_bytes(capture.raw, capture.text))


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def user_cache_folder(tmp_path_factory, monkeypatch) -> Path:
    """Builds the tests run keep their memo in a scratch cache folder, not the user's."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A copy of the repository's raw/ folder (the seed and its sidecar)."""
    target = tmp_path / "raw"
    shutil.copytree(REPO / "raw", target)
    return target


@pytest.fixture
def releases(tmp_path: Path) -> Path:
    folder = tmp_path / "releases"
    folder.mkdir()
    return folder


@pytest.fixture
def ctrl_c_after_rename(releases, monkeypatch):
    """A Ctrl-C that arrives just after a build renamed its release into `releases`, before it is read-only."""
    real = release_module._sync_dir

    def interrupted(folder):
        if folder == releases:
            os.kill(os.getpid(), signal.SIGINT)
        real(folder)

    monkeypatch.setattr(release_module, "_sync_dir", interrupted)


# 20:00 UTC on 1 December 2026: 05:00 on 2 December in Pyongyang.
EVENING_IN_UTC = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def evening_in_utc(monkeypatch):
    """The clock of a builder in UTC at `EVENING_IN_UTC`, when Pyongyang's date is a day ahead (for the dates of
    pages, `parse.dates`)."""

    class FrozenDatetime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return EVENING_IN_UTC.astimezone(tz)

    class FrozenDate(dt.date):
        @classmethod
        def today(cls):
            return dt.date(2026, 12, 1)

    monkeypatch.setattr(dates, "dt", types.SimpleNamespace(datetime=FrozenDatetime, date=FrozenDate))
    return EVENING_IN_UTC
