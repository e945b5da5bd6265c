from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mkk.accounts import scoping
from mkk.core.forms import show_errors

from .models import (
    EmergencyContact,
    GlossaryTerm,
    Institution,
    Mechanism,
    Membership,
    Municipality,
    Region,
)
from .onboarding import municipality_onboard


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sq", "name_sr", "name_en", "order"]


class OnboardForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name_sq")
    )
    coordinator_email = forms.EmailField(label=_("Coordinator's e-mail"))
    coordinator_first_name = forms.CharField(label=_("First name"), max_length=150)
    coordinator_last_name = forms.CharField(label=_("Last name"), max_length=150)
    decision_number = forms.CharField(label=_("decision number"), max_length=60, required=False)
    decision_date = forms.DateField(
        label=_("decision date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sq", "name_sr", "name_en", "region", "population"]
    list_filter = ["region"]
    change_list_template = "admin/directory/municipality_changelist.html"

    def get_urls(self):
        own = [
            path(
                "onboard/",
                self.admin_site.admin_view(self.onboard_view),
                name="directory_municipality_onboard",
            )
        ]
        return own + super().get_urls()

    def onboard_view(self, request):
        """One step: mechanism, standard members, coordinator's invitation (idempotent)."""
        if not scoping.can_onboard_municipality(request.user):
            raise PermissionDenied
        form = OnboardForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = municipality_onboard(actor=request.user, **data)
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(municipality)s: %(count)s item created; %(state)s",
                        "%(municipality)s: %(count)s items created; %(state)s",
                        len(result.created),
                    )
                    % {
                        "municipality": result.municipality.name,
                        "count": len(result.created),
                        "state": _("the coordinator was invited by e-mail.")
                        if result.invited
                        else _("the coordinator already had an account."),
                    },
                )
                return redirect("admin:directory_municipality_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Onboard a municipality"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/directory/onboard.html", context)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name_sq", "abbreviation", "kind", "municipality", "level", "is_active"]
    list_filter = ["municipality", "kind", "level"]
    search_fields = ["name_sq", "name_sr", "name_en", "abbreviation", "aliases"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):
    list_display = ["municipality", "decision_number", "decision_date", "coordinator_name"]
    inlines = [MembershipInline]


@admin.register(EmergencyContact)
class EmergencyContactAdmin(admin.ModelAdmin):
    list_display = ["name_sq", "municipality", "order"]
    list_filter = ["municipality"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "meaning_sq", "municipality"]
    list_filter = ["municipality"]
