"""The statistics catalogue: data sets, data elements and their categories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mkk.accounts import scoping
from mkk.core.forms import show_errors

from .. import forms, selectors, services


@login_required
@require_GET
def catalogue(request):
    scoping.require(scoping.can_read_aggregates(request.user))
    context = {**selectors.catalogue(), "can_manage": scoping.can_manage_catalogue(request.user)}
    return render(request, "statistics/catalogue.html", context)


def _create(request, form, create, done: str) -> bool:
    """``create(actor=…, **the form's data)``; the service's refusal goes onto the form."""
    try:
        create(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(form, exc)
        return False
    messages.success(request, done)
    return True


def _catalogue_new(request, form_class, create, done: str, title: str):
    """A new entry of the national catalogue: the form, the service, back to the catalogue."""
    scoping.require(scoping.can_manage_catalogue(request.user))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid() and _create(request, form, create, done):
        return redirect("statistics:catalogue")
    context = {"form": form, "title": title}
    return render(request, "statistics/catalogue_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def element_new(request):
    return _catalogue_new(
        request,
        forms.ElementForm,
        services.element_create,
        _("Data element added."),
        _("New data element"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disaggregation_new(request):
    return _catalogue_new(
        request,
        forms.DisaggregationForm,
        services.disaggregation_create,
        _("Disaggregation added."),
        _("New disaggregation"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def data_sets(request):
    """Usual period, deadline and warning factor of every data set (national role, admins)."""
    scoping.require(scoping.can_manage_catalogue(request.user))
    formset = forms.DataSetSettingsFormSet(request.POST or None, queryset=selectors.all_data_sets())
    if (
        request.method == "POST"
        and formset.is_valid()
        and services.data_sets_update(actor=request.user, formset=formset)
    ):
        messages.success(request, _("Data set settings saved."))
        return redirect("statistics:catalogue")
    return render(request, "statistics/data_sets.html", {"formset": formset})
