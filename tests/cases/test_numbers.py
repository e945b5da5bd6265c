"""Figures from cases, deadlines, import, retention and key rotation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from mkk.cases import crypto, importer, selectors, services
from mkk.cases.models import Case, CaseStatus, Referral, ReferralDeadline, VictimIdentity
from mkk.directory.models import InstitutionKind as K

from .helpers import NAME, NUMBER, identity, open_case

pytestmark = pytest.mark.django_db


def test_victim_key_normalises_and_needs_the_key():
    a = crypto.victim_key(personal_number="12 345-67890")
    assert a == crypto.victim_key(personal_number="1234567890") and len(a) == 64
    b = crypto.victim_key(name="Ëndrit  ÇELA", date_of_birth=dt.date(2000, 1, 2))
    assert b == crypto.victim_key(name="endrit cela", date_of_birth=dt.date(2000, 1, 2))
    assert crypto.victim_key(name="Endrit Cela") == ""
    with override_settings(MKK_PSEUDONYM_KEY="another"):
        assert crypto.victim_key(personal_number="1234567890") != a


def test_same_person_at_police_and_shelter_is_one_unique_victim(world):
    police = world.drenas.users["case_police"]
    shelter = world.drenas.users["case_shelter"]
    qps = world.drenas.users["case_social_work"]
    day = dt.date(2026, 2, 3)
    open_case(police, opened_on=day)
    # the shelter writes the number differently and has no name: still the same person
    open_case(shelter, opened_on=day, ident=services.Identity(personal_number="123 450 9876"))
    open_case(qps, opened_on=day, ident=identity(name="Tjetër Person", number="5555555555"))
    f = selectors.case_figures(
        municipality=world.drenas.municipality, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert f.cases == 3
    assert f.unique_victims == 2
    assert f.victims_in_more_than_one_institution == 1
    assert sorted(n for _, n in f.cases_by_institution) == [1, 1, 1]
    # Gjilan's figures do not include Drenas cases
    g = selectors.case_figures(
        municipality=world.gjilan.municipality, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert g.cases == 0 and g.unique_victims == 0


def test_response_hours_median_p90_and_share_in_time(world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    base = timezone.make_aware(dt.datetime(2026, 3, 2, 8, 0))
    hours = [2, 10, 20, 30, 40]  # deadline 24 h: three answered in time
    for i, h in enumerate(hours):
        case = open_case(
            police, opened_on=dt.date(2026, 3, 1), ident=identity(number=f"10000000{i:02d}")
        )
        case.incidents.update(reported_at=base - dt.timedelta(hours=1))
        r = services.referral_send(
            actor=police, case=case, to_institution=qps.institution, reason="r", sent_at=base
        )
        assert r.deadline_at == base + dt.timedelta(hours=24)
        services.referral_accept(actor=qps, referral=r, at=base + dt.timedelta(hours=h))
    late = open_case(police, opened_on=dt.date(2026, 3, 1), ident=identity(number="2000000000"))
    services.referral_send(
        actor=police, case=late, to_institution=qps.institution, reason="r", sent_at=base
    )
    now = base + dt.timedelta(days=3)
    f = selectors.case_figures(
        municipality=world.drenas.municipality,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        now=now,
    )
    # from the police report (1 h before sending) to the acceptance
    assert f.police_to_social_work_hours == [3, 11, 21, 31, 41]
    assert f.median_hours_police_to_social_work == 21
    assert f.p90_hours_police_to_social_work == pytest.approx(37.0)
    assert f.referrals_sent == 6 and f.referrals_due == 6 and f.referrals_answered_in_time == 3
    assert f.share_answered_in_time == 0.5
    assert f.overdue_now == 1


def test_deadline_table_overrides(world):
    assert (
        services.deadline_hours(from_kind="police", to_kind="social_work", urgency="normal") == 24
    )
    assert services.deadline_hours(from_kind="police", to_kind="shelter", urgency="urgent") == 2
    assert services.deadline_hours(from_kind="police", to_kind="legal_aid", urgency="normal") == 72
    drenas = world.drenas.municipality
    services.deadline_set(
        actor=world.drenas.users["coordinator"],
        municipality=drenas,
        from_kind="police",
        to_kind="social_work",
        urgency="normal",
        hours=12,
    )
    assert (
        services.deadline_hours(
            from_kind="police", to_kind="social_work", urgency="normal", municipality=drenas
        )
        == 12
    )
    assert (
        services.deadline_hours(
            from_kind="police",
            to_kind="social_work",
            urgency="normal",
            municipality=world.gjilan.municipality,
        )
        == 24
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.deadline_set(
            actor=world.gjilan.users["coordinator"],
            municipality=drenas,
            from_kind="",
            to_kind="shelter",
            urgency="normal",
            hours=1,
        )
    assert ReferralDeadline.objects.filter(municipality=drenas).count() == 1


GOOD = (
    "personal_number;full_name;date_of_birth;sex;age_group;opened_on;incident_date;forms;relation;perpetrator_sex;"
    "reported_at;consent_to_share;consent_date\n"
    "1111111111;;;female;adult;2026-01-05;2026-01-04;physical|psychological;spouse;male;"
    "2026-01-04 21:30;yes;05.01.2026\n"
    ";Drita Provë;01.02.1985;female;adult;06.01.2026;2026-01-06;economic;former_spouse;male;;;\n"
)


def test_import_lands_whole(world):
    police = world.drenas.users["case_police"]
    result = importer.import_cases(actor=police, institution=police.institution, data=GOOD.encode())
    assert result.ok, result.errors
    assert len(result.created) == 2
    assert Case.objects.count() == 2
    assert (
        VictimIdentity.objects.get(
            case__external_reference="", case__opened_on=dt.date(2026, 1, 6)
        ).full_name
        == "Drita Provë"
    )


def test_import_rejects_whole_file_naming_rows(world):
    police = world.drenas.users["case_police"]
    bad = GOOD + (
        "2222222222;;;female;adult;31.02.2026;2026-01-04;physical;spouse;male;;;\n"
        "3333333333;;;female;adult;2026-01-05;2026-01-04;kicking;spouse;male;;;\n"
        ";Pa Datë;;female;adult;2026-01-05;2026-01-04;physical;spouse;male;;;\n"
        "44;;;female;adult;2026-01-05;2026-01-04;physical;spouse;male;;;\n"
    )
    result = importer.import_cases(actor=police, institution=police.institution, data=bad.encode())
    assert not result.ok
    text = "\n".join(result.errors)
    assert "4" in result.errors[0] and "opened_on" in result.errors[0]
    assert any("5" in e and "forms" in e for e in result.errors)
    assert any("6" in e for e in result.errors)
    assert any("7" in e and "personal_number" in e for e in result.errors)
    assert "Pa Datë" not in text and "3333333333" not in text
    assert Case.objects.count() == 0


def test_import_other_bad_files(world):
    police = world.drenas.users["case_police"]
    for data in [b"\xff\xfe\x00bad", b"sex,age_group\nfemale,adult\n", b"", b"a;b\n"]:
        result = importer.import_cases(actor=police, institution=police.institution, data=data)
        assert not result.ok and result.errors
    assert Case.objects.count() == 0


def test_import_command(world, tmp_path):
    police = world.drenas.users["case_police"]
    path = tmp_path / "cases.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_cases", "--institution", str(police.institution_id), str(path), stdout=out)
    assert "2" in out.getvalue() and Case.objects.count() == 2


def test_retention_anonymises_closed_old_cases(world):
    police = world.drenas.users["case_police"]
    old = open_case(police, opened_on=dt.date(2020, 1, 1))
    services.case_close(actor=police, case=old)
    Case.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=6 * 365))
    recent = open_case(police, ident=identity(number="9999999999"))
    services.case_close(actor=police, case=recent)
    still_open = open_case(
        police, opened_on=dt.date(2020, 1, 1), ident=identity(number="8888888888")
    )
    key = Case.objects.get(pk=old.pk).victim_key
    out = io.StringIO()
    call_command("anonymize_cases", "--dry-run", stdout=out)
    assert old.reference in out.getvalue()
    assert VictimIdentity.objects.get(case=old).full_name == NAME
    call_command("anonymize_cases", stdout=io.StringIO())
    old.refresh_from_db()
    assert old.anonymized_at and old.victim_key == key
    ident = VictimIdentity.objects.get(case=old)
    assert [getattr(ident, f) for f in VictimIdentity.IDENTITY_FIELDS] == [""] * 5
    assert VictimIdentity.objects.get(case=recent).full_name == NAME
    assert VictimIdentity.objects.get(case=still_open).full_name == NAME
    assert not services.can_see_identity(police, old)
    with override_settings(MKK_CASE_RETENTION_DAYS=1):
        Case.objects.filter(pk=recent.pk).update(closed_at=timezone.now() - dt.timedelta(days=2))
        assert services.cases_anonymize() == [recent.reference]


def test_rotate_keys(world, settings):
    police = world.drenas.users["case_police"]
    open_case(police)
    old_key = settings.MKK_FIELD_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.MKK_FIELD_KEYS = [new_key, old_key]
    call_command("rotate_keys", stdout=io.StringIO())
    settings.MKK_FIELD_KEYS = [new_key]  # the old key is gone: values still readable
    ident = VictimIdentity.objects.get()
    assert ident.full_name == NAME and ident.personal_number == NUMBER
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT full_name FROM {VictimIdentity._meta.db_table}")  # noqa: S608
        token = cursor.fetchone()[0]
    assert crypto.is_token(token) and NAME not in token


def test_statistics_values_from_police_and_shelter_cases(world):
    police = world.drenas.users["case_police"]
    shelter = world.drenas.users["case_shelter"]
    day = dt.date(2026, 4, 10)
    open_case(police, opened_on=day)
    open_case(police, opened_on=day)  # same victim again
    open_case(
        police, opened_on=day, sex="male", age_group="child", ident=identity(number="7777777777")
    )
    values = services.statistics_values(
        institution=police.institution,
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 4, 30),
    )
    assert values == {
        ("POL_CASES", ""): 3,
        ("POL_VICTIMS", ""): 2,
        ("POL_VICTIMS", "sex=female"): 1,
        ("POL_VICTIMS", "sex=male"): 1,
        ("POL_VICTIMS", "age=adult"): 1,
        ("POL_VICTIMS", "age=child"): 1,
    }
    case = open_case(shelter, opened_on=day)
    services.child_add(
        actor=shelter, case=case, record_type="shelter", admitted_on=day, accompanying_children=2
    )
    values = services.statistics_values(
        institution=shelter.institution,
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 4, 30),
    )
    assert values == {
        ("STR_PERSONS", ""): 3,
        ("STR_PERSONS", "age=adult"): 1,
        ("STR_PERSONS", "age=child"): 2,
    }


def test_statistics_from_cases_saves_a_draft_submission(world):
    pytest.importorskip("mkk.statistics.services")
    from mkk.statistics.catalogue import ensure_default_catalogue
    from mkk.statistics.models import Submission

    ensure_default_catalogue()
    police = world.drenas.users["case_police"]
    open_case(police, opened_on=dt.date(2026, 4, 10))
    sub = services.statistics_from_cases(
        actor=world.drenas.users["focal_police"],
        institution=police.institution,
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 4, 30),
    )
    sub = Submission.objects.get(pk=sub.pk)
    assert sub.source == "cases"
    values = {(v.element.code, v.key): v.value for v in sub.values.select_related("element")}
    assert values[("POL_CASES", "")] == 1 and values[("POL_VICTIMS", "sex=female")] == 1


def test_referral_rules(world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(police)
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services.referral_send(
            actor=police, case=case, to_institution=police.institution, reason="r"
        )
    r = services.referral_send(actor=police, case=case, to_institution=qps.institution, reason="r")
    with pytest.raises(ValidationError):
        services.referral_send(actor=police, case=case, to_institution=qps.institution, reason="r")
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=police, referral=r)
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=world.gjilan.users["case_social_work"], referral=r)
    services.referral_withdraw(actor=police, referral=r)
    with pytest.raises(ValidationError):
        services.referral_accept(actor=qps, referral=r)
    assert Referral.objects.get().status == "withdrawn"
    services.case_close(actor=police, case=case)
    assert Case.objects.get().status == CaseStatus.CLOSED
    with pytest.raises(ValidationError):
        services.referral_send(
            actor=police, case=Case.objects.get(), to_institution=qps.institution, reason="r"
        )
    assert world.drenas.inst(K.SHELTER)


def test_import_twice_does_not_double_cases(world):
    police = world.drenas.users["case_police"]
    data = "external_reference;personal_number;sex;age_group;opened_on;incident_date;forms;"
    data += "relation;perpetrator_sex\n"
    data += "PK-1;1111111111;female;adult;2026-01-05;2026-01-04;physical;spouse;male\n"
    assert importer.import_cases(
        actor=police, institution=police.institution, data=data.encode()
    ).ok
    again = importer.import_cases(actor=police, institution=police.institution, data=data.encode())
    assert not again.ok and "external_reference" in again.errors[0]
    twice = data + "PK-2;2222222222;female;adult;2026-01-05;2026-01-04;physical;spouse;male\n" * 2
    result = importer.import_cases(
        actor=police, institution=police.institution, data=twice.encode()
    )
    assert not result.ok and len(result.errors) == 2  # PK-1 again, and PK-2 twice
    assert result.errors[0].split(":")[0].endswith("2") and result.errors[1].split(":")[0].endswith(
        "4"
    )
    assert Case.objects.count() == 1
