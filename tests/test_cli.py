"""The `dprk-corpus` command end to end, run as a real subprocess where the console script matters."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO
from typer.testing import CliRunner

from builder import __version__
from builder.cli import app
from builder.publish.releases import list_releases

runner = CliRunner()


@pytest.fixture(autouse=True)
def _outside_the_repository(tmp_path, monkeypatch):
    """`build` rewrites `CITATION.cff` in the working directory by default: run every command in a scratch folder,
    so no test rewrites the repository's own file."""
    monkeypatch.chdir(tmp_path)


def test_console_script_builds_and_verifies(raw_copy, tmp_path):
    releases = tmp_path / "releases"
    releases.mkdir()
    script = Path(sys.executable).parent / "dprk-corpus"
    build = subprocess.run(
        [script, "build", str(raw_copy), "--version", "0.1.0", "--releases", str(releases)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr
    assert "captures read: 1  articles: 1  teasers: 20  links: 0  merged: 0  not used: 0" in build.stdout
    verify = subprocess.run(
        [script, "verify", "--rebuild", "--releases", str(releases), "--raw", str(raw_copy)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert verify.returncode == 0, verify.stdout
    assert "v0.1.0: ok, rebuilt byte-identical" in verify.stdout


def test_default_input_is_raw_in_the_working_directory(raw_copy, tmp_path, monkeypatch):
    (tmp_path / "releases").mkdir()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", "--version", "0.1.0"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "releases" / "v0.1.0" / "SHA256SUMS").is_file()


def test_summary_groups_rejects_by_reason(raw_copy, releases):
    (raw_copy / "a.txt").write_text("")
    (raw_copy / "b.txt").write_text(" \n")
    shutil.copy(FIXTURES / "shape_d_headless.txt", raw_copy / "c.txt")
    result = runner.invoke(app, ["build", str(raw_copy), "--version", "0.1.0", "--releases", str(releases)])
    assert result.exit_code == 0, result.output
    assert "not used: 3" in result.output
    assert "not used, empty: 2" in result.output and "not used, headless_no_url: 1" in result.output


def test_strict_exits_1_and_writes_nothing(raw_copy, releases):
    (raw_copy / "a.txt").write_text("")
    result = runner.invoke(app, ["build", str(raw_copy), "--version", "0.1.0", "--releases", str(releases), "--strict"])
    assert result.exit_code == 1
    assert "empty: 1" in result.output
    assert not (releases / "v0.1.0").exists()


def test_errors_are_messages_not_tracebacks(raw_copy, releases, tmp_path):
    cases = [
        ["build", str(raw_copy), "--version", "1.0", "--releases", str(releases)],
        ["build", str(tmp_path / "missing"), "--version", "1.0.0", "--releases", str(releases)],
        ["build", str(raw_copy), "--version", "1.0.0", "--releases", str(tmp_path / "missing")],
        ["build", str(raw_copy), "--releases", str(releases), "--workers", "0"],
        ["build", str(raw_copy), "--releases", str(releases), "--cache", str(raw_copy / "000_bc1de7ad9c5001b1.txt")],
        ["build", str(raw_copy), "--releases", str(releases), "--citation", str(tmp_path / "missing" / "C.cff")],
    ]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, args
        assert result.output.startswith("error: ")
        assert "Traceback" not in result.output
    assert not list(releases.glob("v*"))  # each refused before any work


def test_a_folder_that_is_not_a_release_is_named_as_such():
    result = runner.invoke(app, ["diff", "0.1.0", str(FIXTURES), "--releases", str(REPO / "releases")])
    assert result.exit_code == 1 and result.output.startswith(f"error: {str(FIXTURES)!r} is not a release folder")


def test_refuses_to_overwrite_a_release(raw_copy, releases):
    args = ["build", str(raw_copy), "--version", "0.1.0", "--releases", str(releases)]
    assert runner.invoke(app, args).exit_code == 0
    shutil.copy(FIXTURES / "naenara_credit.txt", raw_copy / "new.txt")
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "version 0.1.0 is not greater than the latest release 0.1.0" in result.output
    assert "smallest valid version is 0.2.0" in result.output


def test_verify_committed_releases():
    result = runner.invoke(app, ["verify", "--releases", str(REPO / "releases")])
    assert result.exit_code == 0, result.output
    assert "v0.1.0: ok" in result.output


def test_verify_of_a_committed_release_copied_alone_exits_0_and_names_the_diff_it_could_not_check(tmp_path):
    alone = tmp_path / "v0.4.0"
    shutil.copytree(REPO / "releases" / "v0.4.0", alone)
    result = runner.invoke(app, ["verify", str(alone)])
    assert result.exit_code == 0, result.output
    assert "v0.4.0: ok" in result.output
    assert "diff.json: not checked, since it compares with v0.3.0" in result.output


def test_verify_names_a_flipped_byte_and_a_missing_file(raw_copy, releases):
    runner.invoke(app, ["build", str(raw_copy), "--version", "0.1.0", "--releases", str(releases)])
    parquet = releases / "v0.1.0" / "articles" / "train-00000-of-00001.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF
    parquet.write_bytes(bytes(data))
    (releases / "v0.1.0" / "build_report.json").unlink()
    result = runner.invoke(app, ["verify", "0.1.0", "--releases", str(releases)])
    assert result.exit_code == 1
    assert "articles/train-00000-of-00001.parquet: checksum does not match SHA256SUMS" in result.output
    assert "build_report.json: listed in SHA256SUMS but missing" in result.output


def test_diff_on_the_committed_release_pair():
    result = runner.invoke(app, ["diff", "0.1.0", "0.2.0", "--releases", str(REPO / "releases")])
    assert result.exit_code == 0, result.output
    assert "v0.1.0 -> v0.2.0: requires a minor step" in result.output
    assert "articles          0        0        0  + newstream_id, publisher, language" in result.output
    as_json = runner.invoke(app, ["diff", "0.1.0", "0.2.0", "--json", "--releases", str(REPO / "releases")])
    assert json.loads(as_json.output) == json.loads((REPO / "releases/v0.2.0/diff.json").read_text())


def test_cite_formats():
    base = ["cite", "0.2.0", "--releases", str(REPO / "releases")]
    assert runner.invoke(app, base).output.startswith("@misc{dprk_state_media_corpus_v0_2_0,")
    assert "(Version 0.2.0) [Data set]" in runner.invoke(app, base + ["--format", "apa"]).output
    cff = yaml.safe_load(runner.invoke(app, base + ["--format", "CFF"]).output)  # any case
    assert cff["version"] == "0.2.0" and cff["date-released"] == "2026-11-27" and cff["license"] == "CC-BY-4.0"
    assert runner.invoke(app, base + ["--format", "RIS"]).output.startswith("TY  - DATA\n")
    assert json.loads(runner.invoke(app, base + ["--format", "csl-json"]).output)[0]["version"] == "0.2.0"
    first = runner.invoke(app, ["cite", "0.1.0", "--releases", str(REPO / "releases"), "--format", "apa"]).output
    assert "(2026)" in first  # dated by corpus.toml: its build report recorded no date
    wrong = runner.invoke(app, base + ["--format", "mla"])
    assert wrong.exit_code == 1 and "bibtex, apa, cff, ris, csl-json" in wrong.output
    latest = list_releases(REPO / "releases")[-1].name.replace(".", "_")
    assert runner.invoke(app, ["cite", "--releases", str(REPO / "releases")]).output.startswith(
        f"@misc{{dprk_state_media_corpus_{latest},"
    )
    bad = runner.invoke(app, base + ["--format", "mla"])
    assert bad.exit_code == 1 and "bibtex, apa, cff, ris, csl-json" in bad.output


def test_build_without_version_and_nothing_changed(raw_copy, releases, tmp_path):
    args = ["build", str(raw_copy), "--releases", str(releases), "--citation", str(tmp_path / "CITATION.cff")]
    first = runner.invoke(app, args)
    assert first.exit_code == 0 and "published" in first.output and "v0.1.0" in first.output
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "nothing changed since v0.1.0; no release written" in again.output
    assert sorted(p.name for p in releases.iterdir() if not p.name.startswith(".")) == ["README.md", "v0.1.0"]


def test_verify_rebuild_of_a_release_by_another_builder_names_the_version_to_install():
    result = runner.invoke(app, ["verify", "0.1.0", "--rebuild", "--releases", str(REPO / "releases")])
    assert result.exit_code == 1
    assert f"v0.1.0 was made by builder 0.1.0, this is builder {__version__}" in result.output
    assert '__version__ = "0.1.0"' in result.output


def test_ctrl_c_once_the_release_is_in_place_says_so_and_refreshes_the_index(raw_copy, releases, ctrl_c_after_rename):
    result = runner.invoke(app, ["build", str(raw_copy), "--version", "0.1.0", "--releases", str(releases)])
    assert result.exit_code == 130
    assert "interrupted once" in result.output and "v0.1.0 was published" in result.output
    assert "v0.1.0" in (releases / "README.md").read_text() and "0.1.0" in Path("CITATION.cff").read_text()


def test_a_build_run_from_another_folder_writes_nothing_there(raw_copy, tmp_path, monkeypatch):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    (project / "releases").mkdir(parents=True)
    elsewhere.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["build", str(raw_copy), "--releases", str(project / "releases")])
    assert result.exit_code == 0, result.output
    assert list(elsewhere.iterdir()) == []
    assert sorted(path.name for path in project.iterdir()) == ["CITATION.cff", "releases"]
    assert sorted(path.name for path in (project / "releases").iterdir()) == ["README.md", "v0.1.0"]
    (memo,) = (tmp_path / "xdg-cache" / "dprk-corpus").iterdir()  # the build memo, in the user's cache folder
    assert memo.name.startswith(f"memo-{__version__}-") and (memo / "links.duckdb").is_file()


HEAVY = ("pandas", "pandera", "duckdb", "datasets", "pyarrow")
RELEASES_ARGS = ["--releases", str(REPO / "releases")]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["verify", "--help"],
        ["cite", "0.4.0", *RELEASES_ARGS],
        ["diff", "0.3.0", "0.4.0", *RELEASES_ARGS],  # neighbours: the stored diff is read, not computed
    ],
)
def test_quick_commands_import_none_of_the_heavy_libraries(args):
    """Start-up is held by what is imported, not by a clock: the heavy libraries take about a second."""
    script = (
        "import sys\n"
        f"sys.argv = ['dprk-corpus', *{args!r}]\n"
        "from builder.cli import app\n"
        "try:\n    app()\nexcept SystemExit as exit:\n    code = exit.code\n"
        f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules), 'CODE', code)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert "HEAVY [] CODE 0" in result.stdout, result.stdout + result.stderr


