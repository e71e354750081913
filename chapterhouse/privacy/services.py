"""The writes about a member that reach across the feature apps: erasing an account, the
scheduled purge of what is kept no longer than needed, and importing a member list (members and
their chapter memberships).

They live here, above chapters, meetings, decisions, coordination, helpboard and resources,
because each of them touches rows of all those apps; the members app below them keeps only
what is about the account itself (docs/data-rights.md, docs/import.md).

The purge (`chapterhouse purge_stale`, daily from the scheduler). Every age is a setting
(PURGE_*_AFTER_DAYS):
- Accounts never confirmed, PURGE_UNCONFIRMED_AFTER_DAYS after they were created (they could
  never log in). One with any history (attendance, a poll) is erased instead, so no past
  figure changes.
- Invitations (on-site and by email) and join requests, PURGE_ANSWERED_AFTER_DAYS after they
  were answered or expired. An on-site invitation has no answer time; it could only be
  answered before it expired, so it goes that long after its expiry.
- django-axes' login records (attempts, failures, logins), PURGE_LOGIN_FAILURES_AFTER_DAYS
  after they happened.
- Email digests sent, and digest lines that never left, PURGE_DIGESTS_AFTER_DAYS after they
  were written.
Running it twice, or twice at once, is safe: each account is re-checked under a row lock before
it goes, and the rest are plain conditional deletes.

Clocks: the organization's (`ctx.today()`, `ctx.now()`) for what the organization's calendar
decides (a membership ends today, an RSVP is to a future meeting, an invitation expired, the
day an imported member joined); the real time for when rows were written (accounts created,
requests answered, login records, the erasure itself).
"""

from __future__ import annotations

import datetime
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from auditlog.context import disable_auditlog
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db import connections, models, router, transaction
from django.db.models import AutoField, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from chapterhouse.audit.services import Action, audit_member_forget, audit_record
from chapterhouse.chapters.models import (
    Chapter,
    ChapterMembership,
    CoordinatorOffer,
    EmailInvitation,
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    OfferStatus,
)
from chapterhouse.convention.services import candidacies_erase
from chapterhouse.coordination.models import Signup
from chapterhouse.followups.models import Conversation, WelcomeReminder
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.inbox.services import conversations_erase
from chapterhouse.meetings.models import CalendarFeed, Rsvp
from chapterhouse.members.member_import import ImportPlan
from chapterhouse.members.models import ImportedMember, Member
from chapterhouse.notices.services import digests_purge, member_notices_erase
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Organizer
from chapterhouse.outbox.services import member_messages_erase
from chapterhouse.places import gazetteer
from chapterhouse.places.models import Place
from chapterhouse.privacy.data_export import member_data_zip
from chapterhouse.splits.models import SplitAnswer

logger = logging.getLogger(__name__)


# Erasure ----------------------------------------------------------------------------------

def member_erase(ctx: Context, *, member: Member,
                 now: datetime.datetime | None = None) -> Member:
    """Erase a member's account (their own "Delete my account", staff in the admin, or the
    purge acting as the system).

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

    `now` is when the erasure is recorded (the real time unless given).
    """
    actor = ctx.actor
    if not (actor.user is None or actor.is_staff
            or (actor.member is not None and actor.member.pk == member.pk)):
        raise PermissionDenied
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
        audit_record(actor=actor.member, action="erasure", target=member, changes={
            "chapters_left": sorted(m.chapter.name for m in member.chapter_memberships.filter(
                left_on__isnull=True).select_related("chapter")),
            "coordinator_of": sorted(c.name for c in coordinated),
            "staff": (member.is_staff, False)})
        # Entries stay (who changed what stays answerable); the name and email leave them.
        audit_member_forget(member=member, former_name=former_name,
                            placeholder=gettext("former member"), chapters=coordinated)
        with disable_auditlog():
            _erase_rows(member, email=email, coordinated=coordinated, today=ctx.today(),
                        upcoming_after=ctx.now(), now=now)
    logger.info("member %s erased (by %s)", member.pk,
                f"member {actor.member.pk}" if actor.member is not None else "the system")
    return member


