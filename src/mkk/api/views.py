"""The profile page where a user creates and revokes personal access tokens of the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import TokenCreateForm


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """List, create (the token is shown once, on this response only) and revoke tokens."""
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(
                actor=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            created = {"token": token, "raw": raw}
            form = TokenCreateForm()
    context = {"form": form, "created": created, "tokens": selectors.tokens_of(request.user)}
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_for(request.user, pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("api:tokens")
