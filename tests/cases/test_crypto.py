"""Properties of the encryption and the pseudonymous key (hypothesis)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from mkk.cases import crypto

from .helpers import open_case


@given(st.text(min_size=1, max_size=300))
@settings(max_examples=60, deadline=None)
def test_encrypt_round_trip_and_never_plain(value):
    token = crypto.encrypt(value)
    assert crypto.is_token(token)
    assert crypto.decrypt(token) == value
    if len(value) >= 4:
        assert value not in token
    assert crypto.encrypt(value) != token  # randomised: equal values do not look equal


@given(
    st.lists(st.integers(0, 9), min_size=10, max_size=10),
    st.sampled_from(["", " ", "-", "  ", "."]),
)
@settings(max_examples=60, deadline=None)
def test_victim_key_ignores_how_the_number_is_written(digits, sep):
    plain = "".join(map(str, digits))
    written = sep.join([plain[:3], plain[3:7], plain[7:]])
    assert crypto.victim_key(personal_number=written) == crypto.victim_key(personal_number=plain)


@given(st.sampled_from(["Ëndrit Çela", "ENDRIT CELA", "endrit  çela", " Endrit-Çela "]))
def test_victim_key_name_variants(name):
    day = dt.date(1999, 9, 9)
    assert crypto.victim_key(name=name, date_of_birth=day) == crypto.victim_key(
        name="endrit cela", date_of_birth=day
    )
    assert crypto.victim_key(name=name, date_of_birth=day) != crypto.victim_key(
        name=name, date_of_birth=dt.date(1999, 9, 10)
    )


def test_decrypt_with_unknown_key_fails_without_showing_the_value(settings):
    token = crypto.encrypt("Sekret Emri")
    from cryptography.fernet import Fernet

    settings.MKK_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(RuntimeError) as info:
        crypto.decrypt(token)
    assert "Sekret" not in str(info.value) and token not in str(info.value)


@pytest.mark.django_db
def test_cases_statistics_command(world):
    from mkk.statistics.catalogue import ensure_default_catalogue

    ensure_default_catalogue()
    police = world.drenas.users["case_police"]
    open_case(police, opened_on=dt.date(2026, 4, 10))
    out = io.StringIO()
    args = [
        "--institution",
        str(police.institution_id),
        "--start",
        "2026-04-01",
        "--end",
        "2026-04-30",
    ]
    call_command("cases_statistics", *args, "--dry-run", stdout=out)
    assert "POL_CASES total: 1" in out.getvalue()
    call_command("cases_statistics", *args, stdout=out)
    assert "Saved submission" in out.getvalue()
