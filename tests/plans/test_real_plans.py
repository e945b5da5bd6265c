"""Plans as municipalities really write them (issue 12, item 5).

Generated Word documents with the seed's content: columns in another order, other header
wording in Albanian and in Serbian, one or two header rows, amounts with thousands separators,
and other tables before and after the action table. Each reads to the seed's actions.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from mkk.plans.parsing import ParsedPlan, column_mapping, parse_plan_file

from . import docgen

SERBIAN_ORDER = (
    "description",
    "code",
    "timeframe",
    "institutions",
    "budget_2025",
    "budget_2026",
    "budget_2027",
    "funding",
    "outputs",
    "references",
)
CODE_LAST = (
    "description",
    "timeframe",
    "budget_2025",
    "budget_2026",
    "budget_2027",
    "funding",
    "institutions",
    "outputs",
    "references",
    "code",
)


def summary(plan: ParsedPlan) -> list[tuple]:
    return [
        (
            a.code,
            a.description,
            a.timeframe_raw,
            [(b.year, b.amount, b.funder_raw) for b in a.budget_lines],
            a.funding_raw,
            a.lead_institutions,
            a.supporting_institutions,
            a.outputs,
            a.legal_references,
        )
        for a in plan.actions
    ]


def objectives(plan: ParsedPlan) -> list[tuple]:
    return [
        (so.code, [(sp.code, [a.code for a in sp.actions]) for sp in so.specific_objectives])
        for so in plan.strategic_objectives
    ]


@pytest.fixture(scope="module")
def seed() -> ParsedPlan:
    return parse_plan_file("seed.txt", docgen.SEED.read_bytes())


VARIANTS = {
    "albanian-seed-order": docgen.Variant(),
    "albanian-other-wording-two-header-rows": docgen.Variant(
        labels=docgen.ALBANIAN_OTHER, two_header_rows=True, amounts="dot"
    ),
    "serbian-columns-reordered-monitoring-after": docgen.Variant(
        labels=docgen.SERBIAN,
        order=SERBIAN_ORDER,
        amounts="space",
        tables_after=[docgen.MONITORING_SR],
    ),
    "serbian-two-header-rows-code-last": docgen.Variant(
        labels=docgen.SERBIAN, order=CODE_LAST, two_header_rows=True, amounts="comma"
    ),
    "indicators-before-monitoring-after": docgen.Variant(
        amounts="comma",
        tables_before=[docgen.INDICATORS],
        tables_after=[docgen.MONITORING],
    ),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_generated_plans_read_like_the_seed(name: str, seed: ParsedPlan) -> None:
    data = docgen.build(VARIANTS[name])
    plan = parse_plan_file(f"{name}.docx", data)
    assert summary(plan) == summary(seed)
    assert objectives(plan) == objectives(seed)
    assert (
        plan.budget_by_year()
        == seed.budget_by_year()
        == {
            2025: Decimal(9000),
            2026: Decimal(9000),
            2027: Decimal(9000),
        }
    )
    assert not plan.unmapped_columns
    assert not plan.blocking_warnings
    # a monitoring plan after the action table is seen as another table, never as actions
    assert plan.other_tables == len(VARIANTS[name].tables_after)


def test_monitoring_table_is_never_read_as_actions(seed: ParsedPlan) -> None:
    variant = docgen.Variant(tables_after=[docgen.MONITORING, docgen.MONITORING_SR])
    plan = parse_plan_file("p.docx", docgen.build(variant))
    assert len(plan.actions) == len(seed.actions) == 37
    assert all("Numri i sesioneve" not in a.description for a in plan.actions)
    assert "Numri i sesioneve" in plan.postamble


def test_unknown_column_is_asked_not_guessed(seed: ParsedPlan) -> None:
    variant = docgen.Variant(labels=docgen.SERBIAN, override={"outputs": "Napomena o ishodu"})
    data = docgen.build(variant)
    plan = parse_plan_file("p.docx", data)
    assert [c["header"] for c in plan.unmapped_columns] == ["Napomena o ishodu"]
    assert [w.kind for w in plan.blocking_warnings] == ["column_unmapped"]
    # nothing guessed: the column's text is kept in the notes, not read as outputs
    assert all(not a.outputs for a in plan.actions)
    key = plan.unmapped_columns[0]["key"]
    with column_mapping({key: "outputs"}):
        mapped = parse_plan_file("p.docx", data)
    assert not mapped.unmapped_columns and not mapped.blocking_warnings
    assert summary(mapped) == summary(seed)
