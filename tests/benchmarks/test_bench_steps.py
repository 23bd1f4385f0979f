import pytest

from benchmarks.bench_steps import interleaved_figures, step_figures
from benchmarks.synthetic import generate


@pytest.fixture
def corpus_and_scratch(tmp_path):
    generate(tmp_path / "corpus", 60)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return tmp_path / "corpus" / "captures-000.jsonl", scratch


def test_every_first_pass_step_is_timed_on_the_synthetic_corpus(corpus_and_scratch):
    jsonl, scratch = corpus_and_scratch
    figures = step_figures(jsonl, 40, 1, scratch)
    assert list(figures) == [
        "load (read the line, JSON)",
        "decode",
        "parse_page",
        "attach (URL, capture digest)",
        "stash (body store, body digest)",
        "index rows",
    ]
    assert all(microseconds > 0 for microseconds in figures.values())


def test_the_steps_are_timed_one_capture_after_another_too(corpus_and_scratch):
    jsonl, scratch = corpus_and_scratch
    figures = interleaved_figures(jsonl, 40, 2, scratch)
    assert list(figures) == [
        "load (read the line, JSON)",
        "decode and parse_page",
        "attach (URL, capture digest)",
        "stash (body store, body digest)",
        "index rows",
    ]
    assert all(microseconds > 0 for microseconds in figures.values())
