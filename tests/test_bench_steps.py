from benchmarks.bench_steps import interleaved_figures, step_figures
from benchmarks.synthetic import generate


def test_every_first_pass_step_is_timed_on_the_synthetic_corpus(tmp_path):
    generate(tmp_path / "corpus", 60)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    figures = step_figures(tmp_path / "corpus" / "captures-000.jsonl", 40, 1, scratch)
    assert list(figures) == [
        "load (read the line, JSON)", "decode", "parse_page", "attach (URL, capture digest)",
        "stash (body store, body digest)", "index rows",
    ]
    assert all(microseconds > 0 for microseconds in figures.values())


def test_the_steps_are_timed_one_capture_after_another_too(tmp_path):
    generate(tmp_path / "corpus", 60)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    figures = interleaved_figures(tmp_path / "corpus" / "captures-000.jsonl", 40, 2, scratch)
    assert list(figures) == [
        "load (read the line, JSON)", "decode and parse_page", "attach (URL, capture digest)",
        "stash (body store, body digest)", "index rows",
    ]
    assert all(microseconds > 0 for microseconds in figures.values())
