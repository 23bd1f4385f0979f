"""Merge: the captures of one article -> one article; teasers de-duplicated across pages; out of core in DuckDB."""