def test_version_and_short_help():
    assert runner.invoke(app, ["--version"]).output == f"dprk-corpus {__version__}\n"
    assert "Usage:" in runner.invoke(app, ["-h"]).output and "Usage:" in runner.invoke(app, ["build", "-h"]).output


def test_build_and_verify_speak_json_for_scripts(raw_copy, releases):
    build = runner.invoke(app, ["build", str(raw_copy), "--releases", str(releases), "--json"])
    assert build.exit_code == 0, build.output
    summary = json.loads(build.output)
    assert summary["version"] == "0.1.0" and summary["counts"]["articles"] == 1 and summary["bump"] == "initial"
    verify = runner.invoke(app, ["verify", "--releases", str(releases), "--json"])
    assert verify.exit_code == 0
    assert json.loads(verify.output) == [
        {"release": "v0.1.0", "ok": True, "rebuilt": False, "problems": [], "not_checked": []}
    ]


def test_progress_off_a_terminal_is_a_plain_line_now_and_then(monkeypatch, capsys):
    import builder.cli as cli

    monkeypatch.setattr(cli, "PLAIN_PROGRESS_SECONDS", 0.0)
    chunks = [[1, 2], [3], [4, 5, 6]]
    assert list(cli._plain_progress(iter(chunks))) == chunks
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" in ")[0] for line in lines] == ["parsed 2 captures", "parsed 3 captures", "parsed 6 captures"]
