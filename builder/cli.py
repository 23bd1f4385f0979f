"""`dprk-corpus`: a thin command line over the builder's Python API (`build_release`, `verify_release`,
`diff_releases`, `Citation`). Every command takes `--releases DIR` (default `releases/`)."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import typer

from builder.publish.releases import ReleaseNotFound, find_release, latest_release, list_releases
from builder.publish.request import (
    BuildError,
    BuildRequest,
    BuildResult,
    InterruptedAfterPublishing,
    NothingChanged,
)
from builder.publish.versions import stored_diff
from builder.run.parallel import default_workers

# The libraries behind building, checking and diffing (pyarrow, pandas, pandera, DuckDB, datasets) take about a
# second to import: each command imports what it needs when it runs, so that `--help`, `cite`, `diff` of two
# neighbouring releases and `--version` start at once (`tests/test_cli.py` holds them to that).

app = typer.Typer(
    help="Build, check and cite the DPRK State Media Corpus.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(asked: bool) -> None:
    if asked:
        from builder import __version__

        typer.echo(f"dprk-corpus {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the builder's version and exit."
    ),
) -> None:
    """Build, check and cite the DPRK State Media Corpus (`build --version X.Y.Z` names the release to publish)."""


RELEASES = typer.Option(Path("releases"), "--releases", help="Folder that holds the releases.")
WORKERS = typer.Option(default_workers(), "--workers", help="Processes that parse and check in parallel.")
CACHE = typer.Option(
    None,
    "--cache",
    help="Folder of the build memo, so the next build redoes only what changed (safe to delete) "
    "[default: $XDG_CACHE_HOME/dprk-corpus, else ~/.cache/dprk-corpus].",
)


PLAIN_PROGRESS_SECONDS = 10.0  # when not on a terminal, a line of progress at most this often


def _progress(items):
    """A live count of captures on a terminal (each item counts `len(item)`); when stderr is not a terminal (CI, a
    log file), a plain line now and then instead."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield from _plain_progress(items)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("captures"), MofNCompleteColumn(), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("parse", total=None)
        for item in items:
            progress.advance(task, len(item))
            yield item


def _plain_progress(items):
    import time

    started = last = time.monotonic()
    done = 0
    for item in items:
        done += len(item)
        now = time.monotonic()
        if now - last >= PLAIN_PROGRESS_SECONDS:
            typer.echo(f"parsed {done:,} captures in {now - started:.0f} s", err=True)
            last = now
        yield item


