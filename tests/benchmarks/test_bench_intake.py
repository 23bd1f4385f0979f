from benchmarks.bench_intake import intake_figures
from benchmarks.synthetic import generate


def test_the_intake_benchmark_times_each_form_and_finds_the_html_pages_faithful(tmp_path):
    generate(tmp_path / "corpus", 80)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    figures = intake_figures(tmp_path / "corpus" / "captures-000.jsonl", 30, 1, scratch)
    assert figures["pages"] == 30
    assert figures["HTML pages whose title, date, source or body differ from the text's"] == 0
    assert all(value > 0 for name, value in figures.items() if name.endswith("pages/s"))
    assert figures["of those, pages whose title, date and body the general extractor gave as the text's"] == 3
