"""Writes of the meetings app. Every function checks, cleans and saves in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.mime.text import MIMEText

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import concurrency
from mkk.core.concurrency import label_extra
from mkk.directory import selectors as directory_selectors
from mkk.directory.models import EmergencyContact, Institution, Membership

from . import ics
from .models import (
    Activity,
    AgendaItem,
    Attendance,
    CaseDiscussed,
    Decision,
    FollowUp,
    FollowUpStatus,
    Meeting,
)
from .validators import raise_for_personal_data


def allowed_numbers(municipality) -> list[str]:
    """Public service numbers of the municipality (its emergency contacts) may be written."""
    numbers: list[str] = []
    for contact in EmergencyContact.objects.filter(municipality=municipality):
        numbers.extend(str(n) for n in contact.numbers or [])
    return numbers


def check_personal_data(municipality, fields: dict[str, tuple[str, str | None]]) -> None:
    """Raise a ValidationError naming each field that holds something personal."""
    raise_for_personal_data(fields, allowed_numbers=allowed_numbers(municipality))


def _agenda_lines(agenda: list[str] | str | None) -> list[str]:
    """Agenda items from text, one per line; list bullets and blank lines dropped."""
    if isinstance(agenda, str):
        agenda = agenda.splitlines()
    lines = (line.strip().lstrip("-•*").strip() for line in agenda or [])
    return [line for line in lines if line]


label_extra("agenda", _lazy("Agenda"))


def meeting_agenda(meeting: Meeting) -> dict:
    """The agenda of a meeting, for its edit form's version."""
    return {"agenda": "; ".join(a.title for a in meeting.agenda_items.order_by("order"))}


label_extra("attendance", _lazy("Attendance"))


def meeting_attendance(meeting: Meeting) -> dict:
    """Who attended, for the attendance form's version."""
    rows = meeting.attendance.select_related("institution").order_by("institution__name_sq")
    return {
        "attendance": "; ".join(
            f"{a.institution}: {a.get_status_display()} {a.person_name}".strip() for a in rows
        )
    }


def _label(field: str) -> str:
    return str(Meeting._meta.get_field(field).verbose_name).capitalize()


def check_meeting_text(
    meeting: Meeting, agenda: list[str] | str | None, values: dict | None = None
) -> None:
    """Personal data in the agenda, minutes or challenges (``values`` overrides the meeting's)."""
    values = values or {}
    lines = _agenda_lines(agenda)
    check_personal_data(
        meeting.mechanism.municipality,
        {
            "agenda": (_("Agenda"), "\n".join(lines)),
            "minutes": (_label("minutes"), values.get("minutes", meeting.minutes)),
            "challenges": (_label("challenges"), values.get("challenges", meeting.challenges)),
        },
    )
    if any(len(line) > 300 for line in lines):
        raise ValidationError({"agenda": _("Each agenda item can be at most 300 characters long.")})


@transaction.atomic
def meeting_save(
    *, actor, meeting: Meeting, agenda: list[str] | str | None = None, version: str | None = None
) -> Meeting:
    """Create or update ``meeting`` (its fields already set) and replace its agenda.

    ``agenda`` is one item per line; ``None`` keeps the agenda as it is. ``version``: the edit
    form's version; a save over someone else's newer save is refused (mkk.core.concurrency).
    """
    if meeting.pk is not None:
        concurrency.check(meeting, version, extra=meeting_agenda)
    if agenda is not None:
        lines = _agenda_lines(agenda)
    elif meeting.pk:
        lines = [a.title for a in meeting.agenda_items.all()]
    else:
        lines = []
    if meeting.pk is None:
        meeting.created_by = actor
    # Report every problem at once: personal data and the meeting's own rules.
    errors: dict[str, list[str]] = {}
    for check in (lambda: check_meeting_text(meeting, lines), meeting.full_clean):
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    meeting.save()
    if agenda is not None:
        existing = list(meeting.agenda_items.all())
        if [a.title for a in existing] != lines:
            meeting.agenda_items.all().delete()
            AgendaItem.objects.bulk_create(
                [
                    AgendaItem(meeting=meeting, order=i, title=t)
                    for i, t in enumerate(lines, start=1)
                ]
            )
            record(
                AuditAction.UPDATE,
                meeting,
                actor=actor,
                changes={"agenda": [[a.title for a in existing], lines]},
            )
    return meeting