def _exit_on_sigterm(signum, frame) -> None:
    """SIGTERM unwinds like Ctrl-C, so the half-built release is removed on the way out."""
    raise KeyboardInterrupt


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@app.command()
def build(
    inputs: list[Path] = typer.Argument(
        None, help="Folders of captures (every file is read or reported) and/or .jsonl(.gz) files [default: raw/]."
    ),
    version: str = typer.Option(
        None, "--version", help="Version to publish, X.Y.Z [default: the smallest the change allows]."
    ),
    releases: Path = RELEASES,
    strict: bool = typer.Option(False, "--strict", help="Fail, writing nothing, if any capture is not used."),
    citation: Path = typer.Option(
        None,
        "--citation",
        help="The project's CITATION.cff to point at the new release [default: the one beside the releases folder].",
    ),
    workers: int = WORKERS,
    cache: Path = CACHE,
    no_cache: bool = typer.Option(False, "--no-cache", help="Build from nothing, and keep nothing for the next build."),
    show_timings: bool = typer.Option(False, "--timings", help="Print seconds per stage to stderr."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON (path, version, step, counts)."),
    collection: list[str] = typer.Option(
        [],
        "--collection",
        help="DESCRIPTION=FOLDER: read FOLDER as the collection DESCRIPTION (a name in collections/ or a .toml).",
    ),
) -> None:
    """Parse raw captures and publish releases/vX.Y.Z/, then refresh releases/README.md and CITATION.cff.

    Example: dprk-corpus build raw/ --version 0.3.0

    Example: dprk-corpus build --collection stiles_north-korea-news=../shared/realdata/stiles_north-korea-news
    """
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    collections = [_collection(spec) for spec in collection]
    citation = citation or releases.absolute().parent / "CITATION.cff"  # the project the releases belong to
    request = BuildRequest(
        inputs or ([] if collections else [Path("raw")]),
        releases,
        version=version,
        strict=strict,
        workers=workers,
        cache_folder=None if no_cache else (cache or _default_cache_folder()),
        citation=citation,
        progress=_progress,
        collections=collections,
    )
    result = _published(request)
    if result is None:
        return
    if show_timings:
        typer.echo(
            json.dumps({stage: round(seconds, 3) for stage, seconds in request.timings.seconds.items()}), err=True
        )
    _print_summary(result, as_json)


def _published(request: BuildRequest) -> BuildResult | None:
    """The build's result; None when nothing changed. Errors and interruptions end the command with their message."""
    try:
        from builder.publish.release import build_release  # the heavy libraries: Ctrl-C while they load is caught

        return build_release(request)
    except NothingChanged as unchanged:
        typer.echo(str(unchanged))
        return None
    except BuildError as error:
        _fail(str(error))
    except InterruptedAfterPublishing as late:
        message = f"interrupted once {late.release} was published; the index and {request.citation} point at it"
        typer.echo(message, err=True)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        typer.echo("interrupted; no release written, earlier releases are untouched", err=True)
        raise typer.Exit(130) from None


def _default_cache_folder() -> Path:
    """The user's cache folder (XDG), never the working folder: a build run anywhere writes nothing there."""
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache") / "dprk-corpus"


def _collection(spec: str) -> tuple[Path, Path]:
    """`DESCRIPTION=FOLDER` of --collection, the description found (shipped, or a path)."""
    from builder.read.collections import DescriptionError, description_of

    description, equals, folder = spec.partition("=")
    if not equals or not description or not folder:
        _fail(f"--collection {spec!r}: give DESCRIPTION=FOLDER (e.g. stiles_north-korea-news=path/to/its/folder)")
    try:
        return description_of(description), Path(folder)
    except DescriptionError as error:
        _fail(f"--collection: {error}")


def _print_summary(result: BuildResult, as_json: bool) -> None:
    report = result.report
    counts = report["counts"]
    if as_json:
        fields = ("version", "previous", "bump", "counts", "rejected_by_reason")
        typer.echo(json.dumps({"path": str(result.path), **{name: report[name] for name in fields}}, indent=2))
        return
    step = f"{report['bump']} step from v{report['previous']}" if report["previous"] else "first release"
    typer.echo(f"published {result.path} ({step})")
    typer.echo(
        f"captures read: {counts['captures_read']}  articles: {counts['articles']}  teasers: {counts['teasers']}  "
        f"links: {counts['links']}  merged: {counts['captures_merged']}  not used: {counts['rejected']}"
    )
    for reason, count in report["rejected_by_reason"].items():
        typer.echo(f"  not used, {reason}: {count}")
    if counts["conflicts"]:
        typer.echo(f"  articles whose captures disagree: {counts['conflicts']} (see build_report.json)")


@app.command()
def verify(
    release: str = typer.Argument(
        None, help="A version (0.1.0), a tag (v0.1.0) or a release folder [default: every release]."
    ),
    releases: Path = RELEASES,
    rebuild: bool = typer.Option(
        False, "--rebuild", help="Also rebuild the latest (or the named) release and compare byte for byte."
    ),
    raw: list[Path] = typer.Option([Path("raw")], "--raw", help="Inputs to rebuild from."),
    collection: list[str] = typer.Option(
        [], "--collection", help="DESCRIPTION=FOLDER: a collection the release was built from, to rebuild it."
    ),
    workers: int = WORKERS,
    as_json: bool = typer.Option(False, "--json", help="Print each release's outcome as JSON, for scripts."),
) -> None:
    """Check checksums, schema, card, stored diff and Croissant file of releases; exit 0 only if all hold.

    Example: dprk-corpus verify 0.2.0 --rebuild
    """
    from builder.publish.verify import rebuild_differences, unchecked, verify_release

    targets = [_release_path(release, releases)] if release else list_releases(releases)
    if not targets:
        _fail(f"no release found in {releases}")
    outcomes = []
    for target in targets:
        problems = verify_release(target)
        rebuilt = rebuild and target == targets[-1] and not problems
        if rebuilt:
            try:
                collections = [_collection(spec) for spec in collection]
                problems = rebuild_differences(target, raw, workers=workers, collections=collections)
            except BuildError as error:
                problems = [f"{target.name}: cannot rebuild: {error}"]
        outcome = {"release": target.name, "ok": not problems, "rebuilt": rebuilt and not problems}
        outcomes.append({**outcome, "problems": problems, "not_checked": unchecked(target)})
        if not as_json:
            _print_verified(outcomes[-1])
    if as_json:
        typer.echo(json.dumps(outcomes, indent=2, ensure_ascii=False))
    failed = not all(outcome["ok"] for outcome in outcomes)
    raise typer.Exit(1 if failed else 0)


def _print_verified(outcome: dict) -> None:
    rebuilt = ", rebuilt byte-identical" if outcome["rebuilt"] else ""
    typer.echo(f"{outcome['release']}: " + (f"ok{rebuilt}" if outcome["ok"] else "FAILED"))
    for line in outcome["problems"] + outcome["not_checked"]:
        typer.echo(f"  - {line}")


@app.command()
def diff(
    old: str = typer.Argument(..., help="The older release: a version or a release folder."),
    new: str = typer.Argument(..., help="The newer release: a version or a release folder."),
    releases: Path = RELEASES,
    as_json: bool = typer.Option(False, "--json", help="Print the full diff, with every id, as JSON."),
) -> None:
    """What changed between two releases: records added, removed and changed, columns, the version step required.

    Example: dprk-corpus diff 0.1.0 0.2.0
    """
    old_path, new_path = _release_path(old, releases), _release_path(new, releases)
    result = stored_diff(old_path, new_path)
    if result is None:  # not neighbours: computed
        from builder.publish.versioning import changes_between, diff_releases

        result = diff_releases(old_path, new_path, changes_between(old_path, new_path)).to_json()
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    typer.echo(f"{old_path.name} -> {new_path.name}: requires a {result['bump']} step")
    typer.echo(f"{'config':<10} {'added':>8} {'removed':>8} {'changed':>8}  columns")
    for name, config in result["configs"].items():
        columns = "; ".join(
            f"{what} {', '.join(config[key])}"
            for what, key in (("+", "columns_added"), ("-", "columns_removed"), ("retyped", "columns_retyped"))
            if config[key]
        )
        added, removed, changed = (len(config[key]) for key in ("added", "removed", "changed"))
        typer.echo(f"{name:<10} {added:>8} {removed:>8} {changed:>8}  {columns or '—'}")
        for column, count in sorted(config["changed_columns"].items()):
            typer.echo(f"{'':<10} changed values in {column}: {count}")
    for why in result["reasons"]:
        typer.echo(f"  - {why}")


@app.command()
def cite(
    version: str = typer.Argument(None, help="A version or release folder [default: the latest release]."),
    releases: Path = RELEASES,
    style: str = typer.Option("bibtex", "--format", help="bibtex, apa, cff, ris or csl-json (any case)."),
) -> None:
    """Print the citation of one exact version.

    Example: dprk-corpus cite 0.2.0 --format apa
    """
    from builder.publish.citation import STYLES
    from builder.publish.corpus import CorpusConfigError
    from builder.publish.release_index import release_citation

    style = style.lower()
    if style not in STYLES:
        _fail(f"--format must be one of {', '.join(STYLES)}, not {style!r}")
    target = _release_path(version, releases) if version else _latest(releases)
    try:
        typer.echo(release_citation(target).render(style), nl=False)
    except CorpusConfigError as error:
        _fail(str(error))


def _release_path(release: str, releases: Path) -> Path:
    try:
        return find_release(release, releases)
    except ReleaseNotFound as missing:
        _fail(str(missing))


def _latest(releases: Path) -> Path:
    try:
        return latest_release(releases)
    except ReleaseNotFound as missing:
        _fail(str(missing))


@app.command()
def export(
    version: str = typer.Argument(..., help="A version or release folder."),
    releases: Path = RELEASES,
    fmt: str = typer.Option("sqlite", "--format", help="sqlite (with full-text search), csv or jsonl."),
    output: Path = typer.Option(..., "--output", help="The database file (sqlite) or folder (csv, jsonl) to write."),
) -> None:
    """Write a release as SQLite (a table a config, full-text index `articles_fts`), CSV or JSON lines.

    Example: dprk-corpus export 0.4.2 --format sqlite --output corpus.db
    """
    from builder.publish.export import FORMATS, ExportError, export_release

    fmt = fmt.lower()
    if fmt not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    try:
        counts = export_release(_release_path(version, releases), fmt, output)
    except ExportError as error:
        _fail(str(error))
    typer.echo(f"wrote {output}: " + ", ".join(f"{config} {count}" for config, count in counts.items()))


@app.command()
def serve(
    database: Path = typer.Argument(Path("corpus.db"), help="A database written by `export --format sqlite`."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (this machine only by default)."),
    port: int = typer.Option(8001, "--port", help="Port to listen on."),
) -> None:
    """Browse and search an exported release in Datasette, read-only (needs `pip install '.[browse]'`).

    Example: dprk-corpus serve corpus.db --port 8001
    """
    import subprocess
    import tempfile

    from builder.publish.browse import BrowseError, serve_command

    with tempfile.TemporaryDirectory(prefix="dprk-corpus-serve-") as scratch:
        try:
            command = serve_command(database, Path(scratch) / "metadata.json", host, port)
        except BrowseError as error:
            _fail(str(error))
        typer.echo(f"serving {database} read-only at http://{host}:{port}/ (Ctrl-C stops)")
        try:
            raise typer.Exit(subprocess.call(command))
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
