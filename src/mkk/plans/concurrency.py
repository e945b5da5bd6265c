"""What a plan edit form's version covers beyond the record's own fields."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mkk.core.concurrency import label_extra

label_extra("lead_institutions", _("Lead institutions"))
label_extra("supporting_institutions", _("Supporting institutions"))
label_extra("spending", _("Spending"))


def action_links(action) -> dict:
    """The directory institutions linked to an action, by role (names, as people read them)."""
    links = action.institution_links.filter(institution__isnull=False).select_related("institution")
    by_role: dict[str, list[str]] = {"lead": [], "supporting": []}
    for link in links.order_by("institution__name_sq"):
        by_role.setdefault(link.role, []).append(str(link.institution))
    return {
        "lead_institutions": ", ".join(by_role["lead"]),
        "supporting_institutions": ", ".join(by_role["supporting"]),
    }


def progress_state(update) -> dict:
    """The spending recorded with a progress update."""
    rows = update.spending.order_by("funder")
    return {"spending": ", ".join(f"{s.get_funder_display()} {s.amount}" for s in rows)}
