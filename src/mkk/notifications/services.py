"""notify(): the one way MKK tells people something, in the inbox and by e-mail.

    from mkk.notifications.services import notify
    notify(recipients=[user, ...], event="referral_urgent", obj=referral,
           url=reverse("cases:referral", args=[referral.pk]), context={...})

Each recipient gets an inbox entry and (unless they chose the inbox only) an e-mail, both in
the recipient's language. The e-mail is recorded in the outbox and sent after commit by a job,
so a mail server that is down never fails the action that caused the notification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import events
from .models import Notification, Once, Preference

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_of(user) -> str:
    lang = (getattr(user, "language", "") or "").lower()
    return lang if lang in SUPPORTED else settings.LANGUAGE_CODE


def wants_email(user) -> bool:
    if not getattr(user, "email", ""):
        return False
    pref = Preference.objects.filter(user=user).only("email").first()
    return pref is None or pref.email


def _text(value, lang: str) -> str:
    if hasattr(value, "name_in"):
        return value.name_in(lang)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if callable(value) and not isinstance(value, Promise):
        return str(value(lang))
    return str(value)


def render(event_key: str, context: dict, lang: str) -> tuple[str, str]:
    """The (title, body) of an event in one language."""
    event = events.get(event_key)
    with translation.override(lang):
        values = {k: _text(v, lang) for k, v in (context or {}).items()}
        return str(event.subject) % values, str(event.body) % values


def absolute(url: str) -> str:
    return settings.MKK_SITE_URL + url if url.startswith("/") else url


def _unique(recipients: Iterable) -> list:
    seen, out = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        out.append(user)
    return out


def notify(*, recipients, event: str, obj=None, url: str = "", context: dict | None = None):
    """Tell each recipient about ``event``; returns the inbox entries created."""
    spec = events.get(event)
    if not url and obj is not None and hasattr(obj, "get_absolute_url"):
        url = obj.get_absolute_url()
    created = []
    for user in _unique(recipients):
        lang = language_of(user)
        title, body = render(event, context or {}, lang)
        by_email = wants_email(user)
        entry = Notification.objects.create(
            recipient=user,
            event=event,
            title=title[:250],
            body=body,
            url=url,
            digest_pending=by_email and spec.email == "digest",
        )
        created.append(entry)
        if by_email and spec.email == "now":
            email_notification(entry, lang)
    return created


def _footer(lang: str) -> str:
    with translation.override(lang):
        return _(
            "You receive this e-mail from MKK because of your role in the coordination "
            "mechanism. To receive notifications only in the MKK inbox, change your "
            "notification settings: %(url)s"
        ) % {"url": absolute(reverse("notifications:settings"))}


def email_notification(entry: Notification, lang: str) -> None:
    with translation.override(lang):
        lines = [entry.body]
        if entry.url:
            lines.append(_("Open in MKK: %(url)s") % {"url": absolute(entry.url)})
        lines.append("-- \n" + _footer(lang))
        EmailMessage(
            subject=f"MKK: {entry.title}",
            body="\n\n".join(lines),
            to=[entry.recipient.email],
        ).send()


def digest_send(user) -> int:
    """One e-mail listing the user's notifications that wait for the digest."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(recipient=user, digest_pending=True)
            .order_by("created_at")
        )
        if not pending:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False)
        if not wants_email(user):
            return 0
        lang = language_of(user)
        with translation.override(lang):
            n = len(pending)
            subject = ngettext("MKK: %(n)d new notification", "MKK: %(n)d new notifications", n) % {
                "n": n
            }
            parts = []
            for entry in pending:
                text = f"* {entry.title}\n  {entry.body}"
                if entry.url:
                    text += f"\n  {absolute(entry.url)}"
                parts.append(text)
            parts.append(
                _("Your inbox: %(url)s") % {"url": absolute(reverse("notifications:inbox"))}
            )
            parts.append("-- \n" + _footer(lang))
            EmailMessage(subject=subject, body="\n\n".join(parts), to=[user.email]).send()
        return n


def once(key: str) -> bool:
    """True the first time a key is seen (and records it); False every later time."""
    try:
        with transaction.atomic():
            Once.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True


# --- The inbox -------------------------------------------------------------------------------


def notification_mark_read(*, actor, entry: Notification) -> Notification:
    if entry.recipient_id != actor.pk:
        raise PermissionError("not the recipient")
    if entry.read_at is None:
        entry.read_at = timezone.now()
        entry.save(update_fields=["read_at"])
    return entry


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_set(*, actor, email: bool, language: str) -> Preference:
    pref, _created = Preference.objects.get_or_create(user=actor)
    if pref.email != email:
        pref.email = email
        pref.full_clean()
        pref.save()
    if language in SUPPORTED and actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
    return pref
