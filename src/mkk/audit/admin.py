from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: no one can add, change or delete an entry, not even a superuser."""

    list_display = [
        "timestamp",
        "actor_username",
        "ip_address",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["action", "object_type"]
    # Case content is shown as on /audit/: values of private fields only to the case's readers.
    fields = [
        "timestamp",
        "actor_username",
        "ip_address",
        "action",
        "object_type",
        "object_id",
        "shown_repr",
        "shown_changes",
        "shown_reason",
    ]
    readonly_fields = fields

    def _shown(self, obj):
        """Staff are never case workers, so no private value is shown here."""
        from .privacy import redact

        return redact(None, [obj])[0]

    @admin.display(description=_("object"))
    def shown_repr(self, obj):
        return self._shown(obj).object_repr

    @admin.display(description=_("changes"))
    def shown_changes(self, obj):
        return "; ".join(
            f"{name}: {pair[0]} → {pair[1]}" for name, pair in self._shown(obj).changes.items()
        )

    @admin.display(description=_("reason"))
    def shown_reason(self, obj):
        return self._shown(obj).reason

    search_fields = ["actor_username", "object_id", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
