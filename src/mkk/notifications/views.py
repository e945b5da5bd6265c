"""The inbox, notification settings, the e-mail outbox and the status of report jobs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mkk.accounts import scoping
from mkk.core.paging import page_of

from . import mail, selectors, services
from .forms import OutboxFilterForm, PreferenceForm
from .models import MailStatus

PER_PAGE = 25


@login_required
@require_GET
def inbox(request):
    only_unread = request.GET.get("show") == "unread"
    entries = selectors.inbox(request.user)
    if only_unread:
        entries = entries.filter(read_at__isnull=True)
    page = page_of(request, entries, PER_PAGE)
    context = {"page": page, "only_unread": only_unread}
    return render(request, "notifications/inbox.html", context)


def _safe(request, url: str) -> str:
    ok = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    return url if ok else ""


@login_required
@require_GET
def open_entry(request, pk: int):
    """Mark the entry read and go to what it is about."""
    entry = selectors.notification_for(request.user, pk)
    services.notification_mark_read(actor=request.user, entry=entry)
    return redirect(_safe(request, entry.url) or "notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    entry = selectors.notification_for(request.user, pk)
    services.notification_mark_read(actor=request.user, entry=entry)
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    n = services.notifications_mark_all_read(actor=request.user)
    if n:
        messages.success(request, _("All notifications are marked as read."))
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/notifications/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return "/notifications/"


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    user = request.user
    initial = {
        "channel": "email" if services.wants_email(user) or not user.email else "inbox",
        "language": services.language_of(user),
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preference_set(
            actor=user,
            email=form.cleaned_data["channel"] == "email",
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(
        request, "notifications/settings.html", {"form": form, "has_email": bool(user.email)}
    )


@login_required
@require_GET
def outbox(request):
    messages_qs = selectors.outbox(request.user)
    form = OutboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status:
        messages_qs = messages_qs.filter(status=status)
    page = page_of(request, messages_qs, PER_PAGE)
    context = {
        "page": page,
        "form": form,
        "status": status,
        "statuses": MailStatus,
        "sees_all": scoping.sees_all_municipalities(request.user),
    }
    return render(request, "notifications/outbox.html", context)


@login_required
@require_POST
def outbox_retry(request, pk: int):
    row = selectors.outbox_message_for(request.user, pk)
    scoping.require(row.status != MailStatus.SENT)
    mail.retry_now(row)
    messages.success(request, _("The e-mail will be sent again."))
    return redirect("notifications:outbox")
