"""The audit view in people's words (issue 15.10): field labels, names, local time, reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from mkk.audit import presentation
from mkk.audit.context import acting
from mkk.audit.models import AuditAction, AuditEntry
from mkk.audit.services import SENSITIVE, record
from mkk.cases.models import Referral
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_audit_page_names_fields_objects_and_people(client, world, settings):
    coordinator = world.drenas.users["coordinator"]
    coordinator.first_name, coordinator.last_name = "Vjosa", "Krasniqi"
    coordinator.save()
    deputy = world.drenas.users["focal_police"]
    deputy.first_name, deputy.last_name = "Arta", "Gashi"
    deputy.save()
    mechanism = world.drenas.mechanism
    with acting(user=coordinator, reason="load_demo"):
        mechanism.deputy_approver = deputy
        mechanism.decision_date = dt.date(2025, 3, 1)
        mechanism.save()
    entry = AuditEntry.objects.filter(
        object_type="directory.mechanism", action=AuditAction.UPDATE
    ).latest("pk")
    assert entry.changes["deputy_approver"] == [None, deputy.pk]  # stored as written

    login(client, coordinator)
    client.cookies["django_language"] = "sq"
    body = client.get(reverse("audit:index"), {"object_type": "directory.mechanism"}).content
    html = body.decode()
    assert "deputy_approver" not in html and f"→ {deputy.pk}<" not in html
    assert "Miratuesi zëvendësues" in html  # the field's label, in Albanian
    assert "Arta Gashi" in html  # the related person's name, not the id
    assert "Vjosa Krasniqi" in html  # who did it, by name
    assert "01.03.2025" in html  # a date as people write it
    assert "load_demo" not in html and "të dhënat demonstruese" in html  # the reason translated
    local = entry.timestamp.astimezone(presentation.KOSOVO).strftime("%d.%m.%Y %H:%M")
    assert local in html  # Kosovo time


def test_values_hidden_stay_hidden_and_case_records_are_never_named(world):
    coordinator = world.drenas.users["coordinator"]
    record(
        AuditAction.UPDATE,
        world.drenas.mechanism,
        actor=coordinator,
        changes={"coordinator_name": [SENSITIVE, SENSITIVE]},
        reason="xlsx public",
    )
    entry = AuditEntry.objects.latest("pk")
    case_field = next(
        f.name
        for f in Referral._meta.fields
        if f.is_relation and f.related_model._meta.app_label == "cases"
    )
    with translation.override("en"):
        (row,) = presentation.rows([entry])
        text = presentation.value_text(Referral, case_field, 12345, presentation._Names())
    assert row.changes[0].after == "changed (the value is not kept)"
    assert row.reason == "XLSX file, public version"
    assert row.object_kind == "Mechanism" and row.user == coordinator.username
    assert text == "no. 12345"
