"""The data versions that cached page parts are keyed by (see ``mkk.core.versions``)."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """One row per scope: ``*`` (data shown in every municipality: the directory, the
    statistics catalogue) or ``m<municipality id>``. ``token`` is a new random value after
    every change in that scope, written in the changing transaction itself."""

    scope = models.CharField(max_length=24, unique=True)
    token = models.CharField(max_length=32)

    audit_exclude = True  # bookkeeping of the cache, not a domain change

    def __str__(self) -> str:
        return f"{self.scope}={self.token}"
