"""The reports app's notification events (registered in mkk.notifications.events).

The Mayor's approval (issue 15.2): the coordinator submits (``report_submitted``, registered
by the notifications app), the Mayor approves or returns it with comments, the coordinator
publishes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mkk.notifications.events import EVENTS, register

register(
    "report_approved",
    subject=_("The Mayor approved the monitoring report %(report)s"),
    body=_(
        "%(actor)s approved the monitoring report %(report)s of %(municipality)s. "
        "It can now be published. %(comment)s"
    ),
)
register(
    "report_returned",
    subject=_("The Mayor returned the monitoring report %(report)s"),
    body=_(
        "%(actor)s returned the monitoring report %(report)s of %(municipality)s with these "
        "comments: %(comment)s"
    ),
)
register(
    "report_published",
    subject=_("Monitoring report published: %(report)s"),
    body=_(
        "The public version of the monitoring report %(report)s of %(municipality)s is published."
    ),
)
if "report_submitted" not in EVENTS:  # normally registered by the notifications app itself
    register(
        "report_submitted",
        subject=_("Monitoring report submitted: %(report)s"),
        body=_("The coordinator submitted the monitoring report %(report)s of %(municipality)s."),
    )
