from django.contrib import admin

from .models import (
    EmergencyContact,
    GlossaryTerm,
    Institution,
    Mechanism,
    Membership,
    Municipality,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sq", "name_sr", "name_en", "order"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sq", "name_sr", "name_en", "region", "population"]
    list_filter = ["region"]


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