def _erase_rows(member: Member, *, email: str, coordinated: list[Chapter],
                today: datetime.date, upcoming_after: datetime.datetime,
                now: datetime.datetime) -> None:
    Rsvp.objects.filter(member=member, meeting__starts_at__gt=upcoming_after).delete()
    Invitation.objects.filter(member=member, status=InvitationStatus.PENDING).delete()
    JoinRequest.objects.filter(member=member, status=JoinRequestStatus.PENDING).delete()
    # Offers to coordinate: those waiting for them go; those they made lapse.
    CoordinatorOffer.objects.filter(member=member, status=OfferStatus.PENDING).delete()
    CoordinatorOffer.objects.filter(offered_by=member, status=OfferStatus.PENDING).update(
        status=OfferStatus.WITHDRAWN, answered_at=now)
    EmailInvitation.objects.filter(email=email, status=InvitationStatus.PENDING).delete()
    CalendarFeed.objects.filter(member=member).delete()
    Offer.objects.filter(member=member, need__closed_at__isnull=True).delete()
    Need.objects.filter(posted_by=member, closed_at__isnull=True).update(closed_at=now)
    Signup.objects.filter(member=member).delete()
    ImportedMember.objects.filter(member=member).delete()  # the consent and invitation dates
    conversations_erase(member)  # before the outbox: it removes the emails quoting them
    candidacies_erase(member)  # their name in delegate elections' options and counts
    # Conversations logged with them (notes about them) go; those they logged with others
    # stay, as by a "former member" (followups/models.py).
    Conversation.objects.filter(member=member).delete()
    WelcomeReminder.objects.filter(member=member).delete()
    # A split's question still open: they are never placed in a part (docs/splits.md).
    SplitAnswer.objects.filter(member=member, settled_at__isnull=True).delete()
    member_messages_erase(member, email)  # sent or not, each holds the address (often the name)
    member_notices_erase(member)  # email preferences, digests and what waits for one
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
    member.email_visible_to_organizers = False
    member.set_unusable_password()  # also ends every session (their hash changes)
    member.is_active = member.is_staff = member.is_superuser = False
    member.email_confirmed = False
    member.last_login = None
    member.erased_at = now
    member.save()


# "Download my data" ---------------------------------------------------------------------------

def member_data_export(ctx: Context) -> bytes:
    """The acting member's own data as a zip (privacy/data_export.py), recorded in the audit
    log. PermissionDenied for a visitor or the system: the export is only ever one's own."""
    member = ctx.actor.member
    if member is None:
        raise PermissionDenied
    body = member_data_zip(member)
    audit_record(actor=member, action="data_download", target=member)
    logger.info("member %s downloaded their data", member.pk)
    return body


# The scheduled purge ------------------------------------------------------------------------

@dataclass(frozen=True)
class Purged:
    accounts_deleted: int
    accounts_erased: int
    invitations: int
    join_requests: int
    login_records: int
    digest_rows: int = 0


def _unconfirmed_before(cutoff: datetime.datetime) -> QuerySet[Member]:
    unconfirmed: QuerySet[Member] = Member.objects.filter(
        email_confirmed=False, erased_at__isnull=True, is_staff=False, last_login__isnull=True,
        created_at__lt=cutoff)
    return unconfirmed


