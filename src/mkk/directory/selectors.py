"""Reads of the registry, always through the access-scoping module."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mkk.accounts import scoping

from .models import (
    EmergencyContact,
    GlossaryTerm,
    Institution,
    Mechanism,
    Membership,
    Municipality,
    Region,
)


def municipalities_for(user) -> QuerySet[Municipality]:
    return scoping.scope(user, Municipality.objects.all())


def municipality_for(user, code: str) -> Municipality:
    """The municipality ``code`` if the user may see it; 404 otherwise."""
    return scoping.get_for_user(user, Municipality, code=code)


def institutions_for(user, municipality: Municipality | None = None) -> QuerySet[Institution]:
    qs = scoping.scope(user, Institution.objects.select_related("municipality"))
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs


def institution_for(user, pk: int) -> Institution:
    return scoping.get_for_user(user, Institution.objects.select_related("municipality"), pk=pk)


def mechanism_of(municipality: Municipality) -> Mechanism | None:
    return Mechanism.objects.filter(municipality=municipality).select_related("coordinator").first()


def memberships(mechanism: Mechanism | None, *, current_only: bool = True, on=None):
    if mechanism is None:
        return Membership.objects.none()
    qs = mechanism.memberships.select_related("institution")
    if current_only:
        day = on or timezone.localdate()
        qs = qs.exclude(until__lt=day).exclude(since__gt=day)
    return qs


def memberships_of_municipality(municipality: Municipality) -> QuerySet[Membership]:
    """Every membership (past ones too) of the municipality's mechanism."""
    return Membership.objects.filter(mechanism__municipality=municipality).select_related(
        "institution"
    )


def active_institutions_of(municipality: Municipality) -> QuerySet[Institution]:
    return Institution.objects.filter(municipality=municipality, is_active=True)


def membership_for(user, pk: int) -> Membership:
    return scoping.get_for_user(
        user, Membership.objects.select_related("institution", "mechanism__municipality"), pk=pk
    )


def contact_for(user, pk: int) -> EmergencyContact:
    return scoping.get_for_user(user, EmergencyContact, pk=pk)


def glossary_term_for(user, pk: int) -> GlossaryTerm:
    return scoping.get_for_user(user, GlossaryTerm, pk=pk)


def glossary(municipality: Municipality) -> QuerySet[GlossaryTerm]:
    return municipality.glossary.all()


# --- Public (no login): only what a municipality publishes for everyone ---------------


def public_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.filter(emergency_contacts__isnull=False).distinct()


def public_municipality(code: str) -> Municipality:
    return get_object_or_404(Municipality, code=code)


def public_contacts(municipality: Municipality) -> QuerySet[EmergencyContact]:
    return municipality.emergency_contacts.all()


def contacts_for(user) -> QuerySet[EmergencyContact]:
    """Emergency contacts of the municipalities the user may read."""
    return scoping.scope(user, EmergencyContact.objects.select_related("municipality"))


def region_for(code: str) -> Region:
    """A police region by its code (regions are public: the 8 of Kosovo); 404 when unknown."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region
