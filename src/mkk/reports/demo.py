"""Demo reports: Gjilan January–September 2019 (submitted, as the seed report) and a draft of
Drenas 2025. Runs last in ``load_demo``, after the plans, statistics and meetings demos.
Idempotent: an existing report of the same period is left as it is."""

from __future__ import annotations

import datetime as dt

from mkk.accounts.models import User

from .models import MonitoringReport
from .services import (
    report_approve,
    report_create,
    report_publish,
    report_submit,
    report_update_narrative,
)

GJILAN_CHALLENGES = (
    "Mungon strehimi emergjent për viktimat meshkuj dhe për fëmijët mbi 12 vjeç.\n\n"
    "Informatat ndërmjet institucioneve vonohen gjatë fundjavës."
)
GJILAN_RECOMMENDATIONS = (
    "Të ndahet buxhet i dedikuar për aktivitetet e mekanizmit.\n\n"
    "Të vazhdojnë trajnimet për stafin e ri të institucioneve, në bashkëpunim me "
    "Koordinatorin Nacional dhe UN Women."
)
GJILAN_SUMMARY = (
    "Raporti pasqyron punën e Mekanizmit Koordinues Kundër Dhunës në Familje për periudhën "
    "janar – shtator 2019, të koordinuar nga Zyrtarja për Barazi Gjinore."
)


def _user(username: str):
    return User.objects.filter(username=username).first()


def load(directory: dict, out=None) -> None:
    gjilan = directory["municipalities"]["gjilan"]
    drenas = directory["municipalities"]["drenas"]
    made = []
    coordinator = _user("gjilan.coordinator")
    start, end = dt.date(2019, 1, 1), dt.date(2019, 9, 30)
    if (
        coordinator
        and not MonitoringReport.objects.filter(
            mechanism__municipality=gjilan, period_start=start, period_end=end
        ).exists()
    ):
        report = report_create(
            actor=coordinator,
            municipality=gjilan,
            start=start,
            end=end,
            language="sq",
            title="Raporti i Mekanizmit Koordinues Kundër Dhunës në Familje",
        )
        report_update_narrative(
            actor=coordinator,
            report=report,
            title=report.title,
            summary_remarks=GJILAN_SUMMARY,
            challenges=GJILAN_CHALLENGES,
            recommendations=GJILAN_RECOMMENDATIONS,
            section_remarks={},
        )
        report_submit(actor=coordinator, report=report)
        # The Mayor approved it; its public version (small numbers suppressed) is published.
        mayor = _user("gjilan.viewer")
        if mayor is not None:
            report_approve(actor=mayor, report=report)
            report_publish(actor=coordinator, report=report)
        made.append("Gjilan 2019 (submitted and published)")
    coordinator = _user("drenas.coordinator")
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    if (
        coordinator
        and not MonitoringReport.objects.filter(
            mechanism__municipality=drenas, period_start=start, period_end=end
        ).exists()
    ):
        report_create(
            actor=coordinator,
            municipality=drenas,
            start=start,
            end=end,
            language="sq",
            title="Raporti i Monitorimit 2025",
        )
        made.append("Drenas 2025 (draft)")
    if out:
        out.write(f"  reports: {', '.join(made) if made else 'already loaded'}")
