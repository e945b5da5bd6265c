"""The personal-data guard: personal numbers, phones, e-mails, names and addresses."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkk.meetings.validators import (
    EMAIL,
    NAME_OR_ADDRESS,
    PERSONAL_NUMBER,
    PHONE,
    find_personal_data,
    normalise_phone,
    personal_data_errors,
)

# Filler text: words of letters (Albanian included), never digits or '@'.
WORD = st.text(alphabet=string.ascii_lowercase + "ëçq", min_size=1, max_size=10)
FILLER = st.lists(WORD, max_size=8).map(" ".join)

personal_numbers = st.integers(min_value=1_000_000_000, max_value=9_999_999_999).map(str)
sep = st.sampled_from([" ", "-", ".", "/", ""])


@st.composite
def phones(draw):
    style = draw(st.sampled_from(["intl", "mobile", "landline", "freephone"]))
    s = draw(sep)
    d = lambda n: "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=n, max_size=n)))  # noqa: E731
    if style == "intl":
        space = draw(st.sampled_from([" ", ""]))
        operator = draw(st.sampled_from(["44", "45", "49", "43", "48"]))
        return f"+383{space}{operator}{s}{d(3)}{s}{d(3)}"
    if style == "mobile":
        return f"0{draw(st.sampled_from(['44', '45', '49', '43', '48']))}{s}{d(3)}{s}{d(3)}"
    if style == "landline":
        return f"0{draw(st.sampled_from(['38', '28', '29', '39', '280', '290']))}{s}{d(3)}{s}{d(3)}"
    return f"0800{draw(st.sampled_from([' ', '']))}{d(5)}"


def _around(before: str, secret: str, after: str) -> tuple[str, int]:
    prefix = f"{before} " if before else ""
    return f"{prefix}{secret} {after}".strip(), len(prefix)


@settings(max_examples=300, deadline=None)
@given(before=FILLER, number=personal_numbers, after=FILLER)
def test_personal_number_is_found_where_it_is(before, number, after):
    text, at = _around(before, number, after)
    found = find_personal_data(text)
    assert [(f.kind, f.start, f.end) for f in found] == [(PERSONAL_NUMBER, at, at + 10)]
    assert number not in found[0].masked  # the message never repeats it whole


@settings(max_examples=300, deadline=None)
@given(before=FILLER, phone=phones(), after=FILLER)
def test_phone_number_is_found(before, phone, after):
    text, at = _around(before, phone, after)
    found = find_personal_data(text)
    assert [(f.kind, f.start) for f in found] == [(PHONE, at)], text
    assert found[0].end - found[0].start == len(phone)


@settings(max_examples=200, deadline=None)
@given(phone=phones())
def test_public_service_numbers_are_allowed(phone):
    assert find_personal_data(f"Thirrni {phone} për ndihmë.", allowed_numbers=[phone]) == []


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=4),
    year=st.integers(min_value=2000, max_value=2099),
    number=st.integers(min_value=0, max_value=999_999),
    digits=st.integers(min_value=3, max_value=6),
    before=FILLER,
)
def test_case_references_are_never_flagged(prefix, year, number, digits, before):
    reference = f"{prefix}-{year}-{str(number).zfill(digits)}"
    assert find_personal_data(f"{before} {reference} u diskutua.") == []


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=string.ascii_letters + " .,;:ëçË\n", max_size=200))
def test_text_without_digits_or_keywords_is_clean(text):
    found = [f for f in find_personal_data(text) if f.kind != NAME_OR_ADDRESS]
    assert found == []


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Viktima me numër personal 1234567890 u referua.", PERSONAL_NUMBER),
        ("Numri: 12 34 56 78 90", PERSONAL_NUMBER),
        ("Kontakt +383 44 123 456", PHONE),
        ("Tel. 044-123-456", PHONE),
        ("thirri 049 123 456 dje", PHONE),
        ("QPS 038 584 356", PHONE),
        ("(044) 123 456", PHONE),
        ("0800 11112", PHONE),
        ("shkruani te filan.fisteku@example.com", EMAIL),
        ("emri: Arta", NAME_OR_ADDRESS),
        ("mbiemri Krasniqi", NAME_OR_ADDRESS),
        ("banon në rruga Adem Jashari", NAME_OR_ADDRESS),
        ("Adresa: Lagjja e Re", NAME_OR_ADDRESS),
    ],
)
def test_examples_are_found(text, kind):
    assert kind in {f.kind for f in find_personal_data(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Takimi u mbajt më 14.02.2019 nga ora 10:00 deri 12:00.",
        "Në Policinë e Kosovës janë paraqitur 83 raste (2018: 78 raste).",
        "Vendimi nr. 01-030/01-27874 i datës 11.06.2024.",
        "Rasti DR-2025-000012 u diskutua; plani 2025-2028.",
        "Thirrni 192 ose 112 në rast emergjence.",
        "Adresa e institucionit nuk ndryshoi; emri i projektit mbetet i njëjtë.",
        "Buxheti 1.000.000 euro për vitin 2026.",
    ],
)
def test_ordinary_meeting_text_is_clean(text):
    assert find_personal_data(text) == []


def test_emergency_numbers_are_allowed_in_any_format():
    assert (
        find_personal_data("QPS: +383 38 584 356 ose 038-584-356", allowed_numbers=["038 584 356"])
        == []
    )
    assert normalise_phone("+383 38 584 356") == normalise_phone("038 584 356") == "038584356"


def test_messages_name_the_field_kind_and_position_masked():
    errors = personal_data_errors({"minutes": ("Procesverbali", "Tel 044 123 456")})
    text = " ".join(errors["minutes"])
    assert "Procesverbali" in text and "5" in text
    assert "044 123 456" not in text and "04* *** *56" in text
