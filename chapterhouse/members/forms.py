from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.gender import Gender
from chapterhouse.core.inputs import BoundedForm
from chapterhouse.members import citysearch, ratelimit
from chapterhouse.members.language import member_language
from chapterhouse.members.mail import confirmation_send
from chapterhouse.members.models import Member
from chapterhouse.members.validators import email_canonical_or_error
from chapterhouse.outbox.services import message_queue

# The full statement, with the rule's minimum, is templates/members/gender_statement.html.
GENDER_STATEMENT = _(
    "Optional. Used only to count women at meetings for the organization's rule; no one on the "
    "site sees your answer, and counts are shown only for meetings large enough."
)


def validate_display_name(value: str) -> None:
    """Names are shown to other members as text: markup and control characters are refused."""
    if any(ch in value for ch in "<>") or any(ord(ch) < 32 for ch in value):
        raise ValidationError(_("A name cannot contain < or > or control characters."),
                              code="markup")


class NormalizedEmailField(forms.EmailField):
    """An email as we store it (members/emails.py): 'ＡNA@Example。org' is ana@example.org;
    invisible characters and mixed-script look-alikes are refused with a clear message."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return email_canonical_or_error(text) if text else text


class ProfileFields(BoundedForm, forms.Form):
    """City, languages, gender and willingness: asked at sign-up and edited on the profile."""

    display_name = forms.CharField(
        label=_("Your name, as other members see it"), max_length=100,
        validators=[validate_display_name],
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    city = forms.CharField(
        label=_("City"), max_length=200,
        help_text=_("The city you live in or nearest to it (never a street address). Type a "
                    "few letters; names in any language work."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-city-search": ""}),
    )
    # Set by the autocomplete, or chosen from a list when the typed name is ambiguous.
    place = forms.IntegerField(required=False, widget=forms.HiddenInput)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), choices=settings.LANGUAGES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("We write to you in the first one checked, in the order listed."),
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), required=False, help_text=GENDER_STATEMENT,
        choices=[("", _("Prefer not to say")), *Gender.choices], widget=forms.RadioSelect,
    )
    willing_to_meet = forms.BooleanField(
        label=_("I am willing to meet other members in person"), required=False,
    )

    city_choices: list[citysearch.CityMatch]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city_choices = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = cleaned.get("city")
        if not text:
            return cleaned
        chosen = cleaned.get("place")
        if chosen and chosen in {m.city.geonameid for m in citysearch.search(text, limit=200)}:
            cleaned["geonameid"] = chosen
            return cleaned
        matches = citysearch.resolve(text)
        if not matches:
            self.add_error("city", _(
                "We could not find a city called “%(city)s”. Our list has the cities of 15,000 "
                "people or more: try the nearest larger city, or its name in another language."
            ) % {"city": text})
        elif len(matches) > 1:
            self.city_choices = matches
            self.add_error("city", _("Several cities match “%(city)s”: choose yours below.")
                           % {"city": text})
        else:
            cleaned["geonameid"] = matches[0].city.geonameid
        return cleaned


class SignUpForm(ProfileFields):
    field_order = ["display_name", "email", "password1", "password2", "city", "place",
                   "languages", "gender", "willing_to_meet"]

    email = NormalizedEmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm it. Other members never see it."),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            probe = Member(email=cleaned.get("email") or "",
                           display_name=cleaned.get("display_name") or "")
            try:
                password_validation.validate_password(first, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(ProfileFields):
    @classmethod
    def for_member(cls, member: Member, data: QueryDict | None = None) -> ProfileForm:
        site = {code for code, _name in settings.LANGUAGES}
        initial = {
            "display_name": member.display_name,
            "city": member.place.name + ", " + member.place.country_name if member.place else "",
            "place": member.place_id,
            "languages": [c for c in member.languages or [] if c in site],
            "gender": member.gender,
            "willing_to_meet": member.willing_to_meet,
        }
        return cls(data=data, initial=initial)


class EmailConsentForm(BoundedForm, forms.Form):
    """Whether organizers may see the member's email address (issue 13, item 2)."""

    email_visible_to_organizers = forms.BooleanField(
        label=_("Organizers may see my email address"), required=False,
        help_text=_("Organizers are members who help start and grow chapters. If you tick "
                    "this, the organizer of your chapter (or of a chapter near you) sees your "
                    "email address and may write to you directly. If you leave it unticked, "
                    "they never see it and write to you through this site. Other members and "
                    "coordinators never see your address either way."),
    )


class MemberAuthenticationForm(AuthenticationForm):
    """Django's login form, telling the owner of an unconfirmed account what to do.

    It authenticates with `email=` (the canonical address): django-axes then counts failures
    for "ANA@example.org" and "ana@example.org" as one. Every attempt for an address that can
    exist hashes the password exactly once (members/backends.py), whether the account is
    confirmed, unconfirmed, inactive or unknown, so the time taken tells nothing; only someone
    who typed the right password learns that the account waits for confirmation.
    """

    def clean(self) -> dict[str, Any]:
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is None or not password:
            return self.cleaned_data
        try:
            email = email_canonical_or_error(email)
        except ValidationError as error:
            raise ValidationError(error.messages, code="refused_email") from None
        self.user_cache = authenticate(self.request, email=email, password=password,
                                       allow_unconfirmed=True)
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            if ratelimit.CONFIRMATIONS_PER_EMAIL.hit(user.email):
                base_url = self.request.build_absolute_uri("/")[:-1] if self.request else ""
                confirmation_send(user, base_url)
            raise ValidationError(
                _("Your email address is not confirmed yet. We have sent you a link to "
                  "confirm it; open it, then log in."), code="unconfirmed")


class MemberPasswordResetForm(PasswordResetForm):
    """Django's reset form: emails compared as we store them, the email in the member's
    language, queued in the outbox (sent by the worker once the request commits)."""

    email = NormalizedEmailField(label=_("Email"), max_length=254,
                                 widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email: str) -> Iterator[Any]:
        """Django's (active accounts with a password), and imported members who have not
        chosen one yet: their invitation may have expired (members/member_import.py)."""
        yield from super().get_users(email)
        yield from Member.objects.filter(
            email__iexact=email, is_active=True, import_record__isnull=False,
            password__startswith=UNUSABLE_PASSWORD_PREFIX)

    def send_mail(self, subject_template_name: str, email_template_name: str,
                  context: dict[str, Any], from_email: str | None, to_email: str,
                  html_email_template_name: str | None = None) -> None:
        with translation.override(member_language(context["user"])):
            subject = loader.render_to_string(subject_template_name, context)
            body = loader.render_to_string(email_template_name, context)
            html = (loader.render_to_string(html_email_template_name, context)
                    if html_email_template_name else "")
        message_queue(to=to_email, subject=subject, body=body, html_body=html,
                      member=context["user"], kind="password_reset")


if TYPE_CHECKING:  # generic for the type checker only (not subscriptable at run time)
    _SetPasswordForm = SetPasswordForm[Member]
else:
    _SetPasswordForm = SetPasswordForm


class MemberSetPasswordForm(_SetPasswordForm):
    """Following the reset link proves the email is theirs, so it also confirms it."""

    def save(self, commit: bool = True) -> Member:
        self.user.email_confirmed = True
        return super().save(commit)


class EraseAccountForm(BoundedForm, forms.Form):
    """"Delete my account" asks for the password, so a session left open is not enough."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))

    def __init__(self, member: Member, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class OneTimeCodeForm(BoundedForm, forms.Form):
    """A code from the authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label=_("Code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}),
    )
