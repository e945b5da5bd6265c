"""The public page of a municipality (no login): its emergency contacts and its published
monitoring reports. It sits in web, the top floor, because it shows the directory and the
reports together; the directory (the ground floor) never imports reports."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mkk.directory import selectors as directory_selectors
from mkk.reports.selectors import published_reports


@require_GET
def public_municipality(request, code: str):
    """Emergency contacts of a municipality and its published reports: public, no login."""
    municipality = directory_selectors.public_municipality(code)
    # Reports in the visitor's language first; the others are marked with their language.
    language = (get_language() or "sq").lower()
    reports = list(published_reports(municipality).order_by("-period_end"))
    only_in = {
        "sq": _("in Albanian only"),
        "sr-latn": _("in Serbian only"),
        "en": _("in English only"),
    }
    for report in reports:
        report.other_language = report.language.lower() != language
        report.language_note = only_in.get(report.language.lower(), report.language)
    reports.sort(key=lambda r: r.other_language)  # stable: newest first within each group
    context = {
        "municipality": municipality,
        "contacts": directory_selectors.public_contacts(municipality),
        "reports": reports,
    }
    return render(request, "web/public_municipality.html", context)
