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

from chapterhouse.members.mail import (
    confirmation_send,
    existing_account_notice_send,
    import_invitation_send,
)
from chapterhouse.members.member_import import ImportPlan
from chapterhouse.members.models import ImportedMember, Member
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
            confirmation_send(member, base_url)  # queued with the account, sent after commit
    except IntegrityError:  # the address has an account (or signed up a moment ago)
        owner = Member.objects.filter(email=email).first()
        if owner is not None:
            existing_account_notice_send(owner, base_url)
        return None
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
    from chapterhouse.outbox.services import member_messages_erase

    Rsvp.objects.filter(member=member, meeting__starts_at__gt=now).delete()
    Invitation.objects.filter(member=member, status=InvitationStatus.PENDING).delete()
    JoinRequest.objects.filter(member=member, status=JoinRequestStatus.PENDING).delete()
    EmailInvitation.objects.filter(email=email, status=InvitationStatus.PENDING).delete()
    CalendarFeed.objects.filter(member=member).delete()
    Offer.objects.filter(member=member, need__closed_at__isnull=True).delete()
    Need.objects.filter(posted_by=member, closed_at__isnull=True).update(closed_at=now)
    Signup.objects.filter(member=member).delete()
    ImportedMember.objects.filter(member=member).delete()  # the consent and invitation dates
    member_messages_erase(member, email)  # sent or not, each holds the address (often the name)
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


# Importing a member list (docs/import.md): checked by members/member_import.py, written here.
IMPORT_BATCH = 2000


def members_import(*, plan: ImportPlan, actor: Member | None = None, source: str = "") -> int:
    """Create the members of a checked plan, all or none: one transaction, so a failure or a
    killed process midway leaves nothing. They have no usable password and are marked as
    awaiting the invitation to choose one (`import_invitations_send`). One audit entry for the
    import, with counts only (no names or addresses, which an erasure must be able to remove).
    How many members were created."""
    import secrets

    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from chapterhouse.audit.services import Action, audit_record
    from chapterhouse.chapters.models import ChapterMembership
    from chapterhouse.organizations.models import Organization

    if not plan.can_import:
        raise ValueError("the member list has errors; nothing was imported")
    today = Organization.objects.current().today
    now = timezone.now()
    with transaction.atomic():
        _places_ensure({row.geonameid for row in plan.rows})
        # As set_unusable_password() writes it, without its slower random string.
        _insert_rows(Member, ("email", "display_name", "place", "languages", "willing_to_meet",
                              "password"),
                     [(row.email, row.name, row.geonameid, list(row.languages),
                       row.willing_to_meet, UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30))
                      for row in plan.rows],
                     joined_on=today, created_at=now, email_confirmed=True)
        ids: dict[str, int] = {}
        emails = [row.email for row in plan.rows]
        for start in range(0, len(emails), 500):  # under SQLite's 999 parameters
            ids.update(Member.objects.filter(email__in=emails[start:start + 500])
                       .values_list("email", "pk"))
        member_ids = [ids[email] for email in emails]
        _insert_rows(ImportedMember, ("member", "consented_on"),
                     [(pk, row.consented_on) for pk, row in zip(member_ids, plan.rows,
                                                                strict=True)],
                     imported_at=now)
        memberships = [(row.chapter_id, pk) for pk, row in zip(member_ids, plan.rows,
                                                               strict=True) if row.chapter_id]
        _insert_rows(ChapterMembership, ("chapter", "member"), memberships,
                     joined_on=today, created_at=now)
        audit_record(actor=actor, action="import_members", kind=Action.CREATE, changes={
            "members": len(emails), "memberships": len(memberships),
            "skipped_existing": len(plan.skipped), "source": source})
    return len(emails)


def _insert_rows(model, varying: tuple[str, ...], rows: list[tuple], **same) -> None:
    """Insert rows as `bulk_create` would (each value prepared by its field, the defaults of
    the fields not given), without building a model instance per row or compiling the SQL
    again for every few dozen rows: one statement, run with executemany in batches. Several
    times faster for a member list. `varying` names the fields given per row (a foreign key
    by its field name, given the key), `same` the values shared by every row. No primary keys
    come back; model signals are not sent (as with bulk_create)."""
    from django.db import connections, router
    from django.db.models import AutoField

    connection = connections[router.db_for_write(model)]
    prototype = model(**same)
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and isinstance(f, AutoField))]
    by_name = {f.name: f for f in fields}
    given = [by_name[name] for name in varying]
    shared = [f for f in fields if f.name not in varying]
    shared_values = [f.get_db_prep_save(f.pre_save(prototype, True), connection) for f in shared]
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; every value is a parameter.
    columns = ", ".join(quote(f.column) for f in (*given, *shared))
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), IMPORT_BATCH):
            cursor.executemany(sql, [
                [*(f.get_db_prep_save(value, connection) for f, value in zip(given, row,
                                                                            strict=True)),
                 *shared_values]
                for row in rows[start:start + IMPORT_BATCH]])


def _places_ensure(geonameids: set[int]) -> None:
    """The stored places for these gazetteer cities, the missing ones created in one insert."""
    from chapterhouse.places import gazetteer

    stored = set(Place.objects.filter(pk__in=geonameids).values_list("pk", flat=True))
    missing = [gazetteer.city(pk) for pk in sorted(geonameids - stored)]
    Place.objects.bulk_create([
        Place(geonameid=c.geonameid, name=c.name, country_code=c.country_code,
              country_name=c.country_name, continent_code=c.continent_code,
              timezone=c.timezone, latitude=c.latitude, longitude=c.longitude,
              population=c.population) for c in missing], batch_size=IMPORT_BATCH,
        ignore_conflicts=True)


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
