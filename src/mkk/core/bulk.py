"""Bulk review: one decision applied to several items, each on its own.

An item the service refuses (already reviewed, one's own work under the four-eyes rule, out of
date) is reported by name with the service's reason; the others go through. Each item is its own
transaction, so one refusal never undoes the rest, and every item is audited by its service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

T = TypeVar("T")

#: The most items one bulk decision may take (a page of the list).
MAX_ITEMS = 200


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def apply_each(items: Iterable[T], action: Callable[[T], object], label: Callable[[T], str]):
    """Run ``action`` on every item in its own transaction; collect what was refused and why."""
    result = BulkResult()
    for item in items:
        try:
            with transaction.atomic():
                action(item)
        except ValidationError as exc:
            result.refused.append((label(item), " ".join(exc.messages)))
        except PermissionDenied:
            result.refused.append((label(item), _("You may not review this item.")))
        else:
            result.done.append(label(item))
    return result


class BulkReviewForm(forms.Form):
    """The selected ids, the decision and (for a return) the comment; ``confirm`` marks the
    second, confirming post."""

    ids = forms.TypedMultipleChoiceField(coerce=int, label=gettext_lazy("Selected"))
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve the selected")),
            ("return", gettext_lazy("Return the selected for correction")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (required to return)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices: Iterable[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, str(pk)) for pk in choices]

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if len(ids) > MAX_ITEMS:
            raise ValidationError(
                _("Choose at most %(n)d items at once.") % {"n": MAX_ITEMS}, code="too_many"
            )
        return ids

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what needs correcting when returning."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


def report(request, result: BulkResult, *, approve: bool) -> None:
    """Tell the user what went through and, item by item, what was refused and why."""
    from django.contrib import messages
    from django.utils.translation import ngettext

    if result.done:
        text = (
            ngettext("%(n)d item approved.", "%(n)d items approved.", len(result.done))
            if approve
            else ngettext(
                "%(n)d item returned for correction.",
                "%(n)d items returned for correction.",
                len(result.done),
            )
        )
        messages.success(request, text % {"n": len(result.done)})
    for name, reason in result.refused:
        messages.error(
            request, _("Not done: %(item)s — %(reason)s") % {"item": name, "reason": reason}
        )
