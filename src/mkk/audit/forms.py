from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import AuditAction


def object_type_choices() -> list[tuple[str, str]]:
    """The kinds of object the log names, by their names in the reader's language."""
    from django.apps import apps
    from django.utils.text import capfirst

    kinds = [
        (m._meta.label_lower, capfirst(str(m._meta.verbose_name)))
        for m in apps.get_models()
        if m.__module__.startswith("mkk.") or m._meta.label_lower == "accounts.user"
    ]
    return [("", _("All"))] + sorted(kinds, key=lambda kind: str(kind[1]).lower())


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit log", "Action"),
        required=False,
        choices=[("", _("All"))] + list(AuditAction.choices),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range end", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = object_type_choices()
