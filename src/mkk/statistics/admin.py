from django.contrib import admin

from .models import (
    DataElement,
    DataSet,
    Dhis2DataElementMap,
    Dhis2OrgUnitMap,
    Disaggregation,
    DisaggregationOption,
)


class OptionInline(admin.TabularInline):
    model = DisaggregationOption
    extra = 1


@admin.register(Disaggregation)
class DisaggregationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sq", "name_en"]
    inlines = [OptionInline]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sq", "name_en", "is_active"]
    filter_horizontal = ["disaggregations"]


@admin.register(DataSet)
class DataSetAdmin(admin.ModelAdmin):
    list_display = ["code", "institution_kind", "period_type", "deadline_days", "warning_factor"]
    filter_horizontal = ["elements"]


@admin.register(Dhis2DataElementMap)
class Dhis2DataElementMapAdmin(admin.ModelAdmin):
    list_display = ["element", "key", "data_element_uid", "category_option_combo_uid"]
    search_fields = ["element__code", "data_element_uid"]


@admin.register(Dhis2OrgUnitMap)
class Dhis2OrgUnitMapAdmin(admin.ModelAdmin):
    list_display = ["institution", "org_unit_uid"]
