"""A service's refusal shown on the form that asked for it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def show_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: each message on its field when the form has
    that field, otherwise above the form. An error without fields (an edit conflict among them)
    goes above the form whole, so a versioned form keeps what was typed and takes the version
    now stored (``concurrency.VersionedFormMixin.add_error``)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
