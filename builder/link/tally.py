"""What the card and the build report say of the links: how many of each relation, between which origins, and an
example of each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LinkTally:
    relations: Counter = field(default_factory=Counter)
    articles: Counter = field(default_factory=Counter)  # articles with at least one link of the relation
    between: Counter = field(default_factory=Counter)  # (relation, origin, origin) -> pairs
    examples: dict = field(default_factory=dict)  # relation -> the first link of it, by id

    @classmethod
    def of(cls, rows: list[dict], about: dict[str, dict]) -> LinkTally:
        """`about`: the `id`, `origin`, `title` and `date` of every linked article, by id."""
        tally = cls()
        with_link: dict[str, set] = {}
        for row in rows:
            relation = row["relation"]
            tally.relations[relation] += 1
            with_link.setdefault(relation, set()).update((row["id"], row["linked_id"]))
            origins = sorted((about[row["id"]]["origin"], about[row["linked_id"]]["origin"]))
            tally.between[(relation, *origins)] += 1
            if relation not in tally.examples:
                tally.examples[relation] = {
                    "score": row["score"],
                    "articles": [_described(about[row[key]]) for key in ("id", "linked_id")],
                }
        tally.articles = Counter({relation: len(found) for relation, found in with_link.items()})
        return tally

    def to_json(self) -> dict:
        return {
            "pairs": dict(sorted(self.relations.items())),
            "articles": dict(sorted(self.articles.items())),
            "between_origins": [
                {"relation": relation, "origins": [first, second], "pairs": count}
                for (relation, first, second), count in sorted(self.between.items())
            ],
            "examples": dict(sorted(self.examples.items())),
        }


def _described(article: dict) -> dict:
    return {
        "id": article["id"],
        "origin": article["origin"],
        "date": article["date"].isoformat(),
        "title": article["title"],
    }
