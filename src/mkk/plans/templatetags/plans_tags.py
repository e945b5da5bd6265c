import re

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

_STATUS = {
    "completed": "badge-ok",
    "in_progress": "badge-warn",
    "delayed": "badge-bad",
    "cancelled": "badge-muted",
    "not_started": "badge-muted",
    "approved": "badge-ok",
    "submitted": "badge-warn",
    "returned": "badge-bad",
    "draft": "badge-muted",
}


@register.filter
def badge(value) -> str:
    """CSS class of a status badge (the label is always shown: colour is never the only signal)."""
    return _STATUS.get(str(value), "badge-muted")


@register.filter
def eur(value) -> str:
    """1234.5 → "1.234,50" is locale work; keep it plain and unambiguous: "1 234.50"."""
    try:
        return f"{float(value):,.2f}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return "–"


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


# --- import screens: human names, never internal keys ---------------------------------------

COLUMN_LABELS = {
    "code": _("Code"),
    "description": _("Action"),
    "timeframe": _("Deadline"),
    "funding": _("Funding"),
    "institutions": _("Institutions"),
    "outputs": _("Output / indicator"),
    "references": _("References"),
    "notes": _("Notes"),
    "header": _("Column titles"),
    "code_raw": _("Code as written"),
    "title_raw": _("Title"),
    "timeframe_raw": _("Deadline"),
    "funding_raw": _("Funding"),
    "institutions_raw": _("Institutions"),
    "references_raw": _("References"),
}
_BUDGET = re.compile(r"^budget_(\d{4})$")
_EXTRA = re.compile(r"^extra_(\d+)$")
_TARGET = re.compile(
    r"^(?P<kind>action|specific_objective|strategic_objective)\[(?P<code>.*)\]"
    r"\.(?P<field>\w+)(?:\[(?P<year>\d+)\])?$"
)


@register.filter
def column_label(value) -> str:
    """'budget_2025' → 'Budget 2025', 'extra_10' → 'Column 11', 'description' → 'Action'."""
    value = str(value or "")
    if not value:
        return "–"
    match = _BUDGET.match(value)
    if match:
        return str(_("Budget %(year)s")) % {"year": match[1]}
    match = _EXTRA.match(value)
    if match:
        return str(_("Column %(n)s")) % {"n": int(match[1]) + 1}
    label = COLUMN_LABELS.get(value)
    return str(label) if label is not None else value


@register.filter
def target_label(value) -> str:
    """Where a cell went, in words: 'Action I.1.1 · Deadline', 'Plan notes'."""
    value = str(value or "")
    if value == "header":
        return str(_("Column titles"))
    if value == "plan.notes":
        return str(_("Plan notes"))
    match = _TARGET.match(value)
    if not match:
        return value
    owner = {
        "action": _("Action %(code)s"),
        "specific_objective": _("Specific objective %(code)s"),
        "strategic_objective": _("Strategic objective %(code)s"),
    }[match["kind"]] % {"code": match["code"]}
    field = match["field"]
    what = (
        str(_("Budget %(year)s")) % {"year": match["year"]}
        if field == "budget"
        else column_label(field)
    )
    return f"{owner} · {what}"
