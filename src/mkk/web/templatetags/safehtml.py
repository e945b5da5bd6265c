from django import template

from mkk.core.safehtml import trusted_html as _trusted_html

register = template.Library()


@register.filter(name="trusted_html")
def trusted_html(value):
    """Sanitise with nh3's fixed allow-list and mark safe (mkk.core.safehtml)."""
    return _trusted_html(value)
