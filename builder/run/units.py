"""The input units of a build (`read.Unit`: a page file with its sidecar, a JSON-lines file, a web archive) and what the
captures of each gave: the build report's counts, and what the build memo keeps of a unit for the next build."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from builder.read import Pending, Unit
from builder.records import Rejected


@dataclass
class UnitOutcome:
    """What the captures of one input unit gave, apart from their index rows."""

    read: int = 0
    shapes: Counter = field(default_factory=Counter)
    encodings: Counter = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # parts that carry no page, by what they are

    def add(self, other: UnitOutcome) -> None:
        self.read += other.read
        self.shapes.update(other.shapes)
        self.encodings.update(other.encodings)
        self.rejected.extend(other.rejected)
        self.skipped.update(other.skipped)

    @property
    def lasting(self) -> bool:
        """Whether a later build may take this outcome as it is: not when a file could not be read, which may be
        a passing fault."""
        return not any(reject.reason == "unreadable" for reject in self.rejected)


class KnowsUnits(Protocol):
    """What `Units` asks of a build memo (`run.memo`)."""

    def key_of(self, unit: Unit) -> str | None: ...

    def known(self, key: str) -> UnitOutcome | None: ...


@dataclass
class Units:
    """The input units of a build: their outcomes by unit id, and which ids the memo keys (all of them may be kept
    for the next build) or held already (`reused`)."""

    outcomes: dict[str, UnitOutcome] = field(default_factory=lambda: defaultdict(UnitOutcome))
    keyed: set[str] = field(default_factory=set)
    reused: list[str] = field(default_factory=list)

    def to_read(self, units: Iterable[Unit], memo: KnowsUnits) -> Iterator[tuple[str, Pending | Rejected]]:
        """The located captures of every unit the memo does not hold, each with its unit's id: its memo key (the
        n-th unit of one key in a build gets `key#n`), or its name when it has no key (no memo, or not hashable)."""
        occurrences: Counter = Counter()
        for unit in units:
            if not unit.capture:  # a file no reader reads: named in the report, not read, not a capture
                self.outcomes[unit.name].rejected.append(unit.item)
                continue
            key = memo.key_of(unit)
            unit_id = unit.name
            if key is not None:
                occurrences[key] += 1
                unit_id = key if occurrences[key] == 1 else f"{key}#{occurrences[key]}"
                self.keyed.add(unit_id)
                known = memo.known(unit_id)
                if known is not None:
                    self.outcomes[unit_id].add(known)
                    self.reused.append(unit_id)
                    continue
            yield from ((unit_id, item) for item in unit.items())

    def add(self, outcomes: dict[str, UnitOutcome]) -> None:
        for unit, outcome in outcomes.items():
            self.outcomes[unit].add(outcome)

    def kept(self) -> dict[str, UnitOutcome]:
        """The outcomes of the units the memo keys."""
        return {unit: outcome for unit, outcome in self.outcomes.items() if unit in self.keyed}

    def total(self) -> UnitOutcome:
        total = UnitOutcome()
        for outcome in self.outcomes.values():
            total.add(outcome)
        return total