def attendance_institutions(meeting: Meeting) -> list[Institution]:
    """Every institution that was a member (or partner) on the meeting's day, plus any already
    recorded — one row each in the attendance form."""
    members = directory_selectors.memberships(meeting.mechanism, on=meeting.date)
    institutions = [m.institution for m in members]
    seen = {i.pk for i in institutions}
    for row in meeting.attendance.select_related("institution"):
        if row.institution_id not in seen:
            institutions.append(row.institution)
            seen.add(row.institution_id)
    return institutions


@transaction.atomic
def attendance_record(
    *,
    actor,
    meeting: Meeting,
    rows: list[tuple[Institution, str | None, str]],
    version: str | None = None,
) -> None:
    """Set each institution's attendance; a status of ``None``/"" removes its row.

    ``version``: the attendance form's version of the meeting and its attendance."""
    concurrency.check(meeting, version, extra=meeting_attendance)
    allowed = {i.pk for i in attendance_institutions(meeting)}
    current = {a.institution_id: a for a in meeting.attendance.all()}
    for institution, status, person in rows:
        if institution.pk not in allowed:
            raise ValidationError(
                _("%(name)s is not a member of this mechanism.") % {"name": institution.name}
            )
        row = current.get(institution.pk)
        if not status:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = Attendance(meeting=meeting, institution=institution)
        if row.pk and row.status == status and row.person_name == (person or "").strip():
            continue
        row.status = status
        row.person_name = (person or "").strip()
        row.full_clean()
        row.save()


@transaction.atomic
def case_discussed_add(*, actor, meeting: Meeting, reference: str) -> CaseDiscussed:
    reference = (reference or "").strip().upper()
    case = CaseDiscussed(meeting=meeting, reference=reference)
    if meeting.cases_discussed.filter(reference=reference).exists():
        raise ValidationError({"reference": _("This case is already listed for this meeting.")})
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def case_discussed_remove(*, actor, case: CaseDiscussed) -> None:
    case.delete()


def _next_decision_number(meeting: Meeting) -> int:
    last = meeting.decisions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def decision_create(
    *,
    actor,
    meeting: Meeting,
    text: str,
    follow_up: dict | None = None,
) -> Decision:
    """A decision of ``meeting``, numbered in order; ``follow_up`` (owner, description, due_date)
    optionally creates its first follow-up task in the same step."""
    fields = {"text": (_("Decision"), text)}
    if follow_up:
        fields["description"] = (_("Task"), follow_up.get("description"))
    check_personal_data(meeting.mechanism.municipality, fields)
    # Lock the meeting so that two decisions saved at once do not get the same number.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    decision = Decision(
        meeting=meeting, number=_next_decision_number(meeting), text=(text or "").strip()
    )
    decision.full_clean()
    decision.save()
    if follow_up:
        follow_up_create(actor=actor, decision=decision, **follow_up)
    return decision


@transaction.atomic
def follow_up_create(
    *, actor, decision: Decision, owner: Institution, description: str, due_date: dt.date
) -> FollowUp:
    check_personal_data(
        decision.meeting.mechanism.municipality, {"description": (_("Task"), description)}
    )
    task = FollowUp(
        decision=decision, owner=owner, description=(description or "").strip(), due_date=due_date
    )
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def decision_update(
    *, actor, decision: Decision, text: str, version: str | None = None
) -> Decision:
    concurrency.check(decision, version)
    check_personal_data(decision.meeting.mechanism.municipality, {"text": (_("Decision"), text)})
    decision.text = (text or "").strip()
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def follow_up_update(
    *,
    actor,
    follow_up: FollowUp,
    owner: Institution,
    description: str,
    due_date: dt.date,
    version: str | None = None,
) -> FollowUp:
    """Change a task's owner, text or due date (its status moves with ``follow_up_set_status``)."""
    concurrency.check(follow_up, version)
    check_personal_data(
        follow_up.decision.meeting.mechanism.municipality, {"description": (_("Task"), description)}
    )
    follow_up.owner = owner
    follow_up.description = (description or "").strip()
    follow_up.due_date = due_date
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_set_status(*, actor, follow_up: FollowUp, status: str) -> FollowUp:
    """Move a task to ``status``; done records when and by whom."""
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    follow_up.status = status
    if status == FollowUpStatus.DONE:
        if follow_up.completed_at is None:
            follow_up.completed_at = timezone.now()
            follow_up.completed_by = actor if getattr(actor, "is_authenticated", False) else None
    else:
        follow_up.completed_at = None
        follow_up.completed_by = None
    follow_up.full_clean()
    follow_up.save()
    record(AuditAction.FOLLOW_UP_STATUS, follow_up, actor=actor)
    return follow_up


