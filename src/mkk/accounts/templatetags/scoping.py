"""Templates ask ``mkk.accounts.scoping`` who sees a link; they never compare roles."""

from django import template

from mkk.accounts import scoping

register = template.Library()


@register.filter
def may(user, rule: str) -> bool:
    """``{% if user|may:"can_read_records" %}``: one of ``scoping.TEMPLATE_RULES``."""
    if rule not in scoping.TEMPLATE_RULES:
        raise template.TemplateSyntaxError(f"scoping has no template rule {rule!r}")
    return getattr(scoping, rule)(user)
