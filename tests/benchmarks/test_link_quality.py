"""The links on the real collections: the goals of precision and recall on the labelled pairs, and the links the
corpus must have (the seed and kcna.kp's wording of it, the identical republications, the 2012 joint New Year
editorial in Korean and English)."""

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchmarks.link_eval import GOALS, build_corpus, catalogue, evaluate, links_of, read_labelled, resolver

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"
SEED_KEY = "1726219951-297800155"

pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is not here")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(REALDATA, tmp_path_factory.mktemp("links"))


def test_precision_and_recall_reach_their_goals_on_the_labelled_pairs(corpus):
    figures = evaluate(corpus, read_labelled())
    for relation, (precision, recall) in GOALS.items():
        assert figures[relation]["precision"] >= precision, (relation, figures[relation])
        if recall is not None:
            assert figures[relation]["recall"] >= recall, (relation, figures[relation])
        assert figures[relation]["links found, not labelled"] == 0, (relation, figures[relation])


def test_the_corpus_links_the_seed_the_republications_and_the_editorial(corpus):
    articles = {article["id"]: article for article in catalogue(corpus)}
    links = links_of(corpus)
    seed_links = {pair: relation for pair, relation in links.items() if SEED_KEY in pair}
    assert list(seed_links.values()) == ["variant"]
    (other,) = [id_ for pair in seed_links for id_ in pair if id_ != SEED_KEY]
    assert articles[other]["origin"] == "stiles_north-korea-news"
    assert "Disarmament and Peace Institute" in articles[other]["title"]
    editorial = [
        pair
        for pair, relation in links.items()
        if relation == "translation"
        and {articles[id_]["origin"] for id_ in pair} == {"e9t_north-korea-new-years-speechs", "xmarquez_KCNA"}
    ]
    assert len(editorial) == 1
    assert {articles[id_]["date"].isoformat() for id_ in editorial[0]} == {"2012-01-01"}
    identical = [
        pair
        for pair, relation in links.items()
        if relation == "same_text" and articles[pair[0]]["body"] == articles[pair[1]]["body"]
    ]
    assert len(identical) >= 10


def test_every_labelled_name_picks_one_article(corpus):
    resolve = resolver(catalogue(corpus))
    names = {name for pair in read_labelled() for name in (pair.a, pair.b)}
    assert len({resolve(name) for name in names}) == len(names)
    files = sorted((corpus / "links").glob("train-*.parquet"))
    assert sum(pq.ParquetFile(path).metadata.num_rows for path in files) == len(links_of(corpus))
