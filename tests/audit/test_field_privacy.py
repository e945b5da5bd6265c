"""Audit privacy by field class (issue 12.1).

Every case model declares which fields hold case content (``audit_private_fields``). The
audit log keeps who changed which field and when, but no reader who may not open the case
through the case pages — coordinator, national, viewer, administrator, focal point, a case
worker of another institution — sees any value of any case field anywhere under /audit/.
The case models are found programmatically, so a new one is covered (or fails) at once.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from mkk.audit import privacy
from mkk.audit.models import AuditEntry
from mkk.cases import services
from mkk.cases.models import Case, CaseAudit, Consent
from mkk.directory.models import InstitutionKind
from tests.cases.helpers import identity
from tests.conftest import login

pytestmark = pytest.mark.django_db

PAST = dt.date(2024, 2, 29)


def case_models() -> list:
    """Case and every model of the cases app that belongs to a case (a FK to Case)."""
    out = []
    for model in apps.get_app_config("cases").get_models():
        if model is Case or any(
            f.is_relation and f.related_model is Case for f in model._meta.concrete_fields
        ):
            out.append(model)
    return out


def test_every_case_model_declares_every_field():
    models = case_models()
    assert Case in models and len(models) >= 7
    for model in models:
        assert issubclass(model, CaseAudit), model
        declared = set(model.audit_private_fields) | set(
            getattr(model, "audit_sensitive_fields", ())
        )
        fields = {f.name for f in model._meta.concrete_fields} - {"id", "reference"}
        assert fields <= declared, f"{model.__name__}: declare {sorted(fields - declared)}"


def _scenario(world):
    """One case with every kind of record, changed after creation (UPDATE entries too)."""
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    shelter = world.drenas.users["case_shelter"]
    case = services.case_create(
        actor=police,
        institution=police.institution,
        identity=identity(),
        sex="female",
        age_group="adult",
        age_band="25-44",
        residence_municipality=world.gjilan.municipality,
        consent_to_share=Consent.NO,
        sharing_legal_ground="danger_to_life",
        sharing_reason="SHAREREASON-Q7Z",
        opened_on=PAST,
        external_reference="EXTREF-Q7Z",
    )
    services.incident_add(
        actor=police,
        case=case,
        occurred_on=PAST,
        forms=["psychological", "economic"],
        relation="former_spouse",
        perpetrator_sex="male",
        risk_level="medium",
        children_affected=3,
        reported_at=timezone.make_aware(dt.datetime(2024, 2, 29, 13, 17)),
        summary="SUMMARY-Q7Z",
    )
    referral = services.referral_send(
        actor=police, case=case, to_institution=qps.institution, reason="REFREASON-Q7Z"
    )
    services.referral_accept(
        actor=qps, referral=referral, legal_ground="child_at_risk", ground_reason="GROUND-Q7Z"
    )
    declined = services.referral_send(
        actor=police, case=case, to_institution=shelter.institution, reason="SECOND-Q7Z"
    )
    services.referral_decline(actor=shelter, referral=declined, reason="DECLINE-Q7Z")
    order = services.child_add(
        actor=police,
        case=case,
        record_type="order",
        kind="interim_police",
        status="requested",
        requested_on=dt.date(2024, 3, 1),
    )
    services.child_update(actor=police, obj=order, status="issued", decided_on=dt.date(2024, 3, 2))
    services.child_add(
        actor=police,
        case=case,
        record_type="court",
        decided_on=dt.date(2024, 5, 6),
        outcome="suspended",
        final=True,
    )
    services.child_add(
        actor=police,
        case=case,
        record_type="shelter",
        institution=shelter.institution,
        admitted_on=dt.date(2024, 3, 3),
        accompanying_children=2,
    )
    services.child_add(
        actor=police,
        case=case,
        record_type="service",
        kind="psycho_social",
        given_on=dt.date(2024, 3, 4),
    )
    services.case_close(actor=police, case=case)
    return case


def _values(entries) -> set[str]:
    """Every distinctive value the log holds for private fields, as a page could show it."""
    out = set()
    for entry in entries:
        model = privacy.model_of(entry.object_type)
        secret = privacy.private_fields(model)
        for name, pair in entry.changes.items():
            if name not in secret:
                continue
            for value in pair:
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str) and len(item) >= 5:
                        out.add(item)
                        if len(item) == 10 and item[4] == "-" and item[7] == "-":
                            y, m, d = item.split("-")
                            out.add(f"{d}.{m}.{y}")
    # The test world names its institutions after their kind ("shelter Drenas"), and a
    # referral's kind repeats the receiver's kind: those words are on the page as names.
    return out - set(InstitutionKind.values)


def _shown(value: str, body: str) -> bool:
    """``value`` as a whole token (field names such as ``closed_at`` do not count)."""
    return re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", body) is not None


NON_OWNERS = ["coordinator", "viewer", "focal_police", "case_other"]


@pytest.mark.parametrize("who", [*NON_OWNERS, "national", "admin", "gjilan_coordinator"])
def test_no_case_value_anywhere_under_audit(client, world, who):
    case = _scenario(world)
    entries = list(AuditEntry.objects.filter(object_type__startswith="cases."))
    covered = {e.object_type for e in entries}
    for model in case_models():
        assert model._meta.label_lower in covered, f"no audit entry of {model.__name__}"
    values = _values(entries)
    assert {"SUMMARY-Q7Z", "REFREASON-Q7Z", "DECLINE-Q7Z", "EXTREF-Q7Z", "29.02.2024"} <= values

    user = {
        "national": world.national,
        "admin": world.admin,
        "gjilan_coordinator": world.gjilan.users["coordinator"],
        "case_other": world.gjilan.users["case_police"],
    }.get(who) or world.drenas.users[who]
    login(client, user)
    base = reverse("audit:index")
    urls = [base, f"{base}?page=2", f"{base}?action=update", f"{base}?action=create"]
    for entry in entries:
        urls.append(f"{base}?object_type={entry.object_type}&object_id={entry.object_id}")
        if who == "admin":
            urls.append(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    urls.append(reverse("admin:audit_auditentry_changelist") + "?q=Q7Z")
    seen_entries = False
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404}, url
        body = response.content.decode()
        leaked = sorted(v for v in values if _shown(v, body))
        assert not leaked, f"{who} sees {leaked} at {url}"
        seen_entries |= response.status_code == 200 and case.reference in body
    if who in {"coordinator", "admin"}:
        # They do see who changed which field of which case (by its reference), and when.
        assert seen_entries
        body = client.get(f"{base}?object_type=cases.incident").content.decode()
        # The field is named by its label in the reader's language (issue 15.10).
        from django.utils import translation
        from django.utils.text import capfirst

        from mkk.cases.models import Incident

        with translation.override("sq"):
            label = capfirst(str(Incident._meta.get_field("summary").verbose_name))
        assert label in body and str(privacy.HIDDEN) not in ("", None)


def test_values_are_kept_and_shown_to_the_case_workers_who_may_open_the_case(world):
    case = _scenario(world)
    entry = AuditEntry.objects.get(object_type="cases.incident", action="create")
    assert entry.changes["summary"] == [None, "SUMMARY-Q7Z"]  # kept in the log
    owner = world.drenas.users["case_police"]
    shown = privacy.redact(owner, [AuditEntry.objects.get(pk=entry.pk)])[0]
    assert shown.changes["summary"] == [None, "SUMMARY-Q7Z"]
    for user in (world.drenas.users["coordinator"], world.admin, world.gjilan.users["case_police"]):
        shown = privacy.redact(user, [AuditEntry.objects.get(pk=entry.pk)])[0]
        assert shown.changes["summary"] == [privacy.HIDDEN, privacy.HIDDEN]
        assert shown.object_repr == case.reference
