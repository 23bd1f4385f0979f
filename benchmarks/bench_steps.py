"""Microseconds a capture for each step a worker takes in the first pass of a build, on one core. Prints figures.

    .venv/bin/python -m benchmarks.bench_steps --workdir /tmp/dprk-bench

Parsing is most of a build's time, and a whole build varies by ~15% from run to run on this machine, more than
most changes to the parser save. Each step here runs over the same few thousand captures of the synthetic corpus
(`benchmarks/synthetic.py`, as `bench_build` makes it), several times, and the least time is printed. To compare two
versions of the builder, run this alternately in two work trees a few times each (`cd <tree> && <venv>/bin/python
-m benchmarks.bench_steps ...`: `-m` imports `builder` from the current folder) and compare the least figures.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

from benchmarks.bench_build import corpus
from builder.bodystore import BodyStore
from builder.extract.capture import ParsedCapture, attach, parse_bytes, stash_body
from builder.extract.decode import decode_capture
from builder.extract.parse import ParseReject, parse_page
from builder.merge.capture_index import SentTeasers, index_captures
from builder.read import load, locate_inputs
from builder.records import Capture

CHUNK = 256  # as a build's chunks


def least_seconds(step: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return best


def _decoded_texts(captures: list[Capture]) -> list[str]:
    texts = []
    for capture in captures:
        try:
            texts.append(decode_capture(capture.raw, capture.text).text)
        except ParseReject:
            pass
    return texts


def _parse_all(texts: list[str]) -> None:
    for text in texts:
        try:
            parse_page(text)
        except ParseReject:
            pass


def step_figures(jsonl: Path, captures: int, repeats: int, scratch: Path) -> dict[str, float]:
    """Least microseconds a capture of each step, over the first `captures` lines of `jsonl`."""
    located = list(islice(locate_inputs([jsonl]), captures))
    loaded = [capture for capture in map(load, located) if isinstance(capture, Capture)]
    texts = _decoded_texts(loaded)
    parsed = [parse_bytes(capture.raw, capture.text) for capture in loaded]
    attached = [attach(capture, result, "unit") for capture, result in zip(loaded, parsed)]
    usable = [capture for capture in attached if isinstance(capture, ParsedCapture)]
    (scratch / "store").mkdir()
    store = BodyStore(scratch, "store")
    stashed = [stash_body(store, capture) for capture in usable]
    steps = {
        "load (read the line, JSON)": lambda: [load(item) for item in located],
        "decode": lambda: _decoded_texts(loaded),
        "parse_page": lambda: _parse_all(texts),
        "attach (URL, capture digest)": lambda: [  # a new Capture each time: it caches its digest
            attach(Capture(c.input, c.raw, url=c.url), p, "unit") for c, p in zip(loaded, parsed)
        ],
        "stash (body store, body digest)": lambda: [stash_body(store, capture) for capture in usable],
        "index rows": lambda: [
            index_captures(stashed[at : at + CHUNK], SentTeasers()) for at in range(0, len(stashed), CHUNK)
        ],
    }
    figures = {name: least_seconds(step, repeats) / len(located) * 1e6 for name, step in steps.items()}
    store.close()
    return figures


def interleaved_figures(jsonl: Path, captures: int, repeats: int, scratch: Path) -> dict[str, float]:
    """Least microseconds a capture of the same steps run one capture after another, as `pipeline.extract_chunk`
    runs them (index rows once a chunk, with one `SentTeasers` for the run, as a worker keeps it): a step alone in
    a loop over the same captures runs quicker than in the middle of the others."""
    located = list(islice(locate_inputs([jsonl]), captures))
    (scratch / "interleaved").mkdir()
    store = BodyStore(scratch, "interleaved")
    names = [
        "load (read the line, JSON)",
        "decode and parse_page",
        "attach (URL, capture digest)",
        "stash (body store, body digest)",
        "index rows",
    ]
    best = dict.fromkeys(names, float("inf"))
    clock = time.perf_counter
    for _ in range(repeats):
        seconds = dict.fromkeys(names, 0.0)
        sent = SentTeasers()
        for at in range(0, len(located), CHUNK):
            stashed = []
            for item in located[at : at + CHUNK]:
                started = clock()
                capture = load(item)
                loaded = clock()
                seconds[names[0]] += loaded - started
                if not isinstance(capture, Capture):
                    continue
                parsed = parse_bytes(capture.raw, capture.text)
                parsed_at = clock()
                attached = attach(capture, parsed, "unit")
                attached_at = clock()
                seconds[names[1]] += parsed_at - loaded
                seconds[names[2]] += attached_at - parsed_at
                if isinstance(attached, ParsedCapture):
                    stashed.append(stash_body(store, attached))
                    seconds[names[3]] += clock() - attached_at
            started = clock()
            index_captures(stashed, sent)
            seconds[names[4]] += clock() - started
        best = {name: min(best[name], seconds[name]) for name in names}
    store.close()
    return {name: value / len(located) * 1e6 for name, value in best.items()}


def sample_arguments(description: str) -> argparse.ArgumentParser:
    """The options of a benchmark that times a sample of the synthetic corpus (`bench_steps`, `bench_bounds`)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "dprk-bench")
    parser.add_argument("--corpus-captures", type=int, default=10_000, help="Size of the corpus to take captures from.")
    parser.add_argument("--repeats", type=int, default=3)
    return parser


def main() -> None:
    parser = sample_arguments(__doc__)
    parser.add_argument("--captures", type=int, default=3_000, help="Captures each step runs over.")
    options = parser.parse_args()
    gc.disable()  # as a build runs its workers (`pipeline.write_data`)
    folder = options.workdir / f"corpus-{options.corpus_captures}"
    corpus(folder, options.corpus_captures)
    with tempfile.TemporaryDirectory() as scratch:
        jsonl = folder / "captures-000.jsonl"
        figures = step_figures(jsonl, options.captures, options.repeats, Path(scratch))
        interleaved = interleaved_figures(jsonl, options.captures, options.repeats, Path(scratch))
    print(f"{options.captures} captures of {folder}, least of {options.repeats} runs, microseconds a capture:")
    for name, microseconds in figures.items():
        print(f"  {name:34s} {microseconds:7.1f}")
    print(f"  {'all of them':34s} {sum(figures.values()):7.1f}")
    print("the same steps one capture after another, as a worker runs them:")
    for name, microseconds in interleaved.items():
        print(f"  {name:34s} {microseconds:7.1f}")
    print(f"  {'all of them':34s} {sum(interleaved.values()):7.1f}")


if __name__ == "__main__":
    main()
