"""Writes of the statistics app: submissions, review, corrections, catalogue, reminders.

Every function takes the acting user as ``actor`` (``None`` means the system, e.g. a
command or another app acting on its own authority), validates with the rules of
:mod:`mkk.statistics.validation`, and runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mkk.accounts import scoping
from mkk.accounts.models import Role
from mkk.audit.context import acting, current
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import concurrency, periods
from mkk.core.concurrency import label_extra
from mkk.directory.models import Institution, Membership

from . import notifications as stat_notifications
from .comparison import aggregate
from .models import (
    DataElement,
    DataSet,
    DataValue,
    Dhis2DataElementMap,
    Dhis2OrgUnitMap,
    Disaggregation,
    DisaggregationOption,
    Source,
    Status,
    Submission,
)
from .validation import check_values, movement_warnings, spec_of

Values = Mapping[tuple[str, str], int | None]


def _elements_of(data_set: DataSet) -> list[DataElement]:
    return list(
        data_set.elements.prefetch_related("disaggregations__options").order_by("order", "code")
    )


def specs_of(data_set: DataSet):
    return [spec_of(e) for e in _elements_of(data_set)]


label_extra("figures", _lazy("Figures"))


def submission_figures(submission: Submission) -> dict:
    """The figures of a submission, for its edit form's version."""
    return {
        "figures": {
            f"{code} {key}".strip(): value
            for (code, key), value in sorted(submission.values_dict().items())
        }
    }


def _clean_values(values: Values) -> dict[tuple[str, str], int]:
    return {k: v for k, v in values.items() if v is not None and v != ""}


def _check_allowed(actor, institution: Institution) -> None:
    if actor is not None and not scoping.can_submit_for_institution(actor, institution.pk):
        raise PermissionDenied
    if (
        actor is not None
        and actor.municipality_id
        and not scoping.sees_all_municipalities(actor)
        and actor.municipality_id != institution.municipality_id
    ):
        raise PermissionDenied


def _check_manager(actor, submission: Submission) -> None:
    if actor is not None and not scoping.can_manage_mechanism(
        actor, submission.institution.municipality_id
    ):
        raise PermissionDenied


def _check_approver(actor, submission: Submission) -> None:
    """Four eyes: the approver is not the person who submitted (scoping.can_approve)."""
    if actor is None:
        return
    municipality_id = submission.institution.municipality_id
    if not scoping.can_approve(actor, municipality_id, author_id=None):
        raise PermissionDenied
    if submission.submitted_by_id and submission.submitted_by_id == actor.pk:
        raise ValidationError(
            _(
                "You submitted these figures yourself: another person approves or returns "
                "them (the coordinator, or the mechanism's deputy approver)."
            )
        )
    if not scoping.can_approve(actor, municipality_id, author_id=submission.submitted_by_id):
        raise PermissionDenied


def _actor_ctx(actor, reason: str = ""):
    ctx = current()
    return acting(
        user=actor if actor is not None else ctx.user,
        ip_address=ctx.ip_address,
        reason=reason or ctx.reason,
    )


def _write_values(submission: Submission, data_set: DataSet, values: dict[tuple[str, str], int]):
    """Replace the submission's values by ``values``, changing only what differs."""
    elements = {e.code: e for e in data_set.elements.all()}
    existing = {(v.element.code, v.key): v for v in submission.values.select_related("element")}
    changes = {}
    for key, dv in existing.items():
        if key not in values:
            changes[f"{key[0]}[{key[1]}]"] = [dv.value, None]
            dv.delete()
    for (code, key), value in sorted(values.items()):
        dv = existing.get((code, key))
        if dv is None:
            DataValue.objects.create(
                submission=submission, element=elements[code], key=key, value=value
            )
            changes[f"{code}[{key}]"] = [None, value]
        elif dv.value != value:
            changes[f"{code}[{key}]"] = [dv.value, value]
            dv.value = value
            dv.save(update_fields=["value"])
    return changes


