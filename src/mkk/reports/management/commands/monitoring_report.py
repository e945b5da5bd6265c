"""Write the monitoring report of a municipality from the live data.

    manage.py monitoring_report --municipality gjilan --start 2019-01-01 --end 2019-09-30 \
        --lang sq --format pdf --output raporti.pdf [--public]
    manage.py monitoring_report --national (or --region gjilan) --start ... --end ... \
        --lang en --format docx --output kosova.docx [--public]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from mkk.audit.context import acting
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core.languages import django_language
from mkk.directory.models import Municipality, Region

from ...builder import build_report_data
from ...render import FORMATS, render


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s: “%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2019-09-30.")
            % {"option": name, "value": value}
        ) from None


def _checked(options) -> tuple[dt.date, dt.date, Path]:
    start = _date(options["start"], "--start")
    end = _date(options["end"], "--end")
    if start > end:
        raise CommandError(
            _("The start (%(start)s) is after the end (%(end)s).")
            % {"start": start.isoformat(), "end": end.isoformat()}
        )
    output = Path(options["output"])
    if not output.parent.exists():
        raise CommandError(
            _("The folder %(folder)s does not exist.") % {"folder": str(output.parent)}
        )
    return start, end, output


class Command(BaseCommand):
    help = "Write the monitoring report of a municipality for a period (DOCX, PDF, HTML or XLSX)."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--municipality", help="Municipality code, e.g. drenas")
        where.add_argument("--region", help="Police region code, e.g. gjilan: regional report")
        where.add_argument("--national", action="store_true", help="All of Kosovo")
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="Last day, YYYY-MM-DD")
        parser.add_argument("--lang", default="sq", choices=["sq", "en", "sr"])
        parser.add_argument("--format", default="pdf", choices=sorted(FORMATS))
        parser.add_argument("--output", required=True, help="File to write")
        parser.add_argument(
            "--public", action="store_true", help="Public version: small numbers suppressed"
        )

    def handle(self, *args, **options):
        language = django_language(options["lang"])
        # override, not activate: the language must not outlive the command (tests run many
        # commands in one thread).
        with translation.override(language):
            return self._handle(options, language)

    def _handle(self, options, language):
        if not options["municipality"]:
            return self._national(options, language)
        code = options["municipality"].strip().lower()
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            known = ", ".join(Municipality.objects.values_list("code", flat=True)) or "–"
            raise CommandError(
                _("Unknown municipality “%(code)s”. Known codes: %(known)s.")
                % {"code": code, "known": known}
            )
        start, end, output = _checked(options)
        data = build_report_data(
            municipality=municipality,
            start=start,
            end=end,
            language=language,
            public=options["public"],
        )
        content = render(options["format"], data)
        output.write_bytes(content)
        with acting(reason="monitoring_report command"):
            record(
                AuditAction.EXPORT,
                municipality,
                reason=f"monitoring report {start}–{end} {options['format']}"
                f"{' public' if options['public'] else ''}",
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote %(file)s (%(size)s bytes).") % {"file": str(output), "size": len(content)}
            )
        )

    def _national(self, options, language):
        from ...national import build_national_data

        region = None
        if options["region"]:
            code = options["region"].strip().lower()
            region = Region.objects.filter(code=code).first()
            if region is None:
                known = ", ".join(Region.objects.values_list("code", flat=True)) or "–"
                raise CommandError(
                    _("Unknown region “%(code)s”. Known codes: %(known)s.")
                    % {"code": code, "known": known}
                )
        start, end, output = _checked(options)
        data = build_national_data(
            region=region, start=start, end=end, language=language, public=options["public"]
        )
        content = render(options["format"], data)
        output.write_bytes(content)
        with acting(reason="monitoring_report command"):
            record(
                AuditAction.EXPORT,
                region,
                object_type=None if region else "directory.kosovo",
                object_id=None if region else "",
                object_repr=None if region else "Kosovo",
                reason=f"{'regional' if region else 'national'} monitoring report "
                f"{start}–{end} {options['format']}{' public' if options['public'] else ''}",
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote %(file)s (%(size)s bytes).") % {"file": str(output), "size": len(content)}
            )
        )
