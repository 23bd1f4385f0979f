"""The card's timeline: articles a month by source, as an SVG kept in the release (`timeline.svg`).

Byte-reproducible: matplotlib (pinned in constraints.txt) without a date in the file's metadata, a fixed hash salt
for the ids SVG elements get, text drawn as paths (no font lookup at view time), sources and months in sorted order.
"""

from __future__ import annotations

import io
from collections import Counter

FILE = "timeline.svg"
MOST_SOURCES = 8  # the others are drawn together as "other sources"


def timeline_svg(source_months: Counter) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    months = _months_between(min(month for _, month in source_months), max(month for _, month in source_months))
    by_source = Counter()
    for (source, _), count in source_months.items():
        by_source[source] += count
    shown = [source for source, _ in sorted(by_source.items(), key=lambda item: (-item[1], item[0]))[:MOST_SOURCES]]
    series = {source: [source_months.get((source, month), 0) for month in months] for source in shown}
    others = [sum(c for (s, m), c in source_months.items() if m == month and s not in shown) for month in months]
    if any(others):
        series["other sources"] = others
    with matplotlib.rc_context({"svg.hashsalt": "dprk-state-media-corpus", "svg.fonttype": "path"}):
        figure, axes = plt.subplots(figsize=(9, 3.6), dpi=100)
        positions = list(range(len(months)))
        bottom = [0] * len(months)
        for label, counts in series.items():
            axes.bar(positions, counts, bottom=bottom, width=0.9, label=label)
            bottom = [b + c for b, c in zip(bottom, counts)]
        step = max(1, len(months) // 12)
        axes.set_xticks(positions[::step], months[::step], rotation=45, ha="right", fontsize=7)
        axes.set_ylabel("articles a month")
        axes.set_title("Articles a month by source")
        axes.legend(fontsize=7, loc="upper left", frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(figure)
    return buffer.getvalue()


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