def warnings_for(submission: Submission, values: Values | None = None) -> list[str]:
    """Figures that moved by more than the data set's factor against a year earlier."""
    start, end = periods.previous_year(submission.period_start, submission.period_end)
    prev = aggregate(submission.institution, submission.data_set, start, end)
    if prev.coverage != "full":
        return []
    current_values = _clean_values(values) if values is not None else submission.values_dict()
    return movement_warnings(
        specs_of(submission.data_set),
        current_values,
        prev.values,
        submission.data_set.warning_factor,
    )


def preview_warnings(institution, data_set, period_start, period_end, values: Values) -> list[str]:
    """The warnings figures would get, without saving them."""
    probe = Submission(
        institution=institution, data_set=data_set, period_start=period_start, period_end=period_end
    )
    return warnings_for(probe, values)


def _validate(data_set: DataSet, values: dict) -> None:
    errors = check_values(specs_of(data_set), values)
    if errors:
        raise ValidationError(errors)


def _check_period(institution, data_set, period_start, period_end) -> None:
    if period_start is None or period_end is None:
        raise ValidationError(_("Give the first and the last day of the period."))
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    if data_set.institution_kind != institution.kind:
        raise ValidationError(
            _("The data set %(data_set)s is not reported by %(institution)s.")
            % {"data_set": data_set.name, "institution": institution.name}
        )
    if not data_set.is_active:
        raise ValidationError(
            _("The data set %(data_set)s is no longer in use.") % {"data_set": data_set.name}
        )


@transaction.atomic
def submission_save(
    *,
    actor,
    institution: Institution,
    data_set: DataSet,
    period_start: dt.date,
    period_end: dt.date,
    values: Values,
    source: str = Source.MANUAL,
    submit: bool = False,
    comment: str | None = None,
    is_synthetic: bool = False,
    version: str | None = None,
) -> Submission:
    """Create or update the draft (or submitted, not yet approved) figures of one institution,
    data set and period; with ``submit=True`` also submit them for approval.

    ``values`` maps (element code, key) to a number; ``None`` or a missing key means "not
    given" (never zero). Raises ValidationError (nothing saved) when a rule is broken or the
    submission is approved (use :func:`submission_correct`). ``submission.warnings`` lists the
    figures that moved by more than the data set's factor against a year earlier.
    """
    _check_allowed(actor, institution)
    _check_period(institution, data_set, period_start, period_end)
    if submit and period_end > timezone.localdate():
        raise ValidationError(
            _("The period ends on %(end)s; figures can be submitted once it has ended.")
            % {"end": period_end.strftime("%d.%m.%Y")}
        )
    clean = _clean_values(values)
    _validate(data_set, clean)
    with _actor_ctx(actor):
        submission = _open_for_edit(institution, data_set, period_start, period_end, version)
        submission.period_type = periods.classify(period_start, period_end)
        submission.source = source
        submission.is_synthetic = is_synthetic
        if comment is not None:
            submission.comment = comment
        if not submit and submission.status == Status.SUBMITTED:
            submission.status = Status.DRAFT  # changed again: back to draft until resubmitted
        submission.full_clean(validate_unique=False)
        try:
            with transaction.atomic():  # two first submissions of one period at the same time
                submission.save()
        except IntegrityError as exc:
            raise ValidationError(
                _(
                    "Someone else saved the figures of this period at the same time. Yours were "
                    "not saved and are still in the form: check theirs and save again."
                ),
                code="edit_conflict",
            ) from exc
        _write_values(submission, data_set, clean)
        if submit:
            _do_submit(actor, submission)
    submission.warnings = warnings_for(submission, clean)
    return submission


def _open_for_edit(institution, data_set, period_start, period_end, version) -> Submission:
    """The period's submission, locked for this transaction and checked against the version
    the form showed, or a new one; an approved one is refused."""
    submission = (
        Submission.objects.select_for_update()
        .filter(
            institution=institution,
            data_set=data_set,
            period_start=period_start,
            period_end=period_end,
        )
        .first()
    )
    if submission is None:
        return Submission(
            institution=institution,
            data_set=data_set,
            period_start=period_start,
            period_end=period_end,
        )
    concurrency.check(submission, version, extra=submission_figures)
    if submission.is_locked:
        raise ValidationError(
            _(
                "These figures are approved and locked. A correction needs a reason; ask the "
                "coordinator."
            )
        )
    return submission


