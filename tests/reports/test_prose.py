"""Generated sentences in Albanian, English and Serbian: plurals, directions, missing data."""

from __future__ import annotations

import datetime as dt

import pytest

from mkk.reports import prose

START, END = dt.date(2019, 1, 1), dt.date(2019, 9, 30)


def fig(code="POL_CASES", cur=83, prev=78, extra=None, locative="Policinë e Kosovës", hidden=None):
    diff = None if cur is None or prev is None else cur - prev
    change = (
        "unknown"
        if diff is None
        else "increase"
        if diff > 0
        else "decrease"
        if diff < 0
        else "same"
    )
    values = {"": {"current": cur, "previous": prev, "difference": diff, "change": change}}
    values.update(extra or {})
    return {
        "institution": {
            "name": {"sq": "Policia e Kosovës", "en": "Kosovo Police", "sr": "Kosovska policija"},
            "locative_sq": locative,
        },
        "element": {"code": code, "name": {"sq": "Raste", "en": "Cases", "sr": "Slučajevi"}},
        "values": values,
        "hidden": hidden or {},
    }


def say(f, lang):
    return prose.figure_sentence(f, start=START, end=END, language=lang)


def test_albanian_example_of_the_issue():
    assert say(fig(), "sq") == (
        "Gjatë periudhës janar – shtator 2019 në Policinë e Kosovës janë paraqitur 83 raste, "
        "5 më shumë se në periudhën e njëjtë të vitit 2018 (78 raste)."
    )


def test_english_and_serbian_increase():
    assert say(fig(), "en") == (
        "In January – September 2019, 83 cases were reported at Kosovo Police, "
        "5 more than in the same period of 2018 (78 cases)."
    )
    assert say(fig(), "sr") == (
        "U periodu januar – septembar 2019 u instituciji „Kosovska policija“ prijavljena su "
        "83 slučaja, 5 više nego u istom periodu 2018. godine (78 slučajeva)."
    )


@pytest.mark.parametrize(
    ("n", "sq", "en", "sr"),
    [
        (1, "është paraqitur 1 rast", "1 case was reported", "prijavljen je 1 slučaj"),
        (2, "janë paraqitur 2 raste", "2 cases were reported", "prijavljena su 2 slučaja"),
        (5, "janë paraqitur 5 raste", "5 cases were reported", "prijavljeno je 5 slučajeva"),
        (21, "janë paraqitur 21 raste", "21 cases were reported", "prijavljen je 21 slučaj"),
        (11, "janë paraqitur 11 raste", "11 cases were reported", "prijavljeno je 11 slučajeva"),
        (24, "janë paraqitur 24 raste", "24 cases were reported", "prijavljena su 24 slučaja"),
    ],
)
def test_plural_forms(n, sq, en, sr):
    assert sq in say(fig(cur=n, prev=n), "sq")
    assert en in say(fig(cur=n, prev=n), "en")
    assert sr in say(fig(cur=n, prev=n), "sr")


@pytest.mark.parametrize(
    ("n", "sq", "sr"),
    [
        (1, "1 viktimë", "1 žrtva"),
        (2, "2 viktima", "2 žrtve"),
        (5, "5 viktima", "5 žrtava"),
        (21, "21 viktima", "21 žrtva"),
    ],
)
def test_victims_plural(n, sq, sr):
    f = fig("QPS_VICTIMS", cur=n, prev=n)
    assert sq in say(f, "sq")
    assert sr in say(f, "sr")


def test_decrease_with_breakdown_in_three_languages():
    f = fig(
        "QPS_VICTIMS",
        76,
        80,
        {"sex=female": {"current": 59}, "sex=male": {"current": 17}},
        locative="Qendrën për Punë Sociale",
    )
    sq = say(f, "sq")
    assert "janë trajtuar 76 viktima të dhunës në familje, nga to 59 femra dhe 17 meshkuj." in sq
    assert "(80 viktima), numri është më i vogël për 4." in sq
    en = say(f, "en")
    assert "76 victims of domestic violence were treated" in en
    assert "of whom 59 women and 17 men" in en and "the number is lower by 4" in en
    sr = say(f, "sr")
    assert "od toga 59 žena i 17 muškaraca" in sr and "broj je manji za 4" in sr


def test_shelter_adults_and_children():
    f = fig(
        "STR_PERSONS",
        51,
        66,
        {"age=adult": {"current": 25}, "age=child": {"current": 26}},
        locative="Strehimoren “Liria”",
    )
    sq = say(f, "sq")
    assert "janë strehuar gjithsej 51 persona, nga to 25 të rritur dhe 26 fëmijë." in sq
    assert "(66 persona), numri është më i vogël për 15." in sq
    assert "25 odraslih osoba i 26 dece" in say(f, "sr")
    assert "25 adults and 26 children" in say(f, "en")


def test_no_change():
    assert "njësoj si në periudhën e njëjtë të vitit 2018 (7 raste)" in say(
        fig(cur=7, prev=7), "sq"
    )
    assert "the same as in the same period of 2018 (7 cases)" in say(fig(cur=7, prev=7), "en")
    assert "isto kao u istom periodu 2018. godine (7 slučajeva)" in say(fig(cur=7, prev=7), "sr")


def test_missing_is_said_as_missing_never_as_zero():
    sq = say(fig(cur=None, prev=78), "sq")
    assert sq.startswith(
        "Për periudhën janar – shtator 2019 nuk ka të dhëna për rastet e paraqitura"
    )
    assert "0" not in sq.replace("2019", "").replace("2018", "")
    assert "there are no data" in say(fig(cur=None, prev=78), "en")
    assert "nema podataka" in say(fig(cur=None, prev=78), "sr")
    sq = say(fig(cur=12, prev=None), "sq")
    assert "ndërsa për periudhën e njëjtë të vitit 2018 nuk ka të dhëna" in sq
    assert "while there are no data for the same period of 2018" in say(
        fig(cur=12, prev=None), "en"
    )


def test_fallback_without_locative():
    assert "në institucionin “Policia e Kosovës”" in say(fig(locative=""), "sq")


def test_hidden_small_numbers_in_public_prose():
    f = fig(
        cur=None,
        prev=None,
        hidden={
            "": {"current": "primary", "previous": "complementary", "difference": "complementary"}
        },
    )
    sq = say(f, "sq")
    assert "më pak se 5 raste" in sq and "nuk publikohet" in sq
    assert "fewer than 5 cases" in say(f, "en")
    assert "manje od 5 slučajeva" in say(f, "sr")


def test_summary_sentences():
    assert prose.meetings_sentence(4, start=START, end=END, language="sq") == (
        "Gjatë periudhës janar – shtator 2019 mekanizmi ka mbajtur 4 takime."
    )
    assert "1 meeting." in prose.meetings_sentence(1, start=START, end=END, language="en")
    assert "5 sastanaka." in prose.meetings_sentence(5, start=START, end=END, language="sr")
    assert "9.000 EUR" in prose.budget_sentence(9000, 0, "EUR", language="sq")
    assert "9,000 EUR" in prose.budget_sentence(9000, 0, "EUR", language="en")
    assert (
        prose.period_phrase(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "sq")
        == "janar – dhjetor 2025"
    )
