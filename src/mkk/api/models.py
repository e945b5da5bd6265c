"""Personal access tokens of the REST API.

A token is ``mkk_<prefix>_<secret>``: the prefix (public, unique) finds the row, the secret
(32 random bytes) is never stored; the row keeps only the SHA-256 of the whole token. The
full token is shown once, when it is created. A random 256-bit secret needs no slow hash
(nothing to brute-force, unlike a password), so SHA-256 is the right tool; the comparison
is constant-time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    #: The day of the last "token used" audit entry (one entry per token and day).
    last_audited_on = models.DateField(null=True, blank=True, editable=False)

    scope_municipality = "user__municipality"
    audit_sensitive_fields = ("token_hash",)
    audit_ignore_fields = ("last_used_at", "last_used_ip", "last_audited_on")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (mkk_{self.prefix}_…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
