"""A real `dprk-corpus build` killed at several moments: no release appears half-written, earlier releases stay
untouched, and the next build works without any clean-up."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.render import render_page
from builder.publish.release import build_release
from builder.publish.request import BuildRequest
from builder.publish.verify import verify_release

SCRIPT = Path(sys.executable).parent / "dprk-corpus"


def _corpus(path: Path, count: int) -> None:
    words = "the people of the country said on the day that the great new plan was a work for peace".split()
    with open(path, "w") as handle:
        for number in range(count):
            paragraphs = [" ".join(words[(number + k) % len(words) :] + words).capitalize() + "." for k in range(8)]
            text = render_page(
                shape="C",
                title=f"Report {number}",
                date=dt.date(2020, 1, 1) + dt.timedelta(days=number % 1500),
                source="KCNA.kp (En)",
                paragraphs=paragraphs,
            )
            handle.write(
                json.dumps({"text": text, "url": f"https://kcnawatch.org/newstream/{1600000000 + number}-7/r"}) + "\n"
            )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "captures.jsonl"
    _corpus(path, 4000)
    return path


@pytest.mark.parametrize(
    ("sig", "after"),
    [(signal.SIGKILL, 0.3), (signal.SIGINT, 1.2), (signal.SIGTERM, 2.0), (signal.SIGKILL, 2.6), (signal.SIGKILL, 3.2)],
)
def test_killed_build_leaves_no_partial_release(corpus, raw_copy, tmp_path, sig, after):
    releases = tmp_path / "releases"
    releases.mkdir()
    build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    before = _snapshot(releases / "v0.1.0")
    process = subprocess.Popen(
        [
            SCRIPT,
            "build",
            str(raw_copy),
            str(corpus),
            "--releases",
            str(releases),
            "--citation",
            str(tmp_path / "C.cff"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,  # its build memo goes there too
    )
    time.sleep(after)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr
    assert _snapshot(releases / "v0.1.0") == before
    published = sorted(p.name for p in releases.iterdir() if p.name.startswith("v"))
    if published == ["v0.1.0", "v0.2.0"]:  # the build finished before the signal arrived
        assert verify_release(releases / "v0.2.0") == []
    else:
        assert published == ["v0.1.0"]
        result = build_release(BuildRequest([raw_copy, corpus], releases))  # no manual clean-up needed
        assert result.path.name == "v0.2.0" and result.report["counts"]["articles"] == 4001
        assert verify_release(result.path) == []
    assert not (releases / ".build.partial").exists()


@pytest.mark.parametrize(("sig", "after"), [(signal.SIGTERM, 1.5), (signal.SIGINT, 2.5), (signal.SIGTERM, 3.0)])
def test_a_signal_to_the_whole_process_group_stops_the_build(corpus, tmp_path, sig, after):
    """Ctrl-C in a terminal, and systemd or `docker stop`, signal the workers as well as the build: the build still
    stops at once, without a traceback, and leaves no half-written release."""
    releases = tmp_path / "releases"
    releases.mkdir()
    process = subprocess.Popen(
        [
            SCRIPT,
            "build",
            str(corpus),
            "--releases",
            str(releases),
            "--citation",
            str(tmp_path / "C.cff"),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        start_new_session=True,
    )
    time.sleep(after)
    os.killpg(process.pid, sig)
    _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    published = sorted(p.name for p in releases.iterdir() if p.name.startswith("v"))
    assert published in ([], ["v0.1.0"]) and not (releases / ".build.partial").exists()
    assert process.returncode != 0 or published == ["v0.1.0"]
