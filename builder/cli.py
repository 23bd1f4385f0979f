"""`dprk-corpus`: a thin command line over the builder's Python API (`build_release`, `verify_release`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .release import BuildError, build_release
from .verify import list_releases, rebuild_differences, verify_release

app = typer.Typer(help="Build, check and publish the DPRK State Media Corpus.", no_args_is_help=True, add_completion=False)

RELEASES = typer.Option(Path("releases"), "--releases", help="Folder that holds the releases.")


def _progress(items):
    """A live count on a terminal; nothing in CI or when output is piped."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield from items
        return
    columns = (SpinnerColumn(), TextColumn("captures"), MofNCompleteColumn(), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("parse", total=None)
        for item in items:
            progress.advance(task)
            yield item


@app.command()
def build(
    inputs: list[Path] = typer.Argument(None, help="Directories of .txt captures and/or .jsonl(.gz) files [default: raw/]."),
    version: str = typer.Option(..., "--version", help="Version to publish, X.Y.Z."),
    releases: Path = RELEASES,
    strict: bool = typer.Option(False, "--strict", help="Fail, writing nothing, if any capture is not used."),
) -> None:
    """Parse raw captures and publish releases/vX.Y.Z/.

    Example: dprk-corpus build raw/ --version 0.2.0
    """
    try:
        result = build_release(inputs or [Path("raw")], version, releases, strict=strict, progress=_progress)
    except BuildError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1)
    counts = result.report["counts"]
    typer.echo(f"published {result.path}")
    typer.echo(
        f"captures read: {counts['captures_read']}  articles: {counts['articles']}  teasers: {counts['teasers']}  "
        f"merged: {counts['captures_merged']}  not used: {counts['rejected']}"
    )
    for reason, count in result.report["rejected_by_reason"].items():
        typer.echo(f"  not used, {reason}: {count}")
    if counts["conflicts"]:
        typer.echo(f"  articles whose captures disagree: {counts['conflicts']} (see build_report.json)")


@app.command()
def verify(
    release: str = typer.Argument(None, help="A version (0.1.0), a tag (v0.1.0) or a release folder [default: every release]."),
    releases: Path = RELEASES,
    rebuild: bool = typer.Option(False, "--rebuild", help="Also rebuild from raw/ and compare byte for byte."),
    raw: list[Path] = typer.Option([Path("raw")], "--raw", help="Inputs to rebuild from."),
) -> None:
    """Check checksums, schema and card of releases; with --rebuild, that raw/ rebuilds the latest (or the named)
    release byte for byte.

    Example: dprk-corpus verify 0.1.0 --rebuild
    """
    targets = [_release_path(release, releases)] if release else list_releases(releases)
    if not targets:
        typer.echo(f"error: no release found in {releases}", err=True)
        raise typer.Exit(1)
    failed = False
    for target in targets:
        problems = verify_release(target)
        rebuilt = rebuild and target == targets[-1] and not problems
        if rebuilt:
            try:
                problems = rebuild_differences(target, raw)
            except BuildError as error:
                problems = [f"{target.name}: cannot rebuild: {error}"]
        failed |= bool(problems)
        typer.echo(f"{target.name}: " + ("ok" + (", rebuilt byte-identical" if rebuilt else "") if not problems else "FAILED"))
        for problem in problems:
            typer.echo(f"  - {problem}")
    raise typer.Exit(1 if failed else 0)


def _release_path(release: str, releases: Path) -> Path:
    path = Path(release)
    if path.is_dir():
        return path
    name = release if release.startswith("v") else f"v{release}"
    if not (releases / name).is_dir():
        typer.echo(f"error: no release {name} in {releases}", err=True)
        raise typer.Exit(1)
    return releases / name
