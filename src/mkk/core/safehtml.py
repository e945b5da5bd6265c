"""The one reviewed place where MKK marks HTML as safe.

Two kinds of HTML reach pages unescaped: rich text (meeting minutes, already sanitised with nh3
on save) and the report preview that ``mkk.reports.render.body_html`` builds (which escapes every
text it places). Both pass through :func:`trusted_html`, which cleans them once more with nh3
against a fixed allow-list (no scripts, no event handlers, no style attributes, no links with
executable schemes; ``data:`` only for images), so that a bug in a builder can never put
script on a page. ``{{ value|trusted_html }}`` (``{% load safehtml %}``) does the same in a
template. Nothing else in MKK may call ``mark_safe`` (bandit and semgrep hold that).
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "section", "div", "p", "span", "br", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "u", "s", "del", "blockquote", "code",
    "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "img",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "lang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
}


def _only_image_data(tag: str, attribute: str, value: str) -> str | None:
    """``data:`` URLs only as raster/SVG images in ``<img src>``; nothing else is a URL here."""
    if attribute == "src":
        if tag == "img" and value.startswith(("data:image/png;", "data:image/svg+xml;", "/")):
            return value
        return None
    return value


def clean(html: str | None) -> str:
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"data"},
        attribute_filter=_only_image_data,
        link_rel=None,
        strip_comments=True,
    )


def trusted_html(html: str | None) -> SafeString:
    """``html`` cleaned against the allow-list, then marked safe (reviewed: the input has
    just been sanitised by nh3, so no script, handler or style can remain)."""
    # Reviewed: the only mark_safe of MKK; its input has just been cleaned by nh3.
    return mark_safe(clean(html))  # nosec B308, B703
