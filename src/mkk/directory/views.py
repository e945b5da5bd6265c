from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mkk.accounts import scoping

from . import selectors


@login_required
@require_GET
def municipality_view(request, code: str):
    """The mechanism of a municipality: decision, coordinator, members, contacts, glossary."""
    municipality = selectors.municipality_for(request.user, code)
    scoping.require(scoping.can_read_aggregates(request.user))
    mechanism = selectors.mechanism_of(municipality)
    members = list(selectors.memberships(mechanism))
    context = {
        "municipality": municipality,
        "mechanism": mechanism,
        "members": [m for m in members if m.role == "member"],
        "partners": [m for m in members if m.role == "partner"],
        "contacts": selectors.public_contacts(municipality),
        "glossary": selectors.glossary(municipality),
        "institutions": selectors.institutions_for(request.user, municipality),
        "can_manage": scoping.can_manage_mechanism(request.user, municipality.pk),
    }
    return render(request, "directory/municipality.html", context)


@login_required
@require_GET
def institution_view(request, pk: int):
    institution = selectors.institution_for(request.user, pk)
    scoping.require(scoping.can_read_aggregates(request.user))
    memberships = institution.memberships.select_related("mechanism")
    return render(
        request,
        "directory/institution.html",
        {
            "institution": institution,
            "municipality": institution.municipality,
            "memberships": memberships,
        },
    )


@require_GET
def public_index(request):
    return render(
        request,
        "directory/public_index.html",
        {"municipalities": selectors.public_municipalities()},
    )


@require_GET
def public_contacts(request, code: str):
    """Emergency contacts of a municipality: public, no login."""
    municipality = selectors.public_municipality(code)
    return render(
        request,
        "directory/public_contacts.html",
        {"municipality": municipality, "contacts": selectors.public_contacts(municipality)},
    )
