"""The release's dataset card: Hugging Face YAML front matter generated from the schema and the data, then the
human-written prose of `dataset_card.md` with the build's figures filled in.

Anything that comes from the captures (labels, titles) is escaped before it enters Markdown, and the YAML is
written by a YAML library, so no page text can change the card's structure or metadata.
"""

from __future__ import annotations

import html
import re

import yaml

from builder.extract.fields import DEFAULT_DOC_TYPE, DOC_TYPE_RULES
from builder.extract.labels import split_label
from builder.extract.parse.repairs import REPAIR_KINDS
from builder.publish.citation import Citation
from builder.schema.columns import CONFIGS, DEFAULT_CONFIG, field_table, hf_features
from builder.write.shards import WrittenConfig, shard_pattern
from builder.write.tally import ArticleTally

PRETTY_NAME = "DPRK State Media Corpus"
LICENSE_NAME = "state-media-texts-with-cc-by-4.0-curation"
TAGS = ["north-korea", "dprk", "kcna", "state-media", "propaganda", "news", "political-science"]
TASK_CATEGORIES = ["text-classification"]  # not text-generation: the card advises against generating from propaganda
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def size_category(count: int) -> str:
    for bound, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if count < bound:
            return name
    return "1M<n<10M" if count < 10_000_000 else "n>10M"


def front_matter(written: dict[str, WrittenConfig], languages: list[str], citation: Citation) -> dict:
    configs, infos = [], []
    for name, schema in CONFIGS.items():
        entry = {"config_name": name}
        if name == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": "train", "path": shard_pattern(name)}]
        configs.append(entry)
        infos.append(
            {
                "config_name": name,
                "features": hf_features(schema)._to_yaml_list(),
                "splits": [
                    {"name": "train", "num_bytes": written[name].num_bytes, "num_examples": written[name].num_examples}
                ],
            }
        )
    return {
        "pretty_name": PRETTY_NAME,
        "license": "other",
        "license_name": LICENSE_NAME,
        "license_link": f"{citation.corpus.repository}/blob/v{citation.version}/README.md#licensing",
        "language": languages or ["en"],
        "size_categories": [size_category(written[DEFAULT_CONFIG].num_examples)],
        "task_categories": TASK_CATEGORIES,
        "tags": TAGS,
        "configs": configs,
        "dataset_info": infos,
    }


def md_cell(text: object) -> str:
    """Text from the data made safe inside a Markdown table cell: no markup, no HTML, no line breaks."""
    escaped = html.escape(str(text), quote=False).replace("\n", " ").replace("\r", " ")
    return re.sub(r"([\\`*_{}\[\]|#!~$])", r"\\\1", escaped)


def _table(header: list[str], rows: list[list[object]], *, from_code: bool = False) -> str:
    """A Markdown table. Cells from the data are escaped; `from_code` tables (the builder's own descriptions,
    which use Markdown on purpose) only keep their cells on one line and their pipes out of the layout."""
    cell = (lambda text: str(text).replace("|", "\\|").replace("\n", " ")) if from_code else md_cell
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def card_section(template: str, heading: str) -> str:
    """The prose under `heading` (e.g. `### Bias`) in the card's human-written part, up to its first table, figure
    or next heading: what Croissant's Responsible-AI fields say, from the one text that says it."""
    lines = template.split("\n")
    start = lines.index(heading) + 1
    level = heading.split(" ")[0]
    kept = []
    for line in lines[start:]:
        if line.startswith("#") and len(line.split(" ")[0]) <= len(level) or line.startswith(("|", "{{", "![")):
            break
        if not line.startswith("#"):
            kept.append(line)
    return re.sub(r"\s+", " ", " ".join(kept)).strip()


RAI_SECTIONS = {
    "rai:dataCollection": "## Collection",
    "rai:dataLimitations": "## Limitations",
    "rai:dataBiases": "### Bias",
    "rai:personalSensitiveInformation": "### Personal and sensitive information",
}


def render_card(template: str, front: dict, figures: dict[str, str]) -> str:
    """`---` YAML `---` then the template with each `{{ name }}` replaced by the figure of that name."""

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name not in figures:
            raise KeyError(f"dataset_card.md uses {{{{ {name} }}}}, which the build does not provide")
        return figures[name]

    prose = PLACEHOLDER.sub(fill, template)
    head = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{head}---\n\n{prose.strip()}\n"


def changes_section(diff: dict) -> str:
    """The card's "Changes since vX.Y.Z" section: counts per config and the reasons for the version step."""
    if diff["from"] is None:
        return "## Changes\n\nThis is the first release."
    rows = [
        [
            name,
            len(config["added"]),
            len(config["removed"]),
            len(config["changed"]),
            ", ".join(config["columns_added"]) or "—",
            ", ".join(config["columns_removed"] + config["columns_retyped"]) or "—",
        ]
        for name, config in diff["configs"].items()
    ]
    table = _table(
        [
            "config",
            "records added",
            "records removed",
            "records changed",
            "columns added",
            "columns removed or retyped",
        ],
        rows,
    )
    reasons = "\n".join(f"- {md_cell(reason)}" for reason in diff["reasons"])
    return (
        f"## Changes since v{diff['from']}\n\n{table}\n\nThis is a **{diff['bump']}** release because:\n\n"
        f"{reasons}\n\nThe ids of every added, removed and changed record are in `diff.json`."
    )


