"""The account pages: sign-up, email confirmation, login and password reset, the profile, the
data rights ("Download my data", "Delete my account") and the staff's second factor.

Views parse, call a service, render; a refusal reaches the person through `show_refusal`.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device

from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.members import citysearch, ratelimit, services
from chapterhouse.members.forms import (
    GENDER_STATEMENT,
    EmailConsentForm,
    EraseAccountForm,
    MemberAuthenticationForm,
    MemberPasswordResetForm,
    MemberSetPasswordForm,
    OneTimeCodeForm,
    ProfileForm,
    SignUpForm,
)
from chapterhouse.members.middleware import needs_second_factor
from chapterhouse.members.models import Member
from chapterhouse.members.tokens import invitation_token_generator
from chapterhouse.privacy.services import member_data_export, member_erase

logger = logging.getLogger(__name__)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("member_profile")
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and not _signup_allowed(request, form):
        status = 429
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_sign_up(
                context_of(request), email=data["email"], password=data["password1"],
                display_name=data["display_name"], geonameid=data["geonameid"],
                languages=data["languages"], gender=data["gender"],
                willing_to_meet=data["willing_to_meet"], base_url=_base_url(request),
            )
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            request.session["signed_up_email"] = data["email"]
            return redirect("member_signup_done")
    return render(request, "members/signup.html", {"form": form,
                                                   "gender_statement": GENDER_STATEMENT},
                  status=status)


def _signup_allowed(request: HttpRequest, form: SignUpForm) -> bool:
    """Counts the sign-up against its network and its email; over either limit the form says
    so (the same words whether or not the email has an account) and nothing is done."""
    if (ratelimit.SIGNUPS_PER_NETWORK.hit(ratelimit.client_network(request))
            and ratelimit.SIGNUPS_PER_EMAIL.hit(form.cleaned_data["email"])):
        return True
    logger.warning("sign-up refused: too many from one network or with one email")
    form.add_error(None, _("Too many sign-ups from your connection or with this email. Wait "
                           "an hour and try again."))
    return False


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "members/signup_done.html",
                  {"email": request.session.get("signed_up_email", "")})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link shows a button; confirming is a POST, so mail scanners that open
    links do not confirm for the member."""
    if request.method == "POST":
        try:
            services.member_confirm_email(token=token)
        except ValidationError as error:
            show_refusal(request, error)
            return render(request, "members/confirm.html", {"invalid": True}, status=400)
        messages.success(request, _("Your email is confirmed. Welcome! Log in to find a "
                                    "chapter near you."))
        return redirect("login")
    return render(request, "members/confirm.html", {"invalid": False})


