"""`dprk-corpus`: a thin command line over the builder's Python API (`build_release`, `verify_release`,
`diff_releases`, `Citation`). Every command takes `--releases DIR` (default `releases/`)."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from builder.publish.release import build_release
from builder.publish.release_index import release_citation
from builder.publish.releases import ReleaseNotFound, find_release, latest_release, list_releases
from builder.publish.request import (
    BuildError,
    BuildRequest,
    BuildResult,
    InterruptedAfterPublishing,
    NothingChanged,
)
from builder.publish.verify import rebuild_differences, unchecked, verify_release
from builder.publish.versioning import changes_between, diff_releases
from builder.read.collections import DescriptionError, description_of
from builder.run.memo import default_cache_folder
from builder.run.parallel import default_workers

app = typer.Typer(help="Build, check and cite the DPRK State Media Corpus.", no_args_is_help=True, add_completion=False)

RELEASES = typer.Option(Path("releases"), "--releases", help="Folder that holds the releases.")
WORKERS = typer.Option(default_workers(), "--workers", help="Processes that parse and check in parallel.")
CACHE = typer.Option(
    None,
    "--cache",
    help="Folder of the build memo, so the next build redoes only what changed (safe to delete) "
    "[default: $XDG_CACHE_HOME/dprk-corpus, else ~/.cache/dprk-corpus].",
)


def _progress(items):
    """A live count of captures on a terminal (each item counts `len(item)`); nothing in CI or when piped."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield from items
        return
    columns = (SpinnerColumn(), TextColumn("captures"), MofNCompleteColumn(), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("parse", total=None)
        for item in items:
            progress.advance(task, len(item))
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
        cache_folder=None if no_cache else (cache or default_cache_folder()),
        citation=citation,
        progress=_progress,
        collections=collections,
    )
    try:
        result = build_release(request)
    except NothingChanged as unchanged:
        typer.echo(str(unchanged))
        return
    except BuildError as error:
        _fail(str(error))
    except InterruptedAfterPublishing as late:
        typer.echo(f"interrupted once {late.release} was published; the index and {citation} point at it", err=True)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        typer.echo("interrupted; no release written, earlier releases are untouched", err=True)
        raise typer.Exit(130) from None
    if show_timings:
        typer.echo(
            json.dumps({stage: round(seconds, 3) for stage, seconds in request.timings.seconds.items()}), err=True
        )
    _print_summary(result)


def _collection(spec: str) -> tuple[Path, Path]:
    """`DESCRIPTION=FOLDER` of --collection, the description found (shipped, or a path)."""
    description, equals, folder = spec.partition("=")
    if not equals or not description or not folder:
        _fail(f"--collection {spec!r}: give DESCRIPTION=FOLDER (e.g. stiles_north-korea-news=path/to/its/folder)")
    try:
        return description_of(description), Path(folder)
    except DescriptionError as error:
        _fail(f"--collection: {error}")


def _print_summary(result: BuildResult) -> None:
    report = result.report
    counts = report["counts"]
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
) -> None:
    """Check checksums, schema, card, stored diff and Croissant file of releases; exit 0 only if all hold.

    Example: dprk-corpus verify 0.2.0 --rebuild
    """
    targets = [_release_path(release, releases)] if release else list_releases(releases)
    if not targets:
        _fail(f"no release found in {releases}")
    failed = False
    for target in targets:
        problems = verify_release(target)
        rebuilt = rebuild and target == targets[-1] and not problems
        if rebuilt:
            try:
                collections = [_collection(spec) for spec in collection]
                problems = rebuild_differences(target, raw, workers=workers, collections=collections)
            except BuildError as error:
                problems = [f"{target.name}: cannot rebuild: {error}"]
        failed |= bool(problems)
        typer.echo(
            f"{target.name}: " + ("ok" + (", rebuilt byte-identical" if rebuilt else "") if not problems else "FAILED")
        )
        for problem in problems:
            typer.echo(f"  - {problem}")
        for note in unchecked(target):
            typer.echo(f"  - {note}")
    raise typer.Exit(1 if failed else 0)


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
    result = diff_releases(old_path, new_path, changes_between(old_path, new_path))
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    typer.echo(f"{old_path.name} -> {new_path.name}: requires a {result.bump} step")
    header = f"{'config':<10} {'added':>8} {'removed':>8} {'changed':>8}  columns"
    typer.echo(header)
    for name, config in result.configs.items():
        columns = "; ".join(
            f"{what} {', '.join(items)}"
            for what, items in (
                ("+", config.columns_added),
                ("-", config.columns_removed),
                ("retyped", config.columns_retyped),
            )
            if items
        )
        typer.echo(
            f"{name:<10} {len(config.added):>8} {len(config.removed):>8} {len(config.changed):>8}  {columns or '—'}"
        )
        for column, count in sorted(config.changed_columns.items()):
            typer.echo(f"{'':<10} changed values in {column}: {count}")
    for bump, why in result.reasons():
        typer.echo(f"  {bump}: {why}")


@app.command()
def cite(
    version: str = typer.Argument(None, help="A version or release folder [default: the latest release]."),
    releases: Path = RELEASES,
    style: str = typer.Option("bibtex", "--format", help="bibtex, apa or cff."),
) -> None:
    """Print the citation of one exact version.

    Example: dprk-corpus cite 0.2.0 --format apa
    """
    if style not in ("bibtex", "apa", "cff"):
        _fail(f"--format must be bibtex, apa or cff, not {style!r}")
    target = _release_path(version, releases) if version else _latest(releases)
    typer.echo(release_citation(target).render(style), nl=False)


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