def card_figures(
    version: str, written: dict[str, WrittenConfig], report: dict, tally: ArticleTally, diff: dict, citation: Citation
):
    """The build-computed sections the template refers to by name."""
    fields = "\n\n".join(
        f"**`{name}`**\n\n"
        + _table(["field", "type", "nullable", "meaning"], [list(row) for row in field_table(schema)], from_code=True)
        for name, schema in CONFIGS.items()
    )
    by_source = _table(
        ["source", "publisher", "language", "articles"],
        [
            [label, *(value or "—" for value in split_label(label)), count]
            for label, count in sorted(tally.sources.items())
        ],
    )
    rejects = (
        _table(["reason", "captures"], sorted(report["rejected_by_reason"].items()))
        if report["rejected_by_reason"]
        else "No capture was excluded."
    )
    return {
        "version": version,
        "released": citation.released,
        "changes": changes_section(diff),
        "bibtex": citation.bibtex().strip(),
        "doc_types": _doc_types_table(report),
        "fields": fields,
        "totals": _totals_table(written, report),
        "by_source": by_source,
        "by_year": _table(["year", "articles"], [[year, count] for year, count in sorted(tally.years.items())]),
        "coverage": _coverage_table(tally),
        "date_range": f"{tally.first_date} to {tally.last_date}" if tally.first_date else "—",
        "words": f"{tally.words:,}",
        "cut_short": f"{tally.cut_short:,} of {written['articles'].num_examples:,}",
        "example": _example_section(tally.example),
        "shapes": _table(["capture shape", "captures"], sorted(report["shapes"].items())),
        "rejects": rejects,
        "collections": _collections_section(report.get("collections", [])),
        "links": _links_section(report["links"]),
        "repairs": _table(
            ["repair", "what it does", "times applied"],
            [[kind, meaning, report["repairs"].get(kind, 0)] for kind, meaning in REPAIR_KINDS.items()],
            from_code=True,
        ),
    }


def _collections_section(collections: list[dict]) -> str:
    if not collections:
        return "No collection of other people's was used for this release: every text came through KCNA Watch."
    table = _table(
        ["collection", "homepage", "language", "licence of the collection", "articles"],
        [[item["name"], item["homepage"], item["language"], item["licence"], item["articles"]] for item in collections],
    )
    return (
        f"Collections other people published were read too (`origin` names the collection):\n\n{table}\n\n"
        "A collection's licence covers its curation, not the texts: the texts are the DPRK state organs' "
        "publications, as below."
    )


def _coverage_table(tally: ArticleTally) -> str:
    """Articles by source (rows) and year (columns)."""
    years = sorted(tally.years)
    rows = [
        [source, *(tally.source_years.get((source, year), 0) for year in years)] for source in sorted(tally.sources)
    ]
    return _table(["source", *map(str, years)], rows)


EXAMPLE_FIELDS = ("id", "url", "title", "date", "source", "language", "doc_type", "issuer", "word_count", "origin")
EXAMPLE_BODY = 400  # characters of the body shown


def _example_section(row: dict | None) -> str:
    if row is None:
        return "No article."
    table = _table(["field", "value"], [[name, "—" if row[name] is None else row[name]] for name in EXAMPLE_FIELDS])
    body = row["body"] if len(row["body"]) <= EXAMPLE_BODY else row["body"][:EXAMPLE_BODY] + " […]"
    quoted = "\n".join(f"> {md_cell(line)}" if line else ">" for line in body.split("\n"))  # text, not markup
    return f"{table}\n\n`body` (the first {EXAMPLE_BODY} characters here; the row holds the whole text):\n\n{quoted}"


def _links_section(links: dict) -> str:
    if not links["pairs"]:
        return "This release has no links: no two of its articles were found to be one item."
    counts = _table(
        ["relation", "pairs", "articles with one"],
        [[relation, count, links["articles"][relation]] for relation, count in links["pairs"].items()],
    )
    between = _table(
        ["relation", "origin", "origin", "pairs"],
        [[item["relation"], *item["origins"], item["pairs"]] for item in links["between_origins"]],
    )
    examples = _table(
        ["relation", "score", "article", "linked article"],
        [
            [relation, example["score"], *(_described(article) for article in example["articles"])]
            for relation, example in links["examples"].items()
        ],
    )
    return (
        f"{counts}\n\nBetween which origins:\n\n{between}\n\n"
        f"An example of each (the pair with the smallest id):\n\n{examples}"
    )


def _described(article: dict) -> str:
    return f"{article['title']} ({article['origin']}, {article['date']}, `{article['id']}`)"


def _totals_table(written: dict[str, WrittenConfig], report: dict) -> str:
    counts = report["counts"]
    return _table(
        ["what", "count"],
        [
            ["captures read", counts["captures_read"]],
            ["articles", written["articles"].num_examples],
            ["teasers", written["teasers"].num_examples],
            ["links (pairs of articles that are one item)", written["links"].num_examples],
            ["captures merged into another capture's article", counts["captures_merged"]],
            ["captures not used", counts["rejected"]],
            ["articles whose captures disagree", counts["conflicts"]],
        ],
    )


def _doc_types_table(report: dict) -> str:
    return _table(
        ["doc_type", "rule (first match wins)", "articles"],
        [[kind, rule, report["doc_types"].get(kind, 0)] for kind, _, rule in DOC_TYPE_RULES]
        + [[DEFAULT_DOC_TYPE, "no rule above matches", report["doc_types"].get(DEFAULT_DOC_TYPE, 0)]],
        from_code=True,
    )
