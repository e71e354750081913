"""Joining and keeping one's profile: the writes, with their checks."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chapterhouse.members.emails import normalize_email
from chapterhouse.members.mail import confirmation_send
from chapterhouse.members.models import Member
from chapterhouse.members.tokens import confirmation_read
from chapterhouse.places.models import Place


def _languages(chosen: list[str], kept: list[str] | None = None) -> list[str]:
    """The site languages chosen, in the site's order, then any others the member had."""
    site = [code for code, _name in settings.LANGUAGES]
    ordered = [code for code in site if code in set(chosen)]
    return ordered + [code for code in kept or [] if code not in site]


def member_sign_up(*, email: str, password: str, display_name: str, geonameid: int,
                   languages: list[str], gender: str, willing_to_meet: bool, on: datetime.date,
                   base_url: str) -> Member:
    """A new, unconfirmed member; the confirmation link is emailed once this commits."""
    email = normalize_email(email)
    duplicate = ValidationError(_("There is already an account with this email."),
                                code="duplicate")
    if Member.objects.filter(email=email).exists():
        raise duplicate
    try:
        with transaction.atomic():
            member = Member(
                email=email, display_name=display_name.strip(),
                place=Place.objects.from_gazetteer(geonameid), languages=_languages(languages),
                gender=gender, willing_to_meet=willing_to_meet, joined_on=on,
                email_confirmed=False,
            )
            member.set_password(password)
            member.save()
            transaction.on_commit(lambda: confirmation_send(member, base_url))
    except IntegrityError:  # the same email signed up a moment ago
        raise duplicate from None
    return member


def member_confirm_email(*, token: str) -> Member:
    """Confirm the email the token was made for; refused if it is forged, too old or stale."""
    try:
        member_id, email = confirmation_read(token)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired. Log in to get a new one."),
                              code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid. Copy the whole link from the email."),
                              code="invalid") from None
    member = Member.objects.filter(pk=member_id, email=email, is_active=True).first()
    if member is None:
        raise ValidationError(_("This link is not valid. Copy the whole link from the email."),
                              code="invalid")
    if not member.email_confirmed:
        member.email_confirmed = True
        member.save(update_fields=["email_confirmed"])
    return member


def member_profile_update(*, member: Member, display_name: str, geonameid: int,
                          languages: list[str], gender: str, willing_to_meet: bool) -> Member:
    with transaction.atomic():
        member.display_name = display_name.strip()
        member.place = Place.objects.from_gazetteer(geonameid)
        member.languages = _languages(languages, kept=member.languages)
        member.gender = gender
        member.willing_to_meet = willing_to_meet
        member.save(update_fields=["display_name", "place", "languages", "gender",
                                   "willing_to_meet"])
    return member
