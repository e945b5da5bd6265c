"""Small-number suppression: primary (1–4 → "<5") and complementary, checked with hypothesis."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mkk.reports.suppression import (
    COMPLEMENTARY,
    PRIMARY,
    difference_relation,
    holds,
    label,
    sum_relation,
    suppress,
)


def table_with_totals(cells):
    """cells: list of rows of ints → values and relations with row, column and grand totals."""
    values = {}
    relations = []
    n_rows, n_cols = len(cells), len(cells[0])
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            values[(i, j)] = v
        values[(i, "T")] = sum(row)
        relations.append(sum_relation((i, "T"), [(i, j) for j in range(n_cols)]))
    for j in range(n_cols):
        values[("T", j)] = sum(cells[i][j] for i in range(n_rows))
        relations.append(sum_relation(("T", j), [(i, j) for i in range(n_rows)]))
    values[("T", "T")] = sum(values[(i, "T")] for i in range(n_rows))
    relations.append(sum_relation(("T", "T"), [(i, "T") for i in range(n_rows)]))
    relations.append(sum_relation(("T", "T"), [("T", j) for j in range(n_cols)]))
    return values, relations


def closure_solves(values, relations, hidden):
    """Substitution closure: repeatedly solve relations with one unknown."""
    unknown = set(hidden)
    solved = set()
    progress = True
    while progress:
        progress = False
        for rel in relations:
            left = [k for k, _c in rel if k in unknown]
            if len(left) == 1:
                unknown.discard(left[0])
                solved.add(left[0])
                progress = True
    return solved


def rank_determined(relations, hidden):
    """Independent linear-algebra check with numpy: e_x in the row space of A_hidden."""
    cols = sorted(hidden, key=repr)
    if not cols:
        return set()
    idx = {k: i for i, k in enumerate(cols)}
    rows = []
    for rel in relations:
        row = np.zeros(len(cols))
        for k, c in rel:
            if k in idx:
                row[idx[k]] += c
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    a = np.array(rows)
    base = np.linalg.matrix_rank(a)
    out = set()
    for k, i in idx.items():
        e = np.zeros(len(cols))
        e[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, e])) == base:
            out.add(k)
    return out


cells_strategy = st.integers(min_value=1, max_value=4).flatmap(
    lambda r: st.integers(min_value=1, max_value=4).flatmap(
        lambda c: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=c, max_size=c),
            min_size=r,
            max_size=r,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(cells_strategy)
def test_tables_with_totals_are_protected(cells):
    values, relations = table_with_totals(cells)
    status = suppress(values, relations, limit=5)
    hidden = set(status)
    # (a) every 1–4 cell is hidden, as primary; zeros are never primary
    for k, v in values.items():
        if 1 <= v <= 4:
            assert status.get(k) == PRIMARY
        if status.get(k) == PRIMARY:
            assert 1 <= v <= 4
    # (b) no hidden cell can be worked out
    usable = [r for r in relations if holds(values, r)]
    assert not (closure_solves(values, usable, hidden) & hidden)
    assert not rank_determined(usable, hidden)
    # (c) visible values are unchanged
    for k, v in values.items():
        if k not in hidden:
            assert label(v, None) == str(v)
    # (d) no zero stays visible beside a primary cell of the same total
    for rel in usable:
        if any(status.get(k) == PRIMARY for k, _c in rel):
            assert all(k in hidden for k, _c in rel if values[k] == 0)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)),
        min_size=1,
        max_size=4,
    )
)
def test_current_previous_difference_with_breakdown(rows):
    """Rows: total, women, men (total = women + men) for current and previous, and the
    differences; a hidden count's difference never stays visible alone."""
    values, relations = {}, []
    for i, (_t, a, b) in enumerate(rows):
        for period, (x, y) in (("cur", (a, b)), ("prev", (b, a + 1))):
            values[(i, period, "total")] = x + y
            values[(i, period, "f")] = x
            values[(i, period, "m")] = y
            relations.append(
                sum_relation((i, period, "total"), [(i, period, "f"), (i, period, "m")])
            )
        for part in ("total", "f", "m"):
            values[(i, "diff", part)] = values[(i, "cur", part)] - values[(i, "prev", part)]
            relations.append(
                difference_relation((i, "cur", part), (i, "prev", part), (i, "diff", part))
            )
        relations.append(sum_relation((i, "diff", "total"), [(i, "diff", "f"), (i, "diff", "m")]))
    follows = {
        (i, "diff", part): [(i, "cur", part), (i, "prev", part)]
        for i in range(len(rows))
        for part in ("total", "f", "m")
    }
    diffs = list(follows)
    status = suppress(values, relations, limit=5, follows=follows, not_counts=diffs)
    hidden = set(status)
    for k, v in values.items():
        if k[1] != "diff" and 1 <= v <= 4:
            assert status[k] == PRIMARY
        if k[1] == "diff":
            assert status.get(k) != PRIMARY
    usable = [r for r in relations if holds(values, r)]
    assert not rank_determined(usable, hidden)
    assert not (closure_solves(values, usable, hidden) & hidden)
    for i in range(len(rows)):
        for part in ("total", "f", "m"):
            if (i, "cur", part) in hidden or (i, "prev", part) in hidden:
                assert (i, "diff", part) in hidden


def test_labels_and_example():
    values = {"a": 3, "b": 40, "c": 20, "t": 63}
    status = suppress(values, [sum_relation("t", ["a", "b", "c"])], limit=5)
    assert status == {"a": PRIMARY, "c": COMPLEMENTARY}
    assert label(3, PRIMARY, limit=5) == "<5"
    assert label(20, COMPLEMENTARY, limit=5) == "x"
    assert label(None, None) == "–"
    assert label(0, None) == "0"
    assert suppress({"z": 0, "t": 0}, [sum_relation("t", ["z"])]) == {}


def test_threshold_setting(settings):
    settings.MKK_SUPPRESSION_THRESHOLD = 10
    assert suppress({"a": 7}) == {"a": PRIMARY}
    assert label(7, PRIMARY) == "<10"


def test_zero_beside_a_small_count_is_hidden():
    """ "0 men" beside "<5 women" under "<5" would say that every one is a woman."""
    values = {"t": 3, "f": 3, "m": 0}
    status = suppress(values, [sum_relation("t", ["f", "m"])], limit=5)
    assert status == {"t": PRIMARY, "f": PRIMARY, "m": COMPLEMENTARY}
    # A zero with no small count in its relation stays visible.
    assert suppress({"t": 9, "f": 9, "m": 0}, [sum_relation("t", ["f", "m"])], limit=5) == {}


def test_fixed_cells_published_elsewhere():
    """Units shown in their own reports are known: a region minus them must not give a
    small unit away, and a region equal to one published unit is not hidden for nothing."""
    values = {"k": 56, "rp": 12, "rg": 43, "d": 12, "g": 41, "s": 2}
    rels = [sum_relation("k", ["rp", "rg"]), sum_relation("rp", ["d"])]
    rels.append(sum_relation("rg", ["g", "s"]))
    status = suppress(values, rels, limit=5, fixed=["d", "g", "s"])
    assert status["s"] == PRIMARY and "rg" in status
    assert not {"d", "g", "rp"} & set(status)
    assert not rank_determined([r for r in rels if holds(values, r)], set(status))
