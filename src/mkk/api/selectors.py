"""Reads of the API app: a user's own tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_for(user, pk: int) -> ApiToken:
    """One of the user's own tokens; 404 for anyone else's (no probing)."""
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token
