from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mkk.statistics.validation import (
    CategorySpec,
    ElementSpec,
    OptionSpec,
    check_values,
    movement_warnings,
)

SEX = CategorySpec("sex", "Sex", (OptionSpec("female", "Female"), OptionSpec("male", "Male")))
AGE = CategorySpec(
    "age", "Age group", (OptionSpec("adult", "Adults"), OptionSpec("child", "Children"))
)
QPS = ElementSpec("QPS_VICTIMS", "Victims treated", (SEX, AGE))
STR = ElementSpec("STR_PERSONS", "Persons sheltered", (AGE, SEX))
SPECS = [QPS, STR]
n = st.integers(min_value=0, max_value=10_000)


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_sixty_women_and_twenty_men_are_not_seventy_six():
    errors = check_values(
        SPECS,
        {
            ("QPS_VICTIMS", ""): 76,
            ("QPS_VICTIMS", "sex=female"): 60,
            ("QPS_VICTIMS", "sex=male"): 20,
        },
    )
    assert len(errors) == 1
    assert "60 Female + 20 Male = 80" in errors[0]
    assert "76" in errors[0] and "QPS_VICTIMS" in errors[0] and "Sex" in errors[0]


def test_the_report_figures_pass():
    assert (
        check_values(
            SPECS,
            {
                ("QPS_VICTIMS", ""): 76,
                ("QPS_VICTIMS", "sex=female"): 59,
                ("QPS_VICTIMS", "sex=male"): 17,
            },
        )
        == []
    )
    assert (
        check_values(
            SPECS,
            {
                ("STR_PERSONS", ""): 51,
                ("STR_PERSONS", "age=adult"): 25,
                ("STR_PERSONS", "age=child"): 26,
            },
        )
        == []
    )


def test_children_never_more_than_persons():
    errors = check_values(SPECS, {("STR_PERSONS", ""): 10, ("STR_PERSONS", "age=child"): 12})
    assert any("Children (12) is more than the total (10)" in e for e in errors)


def test_negative_and_unknown_are_refused():
    errors = check_values(
        SPECS, {("STR_PERSONS", ""): -1, ("NOPE", ""): 3, ("STR_PERSONS", "sex=other"): 1}
    )
    assert len(errors) == 3
    assert any("negative" in e for e in errors)
    assert any("NOPE" in e for e in errors)
    assert any("sex=other" in e for e in errors)


def test_messages_are_translated():
    from django.utils import translation

    with translation.override("sq"):
        errors = check_values(SPECS, {("STR_PERSONS", ""): -1})
    assert errors and "negative" not in errors[0]


@given(total=n, female=n)
def test_complete_parts_must_equal_total(total, female):
    male = max(total - female, 0)
    errors = check_values(
        SPECS,
        {
            ("QPS_VICTIMS", ""): total,
            ("QPS_VICTIMS", "sex=female"): female,
            ("QPS_VICTIMS", "sex=male"): male,
        },
    )
    assert (errors == []) == (female + male == total)


@given(total=n, part=n)
def test_a_single_part_never_exceeds_total(total, part):
    errors = check_values(SPECS, {("STR_PERSONS", ""): total, ("STR_PERSONS", "age=child"): part})
    assert (errors == []) == (part <= total)


@given(
    values=st.dictionaries(
        st.sampled_from([(e.code, k) for e in SPECS for k in e.key_list()]),
        st.integers(min_value=-5, max_value=50),
    )
)
def test_any_accepted_set_is_consistent(values):
    if check_values(SPECS, values):
        return
    for spec in SPECS:
        total = values.get((spec.code, ""))
        assert all(v >= 0 for v in values.values())
        for cat in spec.categories:
            parts = [values.get((spec.code, f"{cat.code}={o.code}")) for o in cat.options]
            given_parts = [p for p in parts if p is not None]
            if total is not None:
                assert sum(given_parts) <= total
                if len(given_parts) == len(parts):
                    assert sum(given_parts) == total


def test_warning_when_a_figure_moves_more_than_the_factor():
    spec = [ElementSpec("POL_CASES", "Cases")]
    assert movement_warnings(spec, {("POL_CASES", ""): 40}, {("POL_CASES", ""): 12}, 2) != []
    assert movement_warnings(spec, {("POL_CASES", ""): 5}, {("POL_CASES", ""): 12}, 2) != []
    assert movement_warnings(spec, {("POL_CASES", ""): 20}, {("POL_CASES", ""): 12}, 2) == []
    assert movement_warnings(spec, {("POL_CASES", ""): 20}, {}, 2) == []
