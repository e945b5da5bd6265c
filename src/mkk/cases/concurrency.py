"""What a cases edit form's version covers beyond the record's own fields."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mkk.core.concurrency import label_extra
from mkk.directory.models import InstitutionKind

from .models import ReferralDeadline, ReferralKind, Urgency


def deadline_table(municipality) -> dict:
    """The municipality's own deadline rows (hours by row), each row a key with its label."""
    out = {}
    rows = ReferralDeadline.objects.filter(municipality=municipality)
    for row in rows.order_by("to_kind", "from_kind", "urgency"):
        key = f"deadline:{row.from_kind or '*'}:{row.to_kind}:{row.urgency}"
        source = InstitutionKind(row.from_kind).label if row.from_kind else _("any institution")
        label_extra(
            key,
            format_lazy(
                "{}: {} → {}, {}",
                _("Deadline"),
                source,
                ReferralKind(row.to_kind).label,
                Urgency(row.urgency).label,
            ),
        )
        out[key] = row.hours
    return out