@transaction.atomic
def activity_save(*, actor, activity: Activity, version: str | None = None) -> Activity:
    if activity.pk is not None:
        concurrency.check(activity, version)
    check_personal_data(
        activity.mechanism.municipality,
        {
            "title": (_("Title"), activity.title),
            "description": (_("Description"), activity.description),
        },
    )
    activity.full_clean()
    activity.save()
    return activity


# --- Invitations ----------------------------------------------------------------------------


@dataclass
class InvitationResult:
    sent: list[Membership] = field(default_factory=list)
    skipped: list[Membership] = field(default_factory=list)


def invitation_recipients(meeting: Meeting) -> InvitationResult:
    """Current members and partners: those with a focal person's e-mail, and those without."""
    result = InvitationResult()
    for membership in directory_selectors.memberships(meeting.mechanism):
        (result.sent if membership.focal_person_email else result.skipped).append(membership)
    return result


def invitation_body(meeting: Meeting) -> str:
    lines = [
        _(
            "The Municipal Coordination Mechanism against Domestic Violence of "
            "%(municipality)s invites you to its meeting."
        )
        % {"municipality": meeting.mechanism.municipality.bilingual_name},
        "",
        _("Type: %(kind)s") % {"kind": meeting.get_kind_display()},
        _("Date: %(date)s") % {"date": meeting.date.strftime("%d.%m.%Y")},
    ]
    if meeting.start_time:
        end = f"–{meeting.end_time:%H:%M}" if meeting.end_time else ""
        lines.append(_("Time: %(time)s") % {"time": f"{meeting.start_time:%H:%M}{end}"})
    if meeting.place:
        lines.append(_("Place: %(place)s") % {"place": meeting.place})
    items = list(meeting.agenda_items.all())
    if items:
        lines += ["", _("Agenda:")]
        lines += [f"{i}. {item.title}" for i, item in enumerate(items, start=1)]
    lines += ["", _("The calendar file attached adds the meeting to your calendar.")]
    return "\n".join(lines)


def _ics_part(calendar: str, filename: str) -> MIMEText:
    """text/calendar; method=PUBLISH, base64-encoded so that its CRLF line ends arrive intact."""
    part = MIMEText(calendar, "calendar", "utf-8")
    part.set_param("method", "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


@transaction.atomic
def invitations_send(*, actor, meeting: Meeting, domain: str = "mkk.local") -> InvitationResult:
    """E-mail the agenda with an .ics file to each current member's focal person.

    Members without an e-mail address are skipped and returned in ``skipped``. One message per
    recipient, so that addresses are not shared. The sending is written to the audit log.
    """
    from .models import MeetingStatus

    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled: no invitations can be sent."))
    result = invitation_recipients(meeting)
    if not result.sent:
        raise ValidationError(
            _(
                "No member has a focal person's e-mail address. "
                "Add them in the mechanism's registry first."
            )
        )
    meeting.invitation_sequence += 1
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitation_sequence", "invitations_sent_at"])
    calendar = ics.meeting_calendar(meeting, domain=domain)
    subject = _("Invitation: %(kind)s of the mechanism, %(date)s") % {
        "kind": meeting.get_kind_display(),
        "date": meeting.date.strftime("%d.%m.%Y"),
    }
    body = invitation_body(meeting)
    messages = []
    for membership in result.sent:
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[membership.focal_person_email],
        )
        message.attach(_ics_part(calendar, f"meeting-{meeting.pk}.ics"))
        messages.append(message)
    get_connection().send_messages(messages)
    record(
        AuditAction.SEND,
        meeting,
        actor=actor,
        changes={
            "invitations": len(result.sent),
            "recipients": [m.institution.name_sq for m in result.sent],
            "skipped": [m.institution.name_sq for m in result.skipped],
        },
        reason="meeting invitation",
    )
    return result
