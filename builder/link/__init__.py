"""Links across articles: the same item wherever it appears — the same text through another origin or URL, another
wording of it, its translation. A stage across articles: it reads the article shards the write step produced and
writes the `links` config (`stage.write_links`)."""
