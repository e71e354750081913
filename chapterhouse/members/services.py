"""Joining, keeping one's profile and the staff's second factor: the writes, with their checks.

Each takes the context (organizations/context.py) when someone acts or a date matters: the
member signs up on the organization's today, edits their own profile, confirms their own
authenticator. Logs name members by id only, never by name or address.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chapterhouse.members import ratelimit
from chapterhouse.members.mail import (
    confirmation_send,
    existing_account_notice_send,
    import_invitation_send,
)
from chapterhouse.members.models import ImportedMember, Member
from chapterhouse.members.tokens import confirmation_read
from chapterhouse.members.validators import email_canonical_or_error
from chapterhouse.organizations.context import Context
from chapterhouse.places.models import Place

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _languages(chosen: list[str], kept: list[str] | None = None) -> list[str]:
    """The site languages chosen, in the site's order, then any others the member had."""
    site = [code for code, _name in settings.LANGUAGES]
    ordered = [code for code in site if code in set(chosen)]
    return ordered + [code for code in kept or [] if code not in site]


def _acting_member(ctx: Context) -> Member:
    """The member acting for themselves; PermissionDenied for a visitor or the system."""
    member: Member | None = ctx.actor.member
    if member is None:
        raise PermissionDenied
    return member


def member_sign_up(ctx: Context, *, email: str, password: str, display_name: str,
                   geonameid: int, languages: list[str], gender: str, willing_to_meet: bool,
                   base_url: str) -> Member | None:
    """A new, unconfirmed member, joined on the organization's today; the confirmation link is
    emailed once this commits. A refused address is a ValidationError on `email`.

    If the address already has an account nothing is created and its owner is emailed instead
    ("someone tried to sign up with your address"); the caller answers the same either way, so
    the sign-up page tells no one whether an address has an account. The same work (the
    password hashed, the city looked up) is done in both cases, so the time taken does not tell
    either. Returns the new member, or None for an existing address.
    """
    try:
        email = email_canonical_or_error(email)
    except ValidationError as error:
        raise ValidationError({"email": error}) from None
    member = Member(
        email=email, display_name=display_name.strip(),
        place=Place.objects.from_gazetteer(geonameid), languages=_languages(languages),
        gender=gender, willing_to_meet=willing_to_meet, joined_on=ctx.today(),
        email_confirmed=False,
    )
    member.set_password(password)
    try:
        with transaction.atomic():
            member.save()
            confirmation_send(member, base_url)  # queued with the account, sent after commit
    except IntegrityError:  # the address has an account (or signed up a moment ago)
        owner = Member.objects.filter(email=email).first()
        if owner is not None:
            existing_account_notice_send(owner, base_url)
        logger.info("sign-up with the address of an existing account: its owner is told")
        return None
    logger.info("member %s signed up (unconfirmed)", member.pk)
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
    member: Member | None = Member.objects.filter(pk=member_id, email=email,
                                                  is_active=True).first()
    if member is None:
        raise ValidationError(_("This link is not valid. Copy the whole link from the email."),
                              code="invalid")
    if not member.email_confirmed:
        member.email_confirmed = True
        member.save(update_fields=["email_confirmed"])
    return member


def member_profile_update(ctx: Context, *, display_name: str, geonameid: int,
                          languages: list[str], gender: str, willing_to_meet: bool) -> Member:
    """The acting member's own profile."""
    member = _acting_member(ctx)
    with transaction.atomic():
        member.display_name = display_name.strip()
        member.place = Place.objects.from_gazetteer(geonameid)
        member.languages = _languages(languages, kept=member.languages)
        member.gender = gender
        member.willing_to_meet = willing_to_meet
        member.save(update_fields=["display_name", "place", "languages", "gender",
                                   "willing_to_meet"])
    return member


def member_email_consent_set(ctx: Context, *, allowed: bool) -> Member:
    """The acting member allows organizers to see their email address, or not (issue 13,
    item 2). Off by default; without it organizers write to them through the site."""
    member = _acting_member(ctx)
    with transaction.atomic():
        member.email_visible_to_organizers = allowed
        member.save(update_fields=["email_visible_to_organizers"])
    logger.info("member %s: email visible to organizers %s", member.pk, allowed)
    return member


