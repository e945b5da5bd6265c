"""Minutes are rich text: a small safe tag set, sanitised with nh3 on save and on display."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p",
    "div",
    "del",
    "s",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
}
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def _plain_to_html(text: str) -> str:
    """Plain text (no tags): paragraphs on blank lines, line breaks kept."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )


def sanitize(value: str | None) -> str:
    """The stored form of minutes: only ``ALLOWED_TAGS``, no attributes, no scripts."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _TAG.search(value):
        value = _plain_to_html(value)
    return nh3.clean(value, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


def as_html(value: str | None) -> SafeString:
    """Sanitised again at display time, so that only sanitised HTML ever reaches a page."""
    from mkk.core.safehtml import trusted_html

    return trusted_html(sanitize(value))


def as_text(value: str | None) -> str:
    """Minutes as plain text (for e-mail and checks)."""
    cleaned = nh3.clean(re.sub(r"<\s*(br|/p|/li|/h3|/h4)\s*/?>", "\n", value or ""), tags=set())
    return html.unescape(cleaned).strip()


def editor_labels() -> dict[str, str]:
    """The rich-text editor's (Trix) button labels in the user's language."""
    return {
        "bold": _("Bold"),
        "italic": _("Italic"),
        "strike": _("Strikethrough"),
        "heading1": _("Heading"),
        "quote": _("Quote"),
        "bullets": _("Bullets"),
        "numbers": _("Numbers"),
        "outdent": _("Decrease level"),
        "indent": _("Increase level"),
        "undo": _("Undo"),
        "redo": _("Redo"),
    }
