from pathlib import Path

import pytest

from benchmarks.bench_collections import collection_figures

FOLDER = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "thogra_rodong-next"


@pytest.mark.skipif(not FOLDER.is_dir(), reason="../shared/realdata/thogra_rodong-next is not here")
def test_a_real_collection_is_built_and_its_figures_given():
    figures = collection_figures("thogra_rodong-next", FOLDER, 1)
    assert (figures["articles"], figures["not used"], figures["captures read"]) == (11, {"not_an_article": 2}, 13)
    assert figures["seconds"] > 0
