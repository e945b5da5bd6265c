from django import template
from django.utils.translation import get_language

from mkk.core import periods
from mkk.directory.i18n import localized
from mkk.statistics import formatting

register = template.Library()


@register.filter
def num(value):
    return formatting.number(value, get_language())


@register.filter
def signed(value):
    return formatting.signed(value, get_language())


@register.filter
def pct(value):
    return formatting.percent(value, get_language())


@register.simple_tag
def period_label(start, end):
    return periods.period_label(start, end, get_language())


@register.filter
def loc(obj, field="name"):
    return localized(obj, field)


@register.simple_tag(takes_context=True)
def may_enter(context, municipality) -> bool:
    """Whether the page's user enters figures for an institution of ``municipality`` (the
    data-entry link is shown only then: no link that would answer 403)."""
    from mkk.statistics import selectors

    user = context.get("user")
    return bool(user and selectors.entry_institutions(user, municipality))