# Erasing an account and importing a member list reach into the feature apps: they live in
# chapterhouse/privacy/services.py, above them.


def import_invitations_send(limit: int) -> int:
    """Invite up to `limit` imported members to choose a password (mail.import_invitation_send,
    which queues into the outbox) and mark them invited, in one transaction: a failure sends
    and marks nothing, so the next run tries them again. Members who already chose a password
    (through "forgot password") are marked without an email. The scheduler calls this every
    minute with settings.IMPORT_INVITATIONS_PER_MINUTE. How many were marked."""
    if limit <= 0:
        return 0
    now = timezone.now()
    with transaction.atomic():
        records = list(ImportedMember.objects.select_for_update(skip_locked=True)
                       .filter(invitation_sent_at__isnull=True, member__is_active=True)
                       .select_related("member").order_by("imported_at", "pk")[:limit])
        for record in records:
            if not record.member.has_usable_password():
                import_invitation_send(record.member)
        ImportedMember.objects.filter(pk__in=[r.pk for r in records]).update(
            invitation_sent_at=now)
    return len(records)


# Staff's second factor (django-otp): an authenticator app (TOTP) and single-use backup codes.
BACKUP_CODES = 10


def staff_authenticator_pending(ctx: Context) -> TOTPDevice:
    """The acting staff member's authenticator being set up: made once, shown until a code
    confirms it. PermissionDenied for anyone but staff."""
    member = _acting_member(ctx)
    if not (member.is_staff or member.is_superuser):
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=member, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=member, name="authenticator",
                                               confirmed=False)


def staff_authenticator_confirm(ctx: Context, *, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the acting member's pending authenticator with a code it shows; new backup codes
    replace any old ones. A ValidationError when the code is wrong (counted against
    SECOND_FACTOR_PER_MEMBER, and the device throttles) or the member has used up their tries.
    """
    member = _acting_member(ctx)
    return _second_factor_attempt(member, lambda: _authenticator_confirmed(member, code))


def _authenticator_confirmed(member: Member, token: str) -> tuple[TOTPDevice, list[str]] | None:
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(
            user=member, confirmed=False).order_by("pk").first()
        if device is None or not device.verify_token(token.strip()):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=member).delete()
        backup = StaticDevice.objects.create(user=member, name="backup codes")
        codes = [StaticToken.random_token() for _n in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
    logger.info("member %s confirmed an authenticator", member.pk)
    return device, codes


def staff_second_factor_verify(ctx: Context, *, code: str) -> Device:
    """The acting member's confirmed device (authenticator or backup code) that accepts `code`.
    A ValidationError when none does (counted against SECOND_FACTOR_PER_MEMBER; each device
    also counts its own failures and slows down after them) or the tries are used up."""
    member = _acting_member(ctx)
    return _second_factor_attempt(member, lambda: staff_second_factor_check(member=member,
                                                                            token=code))


def staff_second_factor_check(*, member: Member, token: str) -> Device | None:
    """The member's confirmed device that accepts `token`, or None (no rate limit here)."""
    token = "".join(token.split())
    for device in list(devices_for_user(member)):
        if verify_token(member, device.persistent_id, token):
            return device
    return None


def second_factor_throttled(error: ValidationError) -> bool:
    """Whether a refusal of the second factor was for too many wrong codes (HTTP 429)."""
    return getattr(error, "code", None) == "too_many_codes"


def _second_factor_attempt(member: Member, attempt: Callable[[], T | None]) -> T:
    """Run `attempt` unless the member has used up their tries; a wrong code counts one."""
    key = str(member.pk)
    if ratelimit.SECOND_FACTOR_PER_MEMBER.reached(key):
        logger.warning("second factor refused for member %s: too many wrong codes", member.pk)
        raise ValidationError(_("Too many wrong codes. Wait 15 minutes and try again."),
                              code="too_many_codes")
    result = attempt()
    if result is None:
        ratelimit.SECOND_FACTOR_PER_MEMBER.hit(key)
        logger.warning("second factor: a wrong code for member %s", member.pk)
        raise ValidationError({"code": ValidationError(
            _("That code is not right. Type the code your app shows now, or one of your "
              "backup codes."), code="wrong_code")})
    return result
