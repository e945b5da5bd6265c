"""A user who has no preferred language yet gets the one they log in with."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation


@receiver(user_logged_in)
def remember_language(sender, request, user, **kwargs):
    if getattr(user, "language", None) == "":
        user.language = translation.get_language() or ""
        if user.language:
            user.save(update_fields=["language"])
