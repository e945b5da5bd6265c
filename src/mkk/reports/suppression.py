"""Small-number suppression for the public version of a report.

Primary suppression hides every count from 1 to ``threshold - 1`` (setting
``MKK_SUPPRESSION_THRESHOLD``, default 5; a zero is never primary). Complementary
suppression then hides further cells until no hidden cell can be worked out from the
visible cells and the relations a reader knows (a total is the sum of its parts; a
difference is current minus previous). The check is linear algebra over the hidden
cells (exact fractions), iterated to a fixed point; complements are the smallest visible
cells of a relation that still gives a hidden cell away.

Tables are plain dicts ``{key: int | None}`` plus relations, so the same code serves the
statistics tables, the "current / previous / difference" triples and the annexes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction

from django.conf import settings

PRIMARY = "primary"
COMPLEMENTARY = "complementary"

#: A relation: ``sum(coefficient * value) == 0`` over the listed cells.
Relation = Sequence[tuple[Hashable, int]]


def threshold() -> int:
    return int(getattr(settings, "MKK_SUPPRESSION_THRESHOLD", 5))


def is_small(value: int | None, limit: int | None = None) -> bool:
    limit = threshold() if limit is None else limit
    return value is not None and 0 < value < limit


def sum_relation(total: Hashable, parts: Iterable[Hashable]) -> list[tuple[Hashable, int]]:
    """``total = part1 + part2 + ...``"""
    return [(total, 1)] + [(p, -1) for p in parts]


def difference_relation(current: Hashable, previous: Hashable, difference: Hashable):
    """``difference = current - previous``"""
    return [(current, 1), (previous, -1), (difference, -1)]


def holds(values: Mapping[Hashable, int | None], relation: Relation) -> bool:
    """A relation a reader could use: every cell present and the arithmetic true."""
    if any(values.get(k) is None for k, _c in relation):
        return False
    return sum(values[k] * c for k, c in relation) == 0


def determined(hidden: set[Hashable], relations: Sequence[Relation]) -> set[Hashable]:
    """Hidden cells whose value follows from the relations and the visible cells.

    A hidden cell x is determined iff the unit vector e_x lies in the row space of the
    relations restricted to the hidden cells (reduced row echelon form over Fractions).
    """
    cols = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(cols)}
    rows = []
    for rel in relations:
        row = [Fraction(0)] * len(cols)
        touched = False
        for k, c in rel:
            if k in index:
                row[index[k]] += c
                touched = True
        if touched and any(row):
            rows.append(row)
    pivots: list[int] = []
    r = 0
    for col in range(len(cols)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    out = set()
    for row_i, col in enumerate(pivots):
        if all(v == 0 for j, v in enumerate(rows[row_i]) if j != col):
            out.add(cols[col])
    return out


def suppress(
    values: Mapping[Hashable, int | None],
    relations: Iterable[Relation] = (),
    *,
    limit: int | None = None,
    protected: Iterable[Hashable] = (),
    follows: Mapping[Hashable, Iterable[Hashable]] | None = None,
    not_counts: Iterable[Hashable] = (),
    fixed: Iterable[Hashable] = (),
) -> dict[Hashable, str]:
    """Which cells to hide: ``{key: "primary" | "complementary"}`` (visible cells absent).

    ``relations`` that do not hold for the actual values are ignored: a reader cannot use
    them. ``protected`` cells are hidden as primary whatever their value (e.g. a
    percentage computed from a hidden count is passed as a cell of its own relation).
    ``follows`` maps a cell to the cells it is derived from (a difference to its current
    and previous counts): it is hidden whenever one of them is. ``not_counts`` are cells
    that are not counts of people (differences, percentages): never primary. ``fixed``
    cells are published elsewhere (a municipality's own public report) and cannot be hidden
    here: they are never chosen as complements, and relations over them count as known.

    Zeros: a zero in a relation with a primary cell is hidden as complementary ("0 men"
    beside "<5 women" under a total would tell that every one of them is a woman).
    """
    limit = threshold() if limit is None else limit
    rels = [list(r) for r in relations if holds(values, r)]
    exempt = set(not_counts)
    status: dict[Hashable, str] = {
        k: PRIMARY for k, v in values.items() if k not in exempt and is_small(v, limit)
    }
    for k in protected:
        status.setdefault(k, PRIMARY)
    if not status:
        return status
    pinned = set(fixed)
    _hide_zeros_beside_primaries(values, rels, status, pinned)
    follows = {k: list(v) for k, v in (follows or {}).items()}

    unprotectable = _unprotectable(values, rels, status, pinned)

    def complement(rel):
        """The smallest visible cell of ``rel`` that may be hidden."""
        cells = [
            k
            for k, _c in rel
            if k not in status
            and k not in pinned
            and k not in unprotectable
            and values.get(k) is not None
        ]
        return min(cells, key=lambda k: (values[k], repr(k)), default=None)

    while True:
        changed = False
        for k, sources in follows.items():
            if k not in status and any(s in status for s in sources):
                status[k] = COMPLEMENTARY
                changed = True
        # Cheap pass: a relation with exactly one hidden cell gives it away.
        for rel in rels:
            hidden_here = [k for k, _c in rel if k in status]
            if len(hidden_here) == 1:
                cand = complement(rel)
                if cand is not None:
                    status[cand] = COMPLEMENTARY
                    changed = True
        if changed:
            continue
        # Exact pass: combinations of relations.
        leaked = determined(set(status), rels)
        best = None
        for rel in rels:
            if {k for k, _c in rel} & leaked:
                cand = complement(rel)
                if cand is not None and (best is None or values[cand] < values[best]):
                    best = cand
        if best is None:  # nothing leaks, or nothing left to hide would help
            return status
        status[best] = COMPLEMENTARY


def _unprotectable(values, rels, status: dict, pinned: set) -> set:
    """Cells that fixed cells alone give away (a region equal to one unit published
    elsewhere): hiding them would protect nothing, so they are never complements."""
    if not pinned:
        return set()
    return determined({k for k in values if k not in pinned or k in status}, rels)


def _hide_zeros_beside_primaries(values, rels, status: dict, pinned: set) -> None:
    """A zero in a relation with a primary cell is hidden as complementary."""
    primaries = set(status)
    for rel in rels:
        if any(k in primaries for k, _c in rel):
            for k, _c in rel:
                if values.get(k) == 0 and k not in status and k not in pinned:
                    status[k] = COMPLEMENTARY


def label(value: int | None, state: str | None, *, limit: int | None = None) -> str:
    """How a cell prints: the number, "<5" (primary), "x" (complementary), "–" (missing)."""
    limit = threshold() if limit is None else limit
    if state == PRIMARY:
        return f"<{limit}"
    if state == COMPLEMENTARY:
        return "x"
    if value is None:
        return "–"
    return str(value)
