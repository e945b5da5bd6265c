from django import template

from mkk.web.safehtml import trusted_html as _trusted_html

register = template.Library()


@register.filter(name="trusted_html")
def trusted_html(value):
    """Sanitise with nh3's fixed allow-list and mark safe (mkk.web.safehtml)."""
    return _trusted_html(value)
