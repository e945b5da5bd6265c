"""The cases app's notification events about sharing without consent (issue 12.2).

Texts name the case by its reference only; the free-text reason is never copied.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mkk.notifications.events import register

register(
    "case_legal_ground",
    subject=_("Case %(reference)s: identity shared on a legal ground"),
    body=_(
        'Your institution recorded the legal ground "%(ground)s" for case %(reference)s: '
        "institutions that accept its referrals see the identity without the victim's consent."
    ),
)
register(
    "referral_ground_proposed",
    subject=_("Case %(reference)s: a legal ground waits for your decision"),
    body=_(
        "%(institution)s accepted the referral of case %(reference)s and recorded the legal "
        'ground "%(ground)s" to receive the identity without the victim\'s consent. The '
        "identity stays hidden until your institution confirms or refuses it."
    ),
)
register(
    "referral_ground_confirmed",
    subject=_("Case %(reference)s: legal ground confirmed"),
    body=_(
        'Your institution confirmed the legal ground "%(ground)s" of %(institution)s for '
        "case %(reference)s: %(institution)s now sees the identity."
    ),
)
register(
    "referral_ground_refused",
    subject=_("Case %(reference)s: legal ground refused"),
    body=_(
        'Your institution refused the legal ground "%(ground)s" of %(institution)s for '
        "case %(reference)s: the identity stays hidden from %(institution)s."
    ),
)
