"""Statistics from case records: the figures an institution's cases give for a period, with
the statistics catalogue's own definitions, saved through the statistics app's service.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Case,
    ReferralStatus,
    ShelterStay,
)


def _split_values(
    code: str, people: dict[str, Case], *, with_age: bool, extra_children: int = 0
) -> dict:
    """Total and the sex/age options of ``people`` (victim key → their latest case).

    An option category is given only when its options add up to the total (the statistics'
    rule): with a victim of unknown sex, or accompanying children of unknown sex, the sex split
    is left out rather than guessed.
    """
    total = len(people) + extra_children
    values = {(code, ""): total}
    sexes = [c.sex for c in people.values()]
    if extra_children == 0 and all(s in ("female", "male") for s in sexes):
        values[(code, "sex=female")] = sexes.count("female")
        values[(code, "sex=male")] = sexes.count("male")
    if with_age:
        ages = [c.age_group for c in people.values()]
        values[(code, "age=adult")] = ages.count("adult")
        values[(code, "age=child")] = ages.count("child") + extra_children
    return values


def _people(cases) -> dict[str, Case]:
    """Distinct victims (by victim key; a case without one counts alone), latest case wins."""
    out: dict[str, Case] = {}
    for case in sorted(cases, key=lambda c: (c.opened_on, c.pk)):
        out[case.victim_key or f"case:{case.pk}"] = case
    return out


def statistics_values(
    *, institution, period_start: dt.date, period_end: dt.date
) -> dict[tuple[str, str], int]:
    """The statistics data elements an institution's case records give for a period.

    Definitions (the same as the statistics catalogue's):

    * police — POL_CASES: cases the police station opened in the period; POL_VICTIMS: distinct
      victims of those cases, by sex and age group;
    * centre for social work — QPS_VICTIMS: distinct victims of cases it opened in the period
      or whose referral to it it accepted in the period, by sex and age group;
    * victim advocate — MV_CASES: cases it opened or accepted in the period, by sex;
    * shelter — STR_PERSONS: distinct victims admitted in the period plus the children who
      came with them, by age group (and by sex when every person's sex is known);
    * free legal aid — NJF_PERSONS: distinct victims it opened or accepted in the period, by sex.
    """
    from mkk.directory.models import InstitutionKind as K

    start_dt = timezone.make_aware(dt.datetime.combine(period_start, dt.time.min))
    end_dt = timezone.make_aware(
        dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time.min)
    )
    opened = Case.objects.filter(
        institution=institution, opened_on__gte=period_start, opened_on__lte=period_end
    )
    accepted = Case.objects.filter(
        referrals__to_institution=institution,
        referrals__status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED],
        referrals__responded_at__gte=start_dt,
        referrals__responded_at__lt=end_dt,
    )
    handled = {c.pk: c for c in [*opened, *accepted]}.values()
    kind = institution.kind
    if kind == K.POLICE:
        cases = list(opened)
        return {
            ("POL_CASES", ""): len(cases),
            **_split_values("POL_VICTIMS", _people(cases), with_age=True),
        }
    if kind == K.SOCIAL_WORK:
        return _split_values("QPS_VICTIMS", _people(handled), with_age=True)
    if kind == K.VICTIM_ADVOCATE:
        cases = list(handled)
        values = {("MV_CASES", ""): len(cases)}
        sexes = [c.sex for c in cases]
        if all(s in ("female", "male") for s in sexes):
            values[("MV_CASES", "sex=female")] = sexes.count("female")
            values[("MV_CASES", "sex=male")] = sexes.count("male")
        return values
    if kind == K.SHELTER:
        stays = ShelterStay.objects.filter(
            institution=institution, admitted_on__gte=period_start, admitted_on__lte=period_end
        ).select_related("case")
        people: dict[str, Case] = {}
        children = 0
        for stay in stays.order_by("admitted_on", "pk"):
            key = stay.case.victim_key or f"case:{stay.case_id}"
            if key not in people:
                children += stay.accompanying_children
            people[key] = stay.case
        return _split_values("STR_PERSONS", people, with_age=True, extra_children=children)
    if kind == K.LEGAL_AID:
        values = _split_values("NJF_PERSONS", _people(handled), with_age=False)
        return values
    raise ValidationError(
        _("Case records give no statistics for this type of institution (%(kind)s).")
        % {"kind": institution.get_kind_display()}
    )


def statistics_from_cases(
    *, actor, institution, period_start: dt.date, period_end: dt.date, submit: bool = False
):
    """Save the figures of ``statistics_values`` as the institution's statistics submission
    (source "cases"), through the statistics app's own service and its rules. The actor must be
    allowed to submit for the institution (its focal point, the coordinator or an administrator).
    """
    from mkk.statistics import services as stat_services
    from mkk.statistics.models import DataSet

    values = statistics_values(
        institution=institution, period_start=period_start, period_end=period_end
    )
    codes = {code for code, _key in values}
    data_set = next(
        (
            ds
            for ds in DataSet.objects.filter(
                institution_kind=institution.kind, is_active=True
            ).prefetch_related("elements")
            if codes <= {e.code for e in ds.elements.all()}
        ),
        None,
    )
    if data_set is None:
        raise ValidationError(_("No statistics data set takes these figures for this institution."))
    return stat_services.submission_save(
        actor=actor,
        institution=institution,
        data_set=data_set,
        period_start=period_start,
        period_end=period_end,
        values=values,
        source="cases",
        submit=submit,
    )
