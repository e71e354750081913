"""Joining and keeping one's profile: the writes, with their checks."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chapterhouse.members.mail import confirmation_send, existing_account_notice_send
from chapterhouse.members.models import Member
from chapterhouse.members.tokens import confirmation_read
from chapterhouse.members.validators import email_canonical_or_error
from chapterhouse.places.models import Place


def _languages(chosen: list[str], kept: list[str] | None = None) -> list[str]:
    """The site languages chosen, in the site's order, then any others the member had."""
    site = [code for code, _name in settings.LANGUAGES]
    ordered = [code for code in site if code in set(chosen)]
    return ordered + [code for code in kept or [] if code not in site]


def member_sign_up(*, email: str, password: str, display_name: str, geonameid: int,
                   languages: list[str], gender: str, willing_to_meet: bool, on: datetime.date,
                   base_url: str) -> Member | None:
    """A new, unconfirmed member; the confirmation link is emailed once this commits.

    If the address already has an account nothing is created and its owner is emailed instead
    ("someone tried to sign up with your address"); the caller answers the same either way, so
    the sign-up page tells no one whether an address has an account. The same work (the
    password hashed, the city looked up) is done in both cases, so the time taken does not tell
    either. Returns the new member, or None for an existing address.
    """
    email = email_canonical_or_error(email)
    member = Member(
        email=email, display_name=display_name.strip(),
        place=Place.objects.from_gazetteer(geonameid), languages=_languages(languages),
        gender=gender, willing_to_meet=willing_to_meet, joined_on=on, email_confirmed=False,
    )
    member.set_password(password)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # the address has an account (or signed up a moment ago)
        owner = Member.objects.filter(email=email).first()
        if owner is not None:
            transaction.on_commit(lambda: existing_account_notice_send(owner, base_url))
        return None
    transaction.on_commit(lambda: confirmation_send(member, base_url))
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


def member_erase(*, member: Member, today: datetime.date, actor: Member | None = None,
                 now: datetime.datetime | None = None) -> Member:
    """Erase a member's account (their own "Delete my account", or staff in the admin).

    It anonymises rather than deletes, so history stays true: the Member row stays as a
    tombstone with no email, name, city, languages or password, inactive and with its sessions
    ended, shown as "former member". It keeps the self-described gender, which the rule counts
    over past attendance (kept as the gender, not a yes/no, so a later change of the counted
    genders treats the former member like everyone else), and `joined_on`/`created_at`. Past
    attendance, poll participations (never what was voted), posts, answered invitations and
    requests stay; what only looks forward is deleted or ended: RSVPs to future meetings,
    pending invitations and join requests, calendar feeds, open help offers, call sign-ups;
    current chapter memberships end today, coordinator roles go, an organizer is deactivated.
    Erasing twice changes nothing.
    """
    from auditlog.context import disable_auditlog

    from chapterhouse.audit.services import audit_member_forget, audit_record

    now = now or timezone.now()
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.erased_at is not None:
            return member
        email, former_name = member.email, member.display_name
        coordinated = list(member.coordinated_chapters.all())
        # One entry says what the erasure ended; the writes below are not logged one by one
        # (each would carry the name again, and auditlog records a clear() as a removal from
        # every chapter).
        audit_record(actor=actor, action="erasure", target=member, changes={
            "chapters_left": sorted(m.chapter.name for m in member.chapter_memberships.filter(
                left_on__isnull=True).select_related("chapter")),
            "coordinator_of": sorted(c.name for c in coordinated),
            "staff": (member.is_staff, False)})
        # Entries stay (who changed what stays answerable); the name and email leave them.
        audit_member_forget(member=member, former_name=former_name,
                            placeholder=gettext("former member"), chapters=coordinated)
        with disable_auditlog():
            _erase_rows(member, email=email, coordinated=coordinated, today=today, now=now)
    return member


def _erase_rows(member: Member, *, email: str, coordinated: list, today: datetime.date,
                now: datetime.datetime) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from chapterhouse.chapters.models import (
        EmailInvitation,
        Invitation,
        InvitationStatus,
        JoinRequest,
        JoinRequestStatus,
    )
    from chapterhouse.coordination.models import Signup
    from chapterhouse.helpboard.models import Need, Offer
    from chapterhouse.meetings.models import CalendarFeed, Rsvp
    from chapterhouse.organizing.models import Organizer

    Rsvp.objects.filter(member=member, meeting__starts_at__gt=now).delete()
    Invitation.objects.filter(member=member, status=InvitationStatus.PENDING).delete()
    JoinRequest.objects.filter(member=member, status=JoinRequestStatus.PENDING).delete()
    EmailInvitation.objects.filter(email=email, status=InvitationStatus.PENDING).delete()
    CalendarFeed.objects.filter(member=member).delete()
    Offer.objects.filter(member=member, need__closed_at__isnull=True).delete()
    Need.objects.filter(posted_by=member, closed_at__isnull=True).update(closed_at=now)
    Signup.objects.filter(member=member).delete()
    for membership in member.chapter_memberships.filter(left_on__isnull=True):
        membership.left_on = max(today, membership.joined_on)
        membership.save(update_fields=["left_on"])
    member.coordinated_chapters.remove(*coordinated)
    Organizer.objects.filter(member=member).update(active=False)
    AccessAttempt.objects.filter(username=email).delete()
    AccessFailureLog.objects.filter(username=email).delete()
    AccessLog.objects.filter(username=email).delete()
    member.groups.clear()
    member.user_permissions.clear()
    member.email = f"erased-{uuid.uuid4().hex}@erased.invalid"
    member.display_name = ""
    member.place = None
    member.languages = []
    member.willing_to_meet = False
    member.set_unusable_password()  # also ends every session (their hash changes)
    member.is_active = member.is_staff = member.is_superuser = False
    member.email_confirmed = False
    member.last_login = None
    member.erased_at = now
    member.save()


# Staff's second factor (django-otp): an authenticator app (TOTP) and single-use backup codes.
BACKUP_CODES = 10


def staff_authenticator_pending(*, member: Member) -> TOTPDevice:
    """The member's authenticator being set up: made once, shown until a code confirms it."""
    device = TOTPDevice.objects.filter(user=member, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=member, name="authenticator",
                                               confirmed=False)


def staff_authenticator_confirm(*, member: Member, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; new backup codes replace any
    old ones. ValidationError when the code is wrong (the device then throttles)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(
            user=member, confirmed=False).order_by("pk").first()
        if device is None or not device.verify_token(token.strip()):
            raise ValidationError(_("That code is not right. Type the six digits your app "
                                    "shows now."), code="wrong_code")
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=member).delete()
        backup = StaticDevice.objects.create(user=member, name="backup codes")
        codes = [StaticToken.random_token() for _n in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
    return device, codes


def staff_second_factor_check(*, member: Member, token: str) -> Device | None:
    """The member's confirmed device (authenticator or backup code) that accepts `token`, or
    None. Each device counts its own failures and slows down after them (django-otp)."""
    token = "".join(token.split())
    for device in list(devices_for_user(member)):
        if verify_token(member, device.persistent_id, token):
            return device
    return None
