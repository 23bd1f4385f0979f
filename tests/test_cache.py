from builder.cache import ParseCache
from builder.extract import parse_bytes


def test_cache_returns_what_was_parsed(tmp_path, seed_text):
    cache = ParseCache(tmp_path)
    parsed = parse_bytes(seed_text.encode())
    cache.put_many([("a" * 64, parsed), ("b" * 64, parse_bytes(b""))])
    got = cache.get_many(["a" * 64, "b" * 64, "c" * 64])
    assert set(got) == {"a" * 64, "b" * 64}
    assert got["a" * 64].page.paragraphs == parsed.page.paragraphs and got["a" * 64].page.teasers == parsed.page.teasers
    assert got["b" * 64].reject[0] == "empty"
    assert cache.path.name.startswith("parsed-") and cache.path.suffix == ".sqlite"
