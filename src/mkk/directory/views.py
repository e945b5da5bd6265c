from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mkk.accounts import scoping

from . import selectors, services
from .forms import (
    EmergencyContactForm,
    GlossaryTermForm,
    InstitutionForm,
    MechanismForm,
    MembershipForm,
)
from .models import EmergencyContact, GlossaryTerm, Institution, Mechanism, Membership


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


# --- Editing the registry (the municipal coordinator) ------------------------------------


def _managed(request, municipality):
    """403 unless the user runs this municipality's mechanism."""
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))


def _edit(request, *, municipality, form_class, instance, title, form_kwargs=None):
    form_kwargs = form_kwargs or {}
    form = form_class(request.POST or None, instance=instance, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.registry_save(
                actor=request.user,
                obj=form.save(commit=False),
                municipality=municipality,
                version=form.version,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("directory:municipality", code=municipality.code)
    context = {"form": form, "municipality": municipality, "title": title, "instance": instance}
    return render(request, "directory/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mechanism_edit(request, code: str):
    municipality = selectors.municipality_for(request.user, code)
    _managed(request, municipality)
    mechanism = selectors.mechanism_of(municipality) or Mechanism(municipality=municipality)
    return _edit(
        request,
        municipality=municipality,
        form_class=MechanismForm,
        instance=mechanism,
        title=_("Edit the mechanism"),
        form_kwargs={"municipality": municipality},
    )


# kind: (load one by pk through scoping, its municipality, a new one, form, titles, form
# needs the municipality)
_REGISTRY = {
    "institution": (
        selectors.institution_for,
        lambda o: o.municipality,
        lambda m: Institution(municipality=m),
        InstitutionForm,
        (gettext_lazy("Edit institution"), gettext_lazy("New institution")),
        False,
    ),
    "membership": (
        selectors.membership_for,
        lambda o: o.mechanism.municipality,
        lambda m: Membership(),
        MembershipForm,
        (gettext_lazy("Edit membership"), gettext_lazy("New member")),
        True,
    ),
    "contact": (
        selectors.contact_for,
        lambda o: o.municipality,
        lambda m: EmergencyContact(municipality=m),
        EmergencyContactForm,
        (gettext_lazy("Edit emergency contact"), gettext_lazy("New emergency contact")),
        True,
    ),
    "glossary": (
        selectors.glossary_term_for,
        lambda o: o.municipality,
        lambda m: GlossaryTerm(municipality=m),
        GlossaryTermForm,
        (gettext_lazy("Edit abbreviation"), gettext_lazy("New abbreviation")),
        False,
    ),
}


def _registry_edit(request, kind: str, pk: int | None, code: str | None):
    """Edit (pk) or create (code) a registry object; the coordinator of its municipality only."""
    load, municipality_of, new, form_class, titles, needs_municipality = _REGISTRY[kind]
    if pk is not None:
        instance = load(request.user, pk)
        municipality = municipality_of(instance)
    else:
        municipality = selectors.municipality_for(request.user, code)
        instance = new(municipality)
    _managed(request, municipality)
    return _edit(
        request,
        municipality=municipality,
        form_class=form_class,
        instance=instance,
        title=titles[0] if pk is not None else titles[1],
        form_kwargs={"municipality": municipality} if needs_municipality else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request, pk: int | None = None, code: str | None = None):
    return _registry_edit(request, "institution", pk, code)


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk: int | None = None, code: str | None = None):
    return _registry_edit(request, "membership", pk, code)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int | None = None, code: str | None = None):
    return _registry_edit(request, "contact", pk, code)


@login_required
@require_http_methods(["GET", "POST"])
def glossary_edit(request, pk: int | None = None, code: str | None = None):
    return _registry_edit(request, "glossary", pk, code)


@login_required
@require_POST
def contact_delete(request, pk: int):
    contact = selectors.contact_for(request.user, pk)
    _managed(request, contact.municipality)
    services.registry_delete(actor=request.user, obj=contact)
    messages.success(request, _("Deleted."))
    return redirect("directory:municipality", code=contact.municipality.code)


@login_required
@require_POST
def glossary_delete(request, pk: int):
    term = selectors.glossary_term_for(request.user, pk)
    _managed(request, term.municipality)
    services.registry_delete(actor=request.user, obj=term)
    messages.success(request, _("Deleted."))
    return redirect("directory:municipality", code=term.municipality.code)