def stale_purge(ctx: Context, *, now: datetime.datetime | None = None) -> Purged:
    """Remove what is kept no longer than needed (the module's docstring). `now` is the real
    time unless given; expiry dates are compared with the organization's today."""
    now = now or timezone.now()
    today = ctx.today()
    unconfirmed = now - datetime.timedelta(days=settings.PURGE_UNCONFIRMED_AFTER_DAYS)
    answered = datetime.timedelta(days=settings.PURGE_ANSWERED_AFTER_DAYS)
    deleted = erased = 0
    for pk in list(_unconfirmed_before(unconfirmed).order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            member = _unconfirmed_before(unconfirmed).select_for_update().filter(pk=pk).first()
            if member is None:  # confirmed, or purged by another run, meanwhile
                continue
            if member.attendances.exists() or member.poll_participations.exists():
                member_erase(ctx, member=member, now=now)
                erased += 1
            else:
                member.delete()
                deleted += 1
    invitations = Invitation.objects.filter(expires_on__lt=today - answered).delete()[0]
    invitations += EmailInvitation.objects.filter(
        Q(answered_at__lt=now - answered) & ~Q(status=InvitationStatus.PENDING)
        | Q(expires_on__lt=today - answered)).delete()[0]
    join_requests = JoinRequest.objects.filter(
        ~Q(status=JoinRequestStatus.PENDING), answered_at__lt=now - answered).delete()[0]
    login_cutoff = now - datetime.timedelta(days=settings.PURGE_LOGIN_FAILURES_AFTER_DAYS)
    login_records = sum(model.objects.filter(attempt_time__lt=login_cutoff).delete()[0]
                        for model in (AccessAttempt, AccessFailureLog, AccessLog))
    digest_rows = digests_purge(
        before=now - datetime.timedelta(days=settings.PURGE_DIGESTS_AFTER_DAYS))
    purged = Purged(deleted, erased, invitations, join_requests, login_records, digest_rows)
    logger.info("stale purge: %d account(s) deleted, %d erased, %d invitation(s), "
                "%d join request(s), %d login record(s), %d digest row(s) removed",
                purged.accounts_deleted, purged.accounts_erased, purged.invitations,
                purged.join_requests, purged.login_records, purged.digest_rows)
    return purged


# Importing a member list (docs/import.md): checked by members/member_import.py, written here.
IMPORT_BATCH = 2000


def members_import(ctx: Context, *, plan: ImportPlan, source: str = "") -> int:
    """Create the members of a checked plan, all or none: one transaction, so a failure or a
    killed process midway leaves nothing. They join on the organization's today, have no
    usable password and are marked as awaiting the invitation to choose one
    (`members.services.import_invitations_send`). One audit entry for the import, with counts
    only (no names or addresses, which an erasure must be able to remove). Staff or the system
    (a command) only. How many members were created."""
    if not (ctx.actor.user is None or ctx.actor.is_staff):
        raise PermissionDenied
    if not plan.can_import:
        raise ValueError("the member list has errors; nothing was imported")
    today = ctx.today()
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
        audit_record(actor=ctx.actor.member, action="import_members", kind=Action.CREATE,
                     changes={"members": len(emails), "memberships": len(memberships),
                              "skipped_existing": len(plan.skipped), "source": source})
    logger.info("member import: %d member(s) created, %d chapter membership(s), "
                "%d skipped (already members)", len(emails), len(memberships), len(plan.skipped))
    return len(emails)


def _insert_rows(model: type[models.Model], varying: tuple[str, ...],
                 rows: Sequence[Sequence[Any]], **same: Any) -> None:
    """Insert rows as `bulk_create` would (each value prepared by its field, the defaults of
    the fields not given), without building a model instance per row or compiling the SQL
    again for every few dozen rows: one statement, run with executemany in batches. Several
    times faster for a member list. `varying` names the fields given per row (a foreign key
    by its field name, given the key), `same` the values shared by every row. No primary keys
    come back; model signals are not sent (as with bulk_create)."""
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
    columns = ", ".join(quote(cast(str, f.column))  # a concrete field has its column
                        for f in (*given, *shared))
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
    stored = set(Place.objects.filter(pk__in=geonameids).values_list("pk", flat=True))
    missing = [gazetteer.city(pk) for pk in sorted(geonameids - stored)]
    Place.objects.bulk_create([
        Place(geonameid=c.geonameid, name=c.name, country_code=c.country_code,
              country_name=c.country_name, continent_code=c.continent_code,
              timezone=c.timezone, latitude=c.latitude, longitude=c.longitude,
              population=c.population) for c in missing], batch_size=IMPORT_BATCH,
        ignore_conflicts=True)
