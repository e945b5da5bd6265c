from django import template

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
