import json
import re

from benchmarks.synthetic import generate
from builder.extract.parse.repairs import LEADER_NAMES


def _keys(folder):
    lines = (line for path in sorted(folder.glob("captures-*.jsonl")) for line in path.read_text().splitlines())
    return {re.search(r"/newstream/([^/]+)/", json.loads(line)["url"]).group(1) for line in lines}


def test_captures_added_after_a_corpus_are_of_new_articles(tmp_path):
    """The benchmark's +1% stands for a new day's captures: articles the corpus does not have. (Numbered from 0,
    they were other texts under the keys of the corpus's first articles, each a conflict to merge.)"""
    generate(tmp_path / "corpus", 300, pages_share=0.0)
    generate(tmp_path / "added", 30, seed=7, pages_share=0.0, first_article=300)
    generate(tmp_path / "recaptured", 30, seed=7, pages_share=0.0)
    corpus, added, recaptured = (_keys(tmp_path / name) for name in ("corpus", "added", "recaptured"))
    assert len(added) > 20 and not added & corpus
    assert recaptured <= corpus


def _texts(folder, captures=200):
    generate(folder, captures, pages_share=0.0)
    return [json.loads(line)["text"] for line in (folder / "captures-000.jsonl").read_text().splitlines()]


def test_about_half_the_paragraphs_hold_the_non_ascii_punctuation_of_real_pages(tmp_path):
    """The seed's text has curly quotes and apostrophes in 34 of its 77 lines; an all-ASCII corpus would time a
    cheaper parse than real pages get (Python's strings of ASCII are quicker to split, search and encode)."""
    texts = _texts(tmp_path)
    paragraphs = [line for text in texts for line in text.split("\n") if len(line) > 200]  # body paragraphs
    share = sum(not paragraph.isascii() for paragraph in paragraphs) / len(paragraphs)
    assert 0.3 < share < 0.6
    assert {"“", "”", "’", "—"} <= {character for text in texts for character in text if not character.isascii()}


def test_most_bodies_name_a_leader_as_real_pages_do(tmp_path):
    bodies = [text.split("More From")[0] for text in _texts(tmp_path) if "More From" in text]
    assert 0.5 < sum(any(name in body for name in LEADER_NAMES) for body in bodies) / len(bodies) < 0.95
