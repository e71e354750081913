from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chapterhouse.members import citysearch, ratelimit, services
from chapterhouse.members.forms import (
    GENDER_STATEMENT,
    MemberAuthenticationForm,
    MemberPasswordResetForm,
    MemberSetPasswordForm,
    ProfileForm,
    SignUpForm,
)
from chapterhouse.organizations.models import Organization


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def signup(request):
    if request.user.is_authenticated:
        return redirect("member_profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_sign_up(
                email=data["email"], password=data["password1"],
                display_name=data["display_name"], geonameid=data["geonameid"],
                languages=data["languages"], gender=data["gender"],
                willing_to_meet=data["willing_to_meet"],
                on=Organization.objects.current().today, base_url=_base_url(request),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            request.session["signed_up_email"] = data["email"]
            return redirect("member_signup_done")
    return render(request, "members/signup.html", {"form": form,
                                                   "gender_statement": GENDER_STATEMENT})


def signup_done(request):
    return render(request, "members/signup_done.html",
                  {"email": request.session.get("signed_up_email", "")})


def confirm(request, token: str):
    """The emailed link shows a button; confirming is a POST, so mail scanners that open
    links do not confirm for the member."""
    if request.method == "POST":
        try:
            services.member_confirm_email(token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(request, "members/confirm.html", {"invalid": True}, status=400)
        messages.success(request, _("Your email is confirmed. Welcome! Log in to find a "
                                    "chapter near you."))
        return redirect("login")
    return render(request, "members/confirm.html", {"invalid": False})


class MemberLoginView(auth_views.LoginView):
    authentication_form = MemberAuthenticationForm
    redirect_authenticated_user = True


class MemberPasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per email and per address so it cannot be used to flood an
    inbox; over the limit nothing is sent and the member is told to wait."""

    form_class = MemberPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        by_email = ratelimit.RESETS_PER_EMAIL.hit(email)
        by_address = ratelimit.RESETS_PER_ADDRESS.hit(ratelimit.client_address(self.request))
        if not (by_email and by_address):
            form.add_error(None, _("Too many password reset requests. Wait an hour and try "
                                   "again, or check your spam folder for the earlier emails."))
            return self.form_invalid(form)
        return super().form_valid(form)


class MemberPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = MemberSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


@login_required
def profile(request):
    member = request.user
    form = ProfileForm.for_member(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.member_profile_update(
            member=member, display_name=data["display_name"], geonameid=data["geonameid"],
            languages=data["languages"], gender=data["gender"],
            willing_to_meet=data["willing_to_meet"],
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("member_profile")
    return render(request, "members/profile.html", {"form": form,
                                                    "gender_statement": GENDER_STATEMENT})


@require_GET
def place_search(request):
    """The city autocomplete: up to 8 cities for what was typed, the most populous first."""
    matches = citysearch.search(request.GET.get("q", "")[:100])
    return JsonResponse({"results": [m.as_json() for m in matches]})
