"""Only the response-deadline table is in the admin. Cases and identities are not: reading
identity data goes through the case pages, which ask for a reason and write the audit log."""

from django.contrib import admin

from .models import ReferralDeadline


@admin.register(ReferralDeadline)
class ReferralDeadlineAdmin(admin.ModelAdmin):
    list_display = ["to_kind", "from_kind", "urgency", "hours", "municipality", "source"]
    list_filter = ["municipality", "to_kind", "urgency"]
    fields = ["municipality", "from_kind", "to_kind", "urgency", "hours", "source"]
