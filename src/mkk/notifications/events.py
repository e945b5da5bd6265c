"""The registry of notification events: what each says, in words that get translated.

Each event has a subject (the inbox title and the e-mail subject) and a body, both English
source strings with ``%(name)s`` placeholders filled from the ``context`` given to
:func:`mkk.notifications.services.notify`, rendered in the recipient's language.

``email`` says when the e-mail goes: ``"now"`` (at once, after the action is saved) or
``"digest"`` (collected into one e-mail per person by the hourly digest job).

Rules for texts: a case is named by its reference, never by the victim's name, address or any
other identity; the reason of a referral (free text) is never copied.

Other apps add their events with :func:`register` (at import of their ``notifications.py``
or directly in this module).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Event:
    key: str
    subject: Promise
    body: Promise
    email: str = "now"  # "now" or "digest"


EVENTS: dict[str, Event] = {}


def register(key: str, *, subject: Promise, body: Promise, email: str = "now") -> Event:
    if email not in {"now", "digest"}:
        raise ValueError(f"email must be 'now' or 'digest', not {email!r}")
    event = Event(key=key, subject=subject, body=body, email=email)
    EVENTS[key] = event
    return event


def get(key: str) -> Event:
    try:
        return EVENTS[key]
    except KeyError:
        raise KeyError(f"unknown notification event {key!r}; add it to events.py") from None


# --- Cases: referrals ------------------------------------------------------------------------
register(
    "referral_received",
    subject=_("New referral: case %(reference)s"),
    body=_(
        "%(from_institution)s referred case %(reference)s to %(to_institution)s. "
        "The answer is due by %(deadline)s."
    ),
    email="digest",
)
register(
    "referral_urgent",
    subject=_("URGENT referral: case %(reference)s"),
    body=_(
        "%(from_institution)s sent an urgent referral of case %(reference)s to "
        "%(to_institution)s. The answer is due by %(deadline)s."
    ),
)
register(
    "referral_due_soon",
    subject=_("Referral of case %(reference)s: answer due by %(deadline)s"),
    body=_(
        "The referral of case %(reference)s from %(from_institution)s to %(to_institution)s "
        "has not been answered yet. The answer is due by %(deadline)s."
    ),
)
register(
    "referral_overdue",
    subject=_("Referral of case %(reference)s is overdue"),
    body=_(
        "The referral of case %(reference)s from %(from_institution)s to %(to_institution)s "
        "was due by %(deadline)s and has not been answered."
    ),
)

# --- Action plan: progress reviews -----------------------------------------------------------
register(
    "progress_returned",
    subject=_("Progress on action %(action)s was returned"),
    body=_(
        "The coordinator returned your progress update on action %(action)s for %(period)s. "
        "Read the comment, correct the update and submit it again."
    ),
)
register(
    "progress_approved",
    subject=_("Progress on action %(action)s was approved"),
    body=_("The coordinator approved your progress update on action %(action)s for %(period)s."),
)

# --- Statistics ------------------------------------------------------------------------------
register(
    "statistics_returned",
    subject=_("Figures returned: %(data_set)s, %(period)s"),
    body=_(
        "The coordinator returned the figures of %(institution)s for %(data_set)s, %(period)s. "
        "Read the comment, correct them and submit them again."
    ),
)
register(
    "statistics_due",
    subject=_("Figures due by %(due)s: %(data_set)s, %(period)s"),
    body=_(
        "The figures of %(institution)s for %(data_set)s, %(period)s, are due by %(due)s and "
        "have not been submitted yet. Please enter them in MKK."
    ),
)

# --- Reports ---------------------------------------------------------------------------------
register(
    "report_submitted",
    subject=_("Monitoring report submitted: %(report)s"),
    body=_("The coordinator submitted the monitoring report %(report)s of %(municipality)s."),
)
# The Mayor's decision and publication: registered in mkk/reports/notifications.py.