def _do_submit(actor, submission: Submission) -> None:
    if not submission.values.exists():
        raise ValidationError(
            _("Enter at least one figure before submitting (0 where there was none).")
        )
    if submission.status == Status.APPROVED:
        raise ValidationError(_("These figures are already approved."))
    submission.status = Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = actor if actor is not None else current().user
    submission.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    record(AuditAction.SUBMIT, submission, actor=actor)


@transaction.atomic
def submission_submit(*, actor, submission: Submission) -> Submission:
    _check_allowed(actor, submission.institution)
    if not submission.is_editable:
        raise ValidationError(_("Only a draft or returned submission can be submitted."))
    if submission.period_end > timezone.localdate():
        raise ValidationError(
            _("The period ends on %(end)s; figures can be submitted once it has ended.")
            % {"end": submission.period_end.strftime("%d.%m.%Y")}
        )
    _validate(submission.data_set, submission.values_dict())
    with _actor_ctx(actor):
        _do_submit(actor, submission)
    return submission


@transaction.atomic
def submission_approve(*, actor, submission: Submission, imported: bool = False) -> Submission:
    """The coordinator (or the deputy approver) approves submitted figures; they are locked
    from then on. Nobody approves figures they submitted themselves, except the
    institution's own figures read from an import file (``imported``)."""
    if imported:
        _check_manager(actor, submission)
    else:
        _check_approver(actor, submission)
    if submission.status != Status.SUBMITTED:
        raise ValidationError(_("Only submitted figures can be approved."))
    _validate(submission.data_set, submission.values_dict())
    with _actor_ctx(actor):
        submission.status = Status.APPROVED
        submission.approved_at = timezone.now()
        submission.approved_by = actor if actor is not None else current().user
        submission.review_comment = ""
        submission.save(
            update_fields=["status", "approved_at", "approved_by", "review_comment", "updated_at"]
        )
        record(AuditAction.APPROVE, submission, actor=actor)
    return submission


@transaction.atomic
def submission_return(*, actor, submission: Submission, comment: str) -> Submission:
    """The coordinator sends submitted figures back to the focal point with a comment."""
    _check_approver(actor, submission)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say what needs correcting."))
    if submission.status != Status.SUBMITTED:
        raise ValidationError(_("Only submitted figures can be returned."))
    with _actor_ctx(actor):
        submission.status = Status.RETURNED
        submission.review_comment = comment
        submission.save(update_fields=["status", "review_comment", "updated_at"])
        record(AuditAction.RETURN, submission, actor=actor, reason=comment)
        stat_notifications.statistics_returned(submission)
    return submission


@transaction.atomic
def submission_correct(
    *, actor, submission: Submission, values: Values, reason: str, version: str | None = None
) -> Submission:
    """Correct approved figures. Needs a reason; every changed number is in the audit log
    (with the reason) and the correction itself as one entry with all changes."""
    _check_manager(actor, submission)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A correction of approved figures needs a reason."))
    if submission.status != Status.APPROVED:
        raise ValidationError(
            _("Only approved figures are corrected this way; edit the draft instead.")
        )
    clean = _clean_values(values)
    _validate(submission.data_set, clean)
    concurrency.check(submission, version, extra=submission_figures)
    with _actor_ctx(actor, reason=reason):
        changes = _write_values(submission, submission.data_set, clean)
        if not changes:
            raise ValidationError(_("Nothing was changed."))
        submission.save(update_fields=["updated_at"])
        record(
            AuditAction.UPDATE,
            submission,
            actor=actor,
            reason=reason,
            changes={"correction": changes},
        )
    submission.warnings = warnings_for(submission, clean)
    return submission


@transaction.atomic
def submission_delete(*, actor, submission: Submission) -> None:
    """Delete a draft (never submitted or approved figures)."""
    _check_allowed(actor, submission.institution)
    if submission.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    with _actor_ctx(actor):
        submission.delete()


# --- Catalogue ----------------------------------------------------------------------------


