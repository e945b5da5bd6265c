from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_ratelimit.core import is_ratelimited

from mkk.audit.context import client_ip
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core.forms import show_errors
from mkk.core.paging import page_of
from mkk.directory import selectors as directory_selectors
from mkk.directory import services as directory_services

from . import scoping, selectors, services
from .forms import EnrolForm, FocalPersonForm, InviteForm, TokenForm
from .middleware import needs_second_factor
from .models import Role
from .services import totp_secret_base32


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Second step of login: a TOTP code (each code works once: django-otp keeps last_t)."""
    device = selectors.totp_device(request.user)
    if device is None:
        return redirect(f"/accounts/otp/setup/?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _data = device.verify_is_allowed()
        if not allowed:
            # django-otp doubles the wait after each wrong code (brute-force protection).
            form.add_error("token", _("Too many wrong codes. Wait a few seconds and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            record(AuditAction.OTP_FAILED, request.user)
            form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET"])
def otp_setup(request):
    """No second factor yet: it is enrolled only through a one-time link from an administrator
    or the coordinator, never with the password alone."""
    if selectors.totp_device(request.user) is not None:
        return redirect("accounts:otp")
    return render(request, "accounts/otp_setup.html", {})


# --- One-time links: invitation and second-factor enrolment ---------------------------------


@never_cache
@sensitive_post_parameters("new_password1", "new_password2", "current_password")
@require_http_methods(["GET", "POST"])
def enrol(request, token: str):
    """The invitation / enrolment link: set the password and enrol the authenticator."""
    # long: one link does up to two things (password, authenticator), each only when due.
    link = services.enrolment_link_find(token)
    if link is None:
        return _enrol_page(request, {}, status=410)
    user = link.user
    set_password = not user.has_usable_password()
    device = services.enrolment_device(link)
    form = EnrolForm(
        user,
        request.POST or None,
        set_password=set_password,
        with_token=device is not None,
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_complete(
                link=link,
                password=form.cleaned_data.get("new_password1") if set_password else None,
                token=form.cleaned_data.get("token"),
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            if request.user.is_authenticated:
                logout(request)
            messages.success(request, _("Your account is ready. Log in."))
            return redirect("accounts:login")
    context = {"form": form, "link": link, "account": user, "set_password": set_password}
    return _enrol_page(request, context, device)


def _enrol_page(request, context: dict, device=None, status: int = 200):
    """The enrolment page (with the authenticator's QR code and secret when one is to be
    enrolled); the link's token never leaves in a Referer header."""
    if device is not None:
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
        context["secret"] = totp_secret_base32(device)
    template = "accounts/enrol.html" if status == 200 else "accounts/enrol_invalid.html"
    response = render(request, template, context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Password change and reset (Django's views) --------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request, *args, **kwargs):
        if needs_second_factor(request.user):
            return redirect(f"{reverse('accounts:otp')}?next={request.path}")
        return super().dispatch(request, *args, **kwargs)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _reset_limited(request) -> bool:
    """Too many reset requests from this address or for this address in the window."""
    by_ip = is_ratelimited(
        request, group="password_reset_ip", key="ip", rate=settings.MKK_RESET_RATE, increment=True
    )
    by_email = is_ratelimited(
        request,
        group="password_reset_email",
        key=lambda _group, req: (req.POST.get("email") or "").strip().lower(),
        rate=settings.MKK_RESET_RATE,
        increment=True,
    )
    return by_ip or by_email


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers the same page (no user enumeration); rate-limited by address and e-mail."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if _reset_limited(request):
            return render(request, "accounts/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.MKK_SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Users of a municipality (coordinator) ------------------------------------------------


def _users_municipality(request, code: str):
    municipality = directory_selectors.municipality_for(request.user, code)
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    return municipality


@login_required
@never_cache
def users(request, code: str):
    municipality = _users_municipality(request, code)
    qs = selectors.users_of(request.user, municipality)
    page = page_of(request, qs, 50)
    memberships = directory_selectors.memberships_of_municipality(municipality)
    context = {"municipality": municipality, "page": page, "memberships": memberships}
    return render(request, "accounts/users.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def user_invite(request, code: str):
    municipality = _users_municipality(request, code)
    institutions = directory_selectors.institutions_for(request.user, municipality)
    hours = settings.MKK_ENROLMENT_LINK_HOURS
    form = InviteForm(
        request.POST or None,
        roles=[Role(r) for r in services.COORDINATOR_INVITES],
        institutions=institutions.filter(is_active=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The form's fields are the service's: email, names, role, institution.
            invited = services.user_invite(
                actor=request.user, municipality=municipality, **form.cleaned_data
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            sent = _("Invitation sent to %(email)s; the link works once, for %(hours)d hours.")
            messages.success(request, sent % {"email": invited.email, "hours": hours})
            return redirect("accounts:users", code=municipality.code)
    context = {"municipality": municipality, "form": form, "link_hours": hours}
    return render(request, "accounts/user_invite.html", context)


def _user_action(request, account, action: str | None) -> None:
    """Deactivate or reactivate an account (never one's own), or send it a new enrolment link."""
    if action in {"deactivate", "activate"}:
        scoping.require(account.pk != request.user.pk)
        services.user_set_active(actor=request.user, user=account, active=action == "activate")
        done = _("Account deactivated.") if action == "deactivate" else _("Account active.")
    elif action == "link":
        services.enrolment_link_issue(actor=request.user, user=account)
        done = _("An enrolment link was sent to %(email)s.") % {"email": account.email}
    else:
        raise Http404
    messages.success(request, done)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def user_detail(request, pk: int):
    """One account: deactivate or reactivate it, send a new enrolment link."""
    account = selectors.user_for(request.user, pk)
    if request.method == "POST":
        scoping.require(scoping.can_manage_user(request.user, account))
        try:
            _user_action(request, account, request.POST.get("action"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("accounts:user", pk=account.pk)
    context = {
        "account": account,
        "municipality": account.municipality,
        "can_manage": scoping.can_manage_user(request.user, account)
        and account.pk != request.user.pk,
        "has_device": selectors.totp_device(account) is not None,
        "links": account.enrolment_links.all()[:10],
        "memberships": selectors.memberships_of_focal(account),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def focal_person(request, pk: int):
    """Link a membership of the mechanism to the user who is its focal person."""
    membership = directory_selectors.membership_for(request.user, pk)
    municipality = membership.mechanism.municipality
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    form = FocalPersonForm(
        request.POST or None,
        users=selectors.focal_candidates(request.user, membership),
        membership=membership,
    )
    if request.method == "POST" and form.is_valid():
        try:
            directory_services.membership_focal_link(
                actor=request.user,
                membership=membership,
                user=form.cleaned_data["user"],
                version=form.version,
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Focal person saved."))
            return redirect("accounts:users", code=municipality.code)
    context = {"form": form, "membership": membership, "municipality": municipality}
    return render(request, "accounts/focal_person.html", context)