class MemberLoginView(auth_views.LoginView):
    """Django's login. Besides django-axes (failures per email), failed logins are counted per
    network across every email: over LOGIN_FAILURES_PER_NETWORK the page answers 429 without
    checking the password, so one network cannot try a password on thousands of accounts."""

    authentication_form = MemberAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if ratelimit.LOGIN_FAILURES_PER_NETWORK.reached(ratelimit.client_network(request)):
            logger.warning("login refused without checking: too many failures from one network")
            form = self.authentication_form(request)  # unbound: no password is checked
            refusal = _("Too many failed logins from your network. Wait an hour and try "
                        "again, or reset your password.")
            return self.render_to_response(self.get_context_data(form=form, refusal=refusal),
                                           status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # The login's writes (a new session, last_login, django-axes' access log and the reset
        # of the email's failures) in one transaction. The password was checked before it, so
        # no write lock is held while argon2 runs.
        with transaction.atomic():
            return super().form_valid(form)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            ratelimit.LOGIN_FAILURES_PER_NETWORK.hit(ratelimit.client_network(self.request))
        return super().form_invalid(form)


class MemberPasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per email and per address so it cannot be used to flood an
    inbox; over the limit nothing is sent and the member is told to wait."""

    form_class = MemberPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        by_email = ratelimit.RESETS_PER_EMAIL.hit(email)
        by_address = ratelimit.RESETS_PER_ADDRESS.hit(
            ratelimit.client_address(self.request) or "unknown")
        if not (by_email and by_address):
            logger.warning("password reset refused: too many for one email or address")
            form.add_error(None, _("Too many password reset requests. Wait an hour and try "
                                   "again, or check your spam folder for the earlier emails."))
            return self.form_invalid(form)
        return super().form_valid(form)


class MemberPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = MemberSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


class MemberInvitationAcceptView(auth_views.PasswordResetConfirmView):
    """An imported member's invitation link (mail.import_invitation_send): the reset page with
    the invitation's token (valid 14 days), logging the member in once the password is set."""

    form_class = MemberSetPasswordForm
    token_generator = invitation_token_generator
    post_reset_login = True
    post_reset_login_backend = "chapterhouse.members.backends.EmailBackend"
    success_url = reverse_lazy("member_profile")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    member: Member = ctx.actor.member
    form = ProfileForm.for_member(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.member_profile_update(
            ctx, display_name=data["display_name"], geonameid=data["geonameid"],
            languages=data["languages"], gender=data["gender"],
            willing_to_meet=data["willing_to_meet"],
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("member_profile")
    consent = EmailConsentForm(initial={
        "email_visible_to_organizers": member.email_visible_to_organizers})
    return render(request, "members/profile.html", {"form": form, "consent_form": consent,
                                                    "gender_statement": GENDER_STATEMENT})


@login_required
@require_POST
def email_consent(request: HttpRequest) -> HttpResponse:
    """Whether organizers may see the member's email address (a form of its own on the
    profile page)."""
    form = EmailConsentForm(request.POST)
    form.is_valid()  # a checkbox: unticked or absent is False, anything else True
    allowed = bool(form.cleaned_data.get("email_visible_to_organizers"))
    services.member_email_consent_set(context_of(request), allowed=allowed)
    messages.success(request, _("Organizers may now see your email address.") if allowed
                     else _("Organizers no longer see your email address; they write to you "
                            "through the site."))
    return redirect("member_profile")


@require_GET
def place_search(request: HttpRequest) -> JsonResponse:
    """The city autocomplete: up to 8 cities for what was typed, the most populous first."""
    matches = citysearch.search(request.GET.get("q", "")[:100])
    return JsonResponse({"results": [m.as_json() for m in matches]})


@login_required
@require_POST
def data_download(request: HttpRequest) -> HttpResponse:
    """"Download my data": a zip of JSON and CSV, made now (one member's data is small).
    A POST, so a link cannot make a member's browser fetch it."""
    body = member_data_export(context_of(request))
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-chapterhouse-data.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_erase(request: HttpRequest) -> HttpResponse:
    """"Delete my account": with the password, the account is anonymised (see
    privacy.services.member_erase) and the member logged out."""
    ctx = context_of(request)
    form = EraseAccountForm(ctx.actor.member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        member_erase(ctx, member=ctx.actor.member)
        logout(request)
        messages.success(request, _("Your account is deleted. Your name, email and city are "
                                    "gone; past meetings you attended still count, "
                                    "anonymously."))
        return redirect("dashboard")
    return render(request, "members/erase.html", {"form": form})


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest, device: Device) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id for the higher privilege
    logger.info("member %s passed the second factor", request.user.pk)


def _code_refused(request: HttpRequest, error: ValidationError, form: OneTimeCodeForm) -> int:
    """Show a refused code on the form; the status to answer with."""
    show_refusal(request, error, form)
    return 429 if services.second_factor_throttled(error) else 200


@login_required
def staff_verify(request: HttpRequest) -> HttpResponseBase:
    """The second step of a staff login: a code from the authenticator, or a backup code."""
    if not needs_second_factor(request.user):
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect(reverse("staff_enrol") + "?" + urlencode({"next": _next_url(request)}))
    form = OneTimeCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.staff_second_factor_verify(context_of(request),
                                                         code=form.cleaned_data["code"])
        except ValidationError as error:
            status = _code_refused(request, error, form)
        else:
            _verified(request, device)
            return redirect(_next_url(request))
    return render(request, "members/verify.html", {"form": form, "next": _next_url(request)},
                  status=status)


@login_required
def staff_enrol(request: HttpRequest) -> HttpResponseBase:
    """A staff member without an authenticator sets one up: scan the code, type what the app
    shows; they get single-use backup codes, shown once."""
    ctx = context_of(request)
    member: Member | None = ctx.actor.member
    if member is None or not (member.is_staff or member.is_superuser):
        raise Http404
    if user_has_device(member):
        return redirect(reverse("staff_verify") + "?" + urlencode({"next": _next_url(request)}))
    device = services.staff_authenticator_pending(ctx)
    form = OneTimeCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.staff_authenticator_confirm(
                ctx, code=form.cleaned_data["code"])
        except ValidationError as error:
            status = _code_refused(request, error, form)
        else:
            _verified(request, device)
            return render(request, "members/backup_codes.html",
                          {"codes": codes, "next": _next_url(request)})
    context = {
        "form": form, "next": _next_url(request),
        # Inline SVG markup (no data: URI, so the CSP keeps img-src to the site itself).
        "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(  # noqa: S308
            scale=5, title=_("QR code for your authenticator app"))),
        "secret": b32encode(device.bin_key).decode(),
    }
    return render(request, "members/enrol.html", context, status=status)