def _check_catalogue_manager(actor) -> None:
    if actor is not None and not scoping.can_manage_catalogue(actor):
        raise PermissionDenied


@transaction.atomic
def element_create(
    *,
    actor,
    code: str,
    name_sq: str,
    name_sr: str,
    name_en: str,
    description: str = "",
    disaggregations: Iterable[Disaggregation] = (),
    data_sets: Iterable[DataSet] = (),
) -> DataElement:
    """A new data element, added to the given data sets (coordinators, no code change)."""
    _check_catalogue_manager(actor)
    with _actor_ctx(actor):
        element = DataElement(
            code=code.strip().upper(),
            name_sq=name_sq,
            name_sr=name_sr,
            name_en=name_en,
            description=description,
            order=(
                DataElement.objects.order_by("-order").values_list("order", flat=True).first() or 0
            )
            + 10,
        )
        element.full_clean()
        element.save()
        element.disaggregations.set(list(disaggregations))
        for ds in data_sets:
            ds.elements.add(element)
    return element


@transaction.atomic
def disaggregation_create(
    *,
    actor,
    code: str,
    name_sq: str,
    name_sr: str,
    name_en: str,
    options: Iterable[tuple[str, str, str, str]],
) -> Disaggregation:
    """A new category with its options, each (code, Albanian, Serbian, English)."""
    _check_catalogue_manager(actor)
    options = [tuple((part or "").strip() for part in o) for o in options]
    if len(options) < 2:
        raise ValidationError(_("A disaggregation needs at least two options."))
    codes = [o[0] for o in options]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Each option needs its own code."))
    with _actor_ctx(actor):
        d = Disaggregation(
            code=code.strip().lower(),
            name_sq=name_sq,
            name_sr=name_sr,
            name_en=name_en,
            order=Disaggregation.objects.count(),
        )
        d.full_clean()
        d.save()
        for order, (ocode, sq, sr, en) in enumerate(options):
            o = DisaggregationOption(
                disaggregation=d,
                code=ocode.lower(),
                name_sq=sq,
                name_sr=sr or sq,
                name_en=en or sq,
                order=order,
            )
            o.full_clean()
            o.save()
    return d


@transaction.atomic
def data_sets_update(*, actor, formset) -> bool:
    """Save the settings of data sets (a validated model formset); each change is audited.

    Every changed row is checked against the version its form showed (mkk.core.concurrency):
    when someone else saved one of them meanwhile, that row's form gets the message, nothing
    is saved and False is returned."""
    _check_catalogue_manager(actor)
    refused = False
    for form in formset.forms:
        if any(name != concurrency.FIELD for name in form.changed_data):
            try:
                concurrency.check(form.instance, form.version)
            except ValidationError as exc:
                form.add_error(None, exc)
                refused = True
    if refused:
        return False
    with _actor_ctx(actor):
        formset.save()
    return True


# --- Reminders ----------------------------------------------------------------------------


def focal_emails(institution: Institution) -> list[str]:
    """Where reminders go: the focal person of the membership, else the institution's users."""
    emails = [
        m.focal_person_email
        for m in Membership.objects.filter(institution=institution).exclude(focal_person_email="")
        if m.is_current()
    ]
    if not emails:
        emails = list(
            institution.users.filter(role=Role.FOCAL_POINT, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    return sorted(set(emails))


def reminder_send(row, emails: list[str], *, late: bool) -> None:
    """E-mail one reminder about a row of the completeness table, in Albanian and Serbian (as
    municipal letters are): before its deadline (``late=False``, the scheduled job) or after
    it (the coordinator's reminder)."""
    parts = []
    for lang in ("sq", "sr-latn"):
        with translation.override(lang):
            values = {
                "institution": row.institution.name_in(lang),
                "data_set": row.data_set.name_in(lang),
                "period": periods.period_label(row.start, row.end, lang),
                "due": row.due.strftime("%d.%m.%Y"),
            }
            text = (
                _(
                    "Reminder: the figures of %(institution)s for %(data_set)s, %(period)s, "
                    "were due on %(due)s and have not been submitted yet. Please enter them "
                    "in MKK."
                )
                if late
                else _(
                    "The figures of %(institution)s for %(data_set)s, %(period)s, are due by "
                    "%(due)s and have not been submitted yet. Please enter them in MKK."
                )
            )
            parts.append(text % values)
    with translation.override("sq"):
        if late:
            subject = _("MKK: figures due for %(period)s") % {
                "period": periods.period_label(row.start, row.end, "sq")
            }
        else:
            subject = _("MKK: figures due by %(due)s") % {"due": row.due.strftime("%d.%m.%Y")}
    send_mail(subject, "\n\n".join(parts), None, emails)


def reminders_send(*, actor, municipality, rows) -> tuple[int, list[str]]:
    """E-mail a reminder for each late or missing row of the completeness table
    (:func:`mkk.statistics.selectors.completeness`). Returns (sent, institutions without an
    address). Each message is written in Albanian and Serbian, as municipal letters are."""
    if actor is not None and not scoping.can_manage_mechanism(actor, municipality.pk):
        raise PermissionDenied
    sent, without = 0, []
    for row in rows:
        if not row.needs_reminder:
            continue
        emails = focal_emails(row.institution)
        if not emails:
            without.append(row.institution.name)
            continue
        reminder_send(row, emails, late=True)
        record(
            AuditAction.SEND,
            row.institution,
            actor=actor,
            reason=f"statistics reminder {row.data_set.code} {row.start}–{row.end}",
            changes={"to": emails},
        )
        sent += 1
    return sent, without


# --- DHIS2 mapping table ---------------------------------------------------------------------


def _dhis2_element_row(row: Mapping[str, str], elements: Mapping[str, DataElement]) -> bool:
    if not row.get("dataElement"):
        return False
    element = elements.get(row.get("element", ""))
    if element is None:
        raise ValidationError(f"unknown element {row.get('element')!r}")
    mapping, _created = Dhis2DataElementMap.objects.get_or_create(
        element=element,
        key=row.get("disaggregation", ""),
        defaults={"data_element_uid": row["dataElement"]},
    )
    mapping.data_element_uid = row["dataElement"]
    mapping.category_option_combo_uid = row.get("categoryOptionCombo", "")
    mapping.full_clean()
    mapping.save()
    return True


def _dhis2_org_unit_row(row: Mapping[str, str], by_name: Mapping) -> bool:
    if not row.get("orgUnit"):
        return False
    institution = by_name.get((row.get("municipality", ""), row.get("institution", "")))
    if institution is None:
        raise ValidationError(f"unknown institution {row.get('institution')!r}")
    mapping, _created = Dhis2OrgUnitMap.objects.get_or_create(
        institution=institution, defaults={"org_unit_uid": row["orgUnit"]}
    )
    mapping.org_unit_uid = row["orgUnit"]
    mapping.full_clean()
    mapping.save()
    return True


@transaction.atomic
def dhis2_mapping_load(
    *, actor, rows: Iterable[Mapping[str, str]], institutions: Iterable[Institution]
) -> int:
    """Save the rows of the DHIS2 mapping table (columns of ``statistics_dhis2_mapping``):
    element rows map (element, disaggregation) to a dataElement and categoryOptionCombo, org_unit
    rows map an institution (municipality code, Albanian name) to an orgUnit. Rows without a UID
    are skipped. All or nothing: any bad row refuses the whole table with every row's reason
    (``ValidationError``, messages ``Row N: ...`` counting the header as row 1)."""
    elements = {e.code: e for e in DataElement.objects.all()}
    by_name = {(i.municipality.code, i.name_sq): i for i in institutions}
    errors, saved = [], 0
    with acting(user=actor, reason="DHIS2 mapping table loaded"):
        for number, row in enumerate(rows, start=2):
            try:
                if row.get("kind") == "element":
                    saved += _dhis2_element_row(row, elements)
                elif row.get("kind") == "org_unit":
                    saved += _dhis2_org_unit_row(row, by_name)
                else:
                    raise ValidationError("kind must be element or org_unit")
            except ValidationError as exc:
                errors.append(f"Row {number}: {'; '.join(exc.messages)}")
        if errors:
            raise ValidationError(errors)
    return saved
