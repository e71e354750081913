"""An affiliated chapter: created when the members agree to an organization's affiliation
(decisions/affiliation.py carries the vote out), and its people invited from the list the
organization gives (a CSV of name,email).

Nobody becomes a member, of the organization or of the chapter, without accepting: an address
without an account gets an email invitation (chapters' EmailInvitation: they sign up with it,
then accept), an existing member an invitation on the site (never a second account). The
list is checked whole before anything is written: a size or format problem refuses it all.
Sending counts against the chapter's daily limits, as any invitation does, and leaves through
the outbox after the commit.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapterhouse.audit.services import Action, audit_record
from chapterhouse.chapters.models import (
    Chapter,
    EmailInvitation,
    Invitation,
    InvitationStatus,
    Origin,
    token_hash,
)
from chapterhouse.chapters.services import INVITATION_DAYS, unique_slug
from chapterhouse.domain.csvfiles import CsvError, decode_lines, header_names, records
from chapterhouse.members.emails import EmailRefused, email_canonical
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Organizer, SympatheticOrganization
from chapterhouse.organizing.permissions import may_organize
from chapterhouse.outbox.services import message_queue

logger = logging.getLogger(__name__)

MAX_LIST_BYTES = 100_000
MAX_LIST_ROWS = 1000
MAX_NAME = 100
ERRORS_SHOWN = 10
DAY = datetime.timedelta(days=1)


def affiliated_chapter_create(*, organization: SympatheticOrganization, on: datetime.date,
                              organizer: Organizer | None = None) -> Chapter:
    """The affiliated chapter at the organization's place, founded `on`, with no members and
    no coordinators: its people join by accepting an invitation. Call it inside the
    transaction that records the members' agreement."""
    chapter = Chapter.objects.create(
        name=organization.name[:200], slug=unique_slug(organization.name),
        place=organization.place, origin=Origin.AFFILIATED,
        affiliated_from=organization.name[:200], founded_on=on, organizer=organizer,
        description=_("%(name)s, affiliated by the members' vote.")
        % {"name": organization.name})
    logger.info("affiliated chapter %s created from organization %s", chapter.pk,
                organization.pk)
    return chapter


# The imported list -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    line: int
    name: str
    email: str  # canonical


@dataclass(frozen=True, slots=True)
class ListInvited:
    """What an imported list did: invitations sent by email and on the site, and the rows
    left alone (already members, already invited or declined, repeated in the file)."""

    emailed: int
    on_site: int
    already: int
    repeated: int


def invite_list_read(data: bytes) -> tuple[list[Person], int]:
    """The people of a name,email list (any column order, a header row), and how many rows
    repeated an address already in it. ValidationError, naming the lines, if anything is
    wrong: nothing is then invited."""
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_LIST_BYTES:
        raise ValidationError(_("The file is larger than %(kb)d KB; split the list.")
                              % {"kb": MAX_LIST_BYTES // 1000})
    try:
        rows = list(records(decode_lines(data)))
        header = header_names(rows[0][1], rows[0][0]) if rows else []
    except CsvError as error:
        raise ValidationError(_("The file cannot be read as CSV (line %(line)s).")
                              % {"line": error.line or 1}) from None
    if sorted(header) != ["email", "name"]:
        raise ValidationError(_("The first line must name the two columns: name,email."))
    rows = [(line, cells) for line, cells in rows[1:] if any(c.strip() for c in cells)]
    if len(rows) > MAX_LIST_ROWS:
        raise ValidationError(_("The list has %(n)d rows; at most %(max)d at a time.")
                              % {"n": len(rows), "max": MAX_LIST_ROWS})
    name_at, email_at = header.index("name"), header.index("email")
    people: list[Person] = []
    seen: set[str] = set()
    repeated = 0
    problems: list[str] = []
    for line, cells in rows:
        if len(cells) != 2:
            problems.append(_("line %(line)d: two cells expected, name and email")
                            % {"line": line})
            continue
        name = " ".join(cells[name_at].split())
        try:
            email = email_canonical(cells[email_at])
        except EmailRefused:
            problems.append(_("line %(line)d: not a usable email address") % {"line": line})
            continue
        if len(name) > MAX_NAME:
            problems.append(_("line %(line)d: the name is longer than %(max)d characters")
                            % {"line": line, "max": MAX_NAME})
            continue
        if email in seen:
            repeated += 1
            continue
        seen.add(email)
        people.append(Person(line, name, email))
    if problems:
        shown = "; ".join(problems[:ERRORS_SHOWN])
        more = len(problems) - ERRORS_SHOWN
        raise ValidationError(
            _("Nothing was sent. Correct the list and send it again: %(problems)s")
            % {"problems": shown + (f"; … (+{more})" if more > 0 else "")})
    if not people:
        raise ValidationError(_("The list names nobody."))
    return people, repeated


def affiliation_list_invite(ctx: Context, *, chapter: Chapter, data: bytes) -> ListInvited:
    """Invite the people of the organization's list to its affiliated chapter: staff,
    organizers and the chapter's coordinators. Everything or nothing: a list that does not
    fit today's limits is refused whole. Sending the same list again sends nothing twice."""
    actor = ctx.actor
    if not (may_organize(actor) or actor.coordinates(chapter)):
        raise ValidationError(_("Only staff, organizers and the chapter's coordinators can "
                                "invite an organization's list."))
    if chapter.origin != Origin.AFFILIATED:
        raise ValidationError(_("Only an affiliated chapter invites an organization's list."))
    people, repeated = invite_list_read(data)
    by, on = actor.member, ctx.today()
    with transaction.atomic():
        # Locks the chapter: two uploads at once are counted one after the other.
        Chapter.objects.filter(pk=chapter.pk).update(radius_km=F("radius_km"))
        emails = [p.email for p in people]
        accounts = {m.email: m for m in Member.objects.filter(email__in=emails)}
        in_chapter = set(chapter.memberships.current(on).filter(member__in=accounts.values())
                         .values_list("member_id", flat=True))
        site_taken = set(chapter.invitations.filter(
            Q(status=InvitationStatus.DECLINED)
            | Q(status=InvitationStatus.PENDING, expires_on__gte=on))
            .values_list("member_id", flat=True))
        email_taken = set(chapter.email_invitations.filter(email__in=emails).filter(
            Q(status__in=[InvitationStatus.DECLINED, InvitationStatus.ACCEPTED])
            | Q(status=InvitationStatus.PENDING, expires_on__gte=on))
            .values_list("email", flat=True))
        to_members: list[tuple[Person, Member]] = []
        to_emails: list[Person] = []
        for person in people:
            member = accounts.get(person.email)
            if member is not None:
                if member.is_active and member.pk not in in_chapter | site_taken:
                    to_members.append((person, member))
            elif person.email not in email_taken:
                to_emails.append(person)
        already = len(people) - len(to_members) - len(to_emails)
        _refuse_over_limits(chapter, site=len(to_members), email=len(to_emails))
        _send(ctx, chapter, by, on, to_members, to_emails)
        audit_record(actor=by, action="affiliation_list_invite", target=chapter,
                     kind=Action.CREATE,
                     changes={"emailed": len(to_emails), "on_site": len(to_members),
                              "already": already, "repeated": repeated},
                     about=[m for _p, m in to_members])
    logger.info("affiliated chapter %s invited a list: %d by email, %d on the site, %d left",
                chapter.pk, len(to_emails), len(to_members), already)
    return ListInvited(len(to_emails), len(to_members), already, repeated)


def _refuse_over_limits(chapter: Chapter, *, site: int, email: int) -> None:
    since = timezone.now() - DAY
    email_left = max(0, settings.CHAPTER_EMAIL_INVITATIONS_PER_DAY
                     - chapter.email_invitations.filter(created_at__gt=since).count())
    site_left = max(0, settings.CHAPTER_INVITATIONS_PER_DAY
                    - chapter.invitations.filter(created_at__gt=since).count())
    if email > email_left:
        raise ValidationError(ngettext(
            "This list needs %(n)d email invitation; the chapter may send %(left)d more "
            "today. Nothing was sent: send part of the list now and the rest tomorrow.",
            "This list needs %(n)d email invitations; the chapter may send %(left)d more "
            "today. Nothing was sent: send part of the list now and the rest tomorrow.",
            email) % {"n": email, "left": email_left})
    if site > site_left:
        raise ValidationError(ngettext(
            "This list needs %(n)d invitation on the site; the chapter may send %(left)d "
            "more today. Nothing was sent: send part of the list now and the rest tomorrow.",
            "This list needs %(n)d invitations on the site; the chapter may send %(left)d "
            "more today. Nothing was sent: send part of the list now and the rest tomorrow.",
            site) % {"n": site, "left": site_left})


def _send(ctx: Context, chapter: Chapter, by: Member | None, on: datetime.date,
          to_members: list[tuple[Person, Member]], to_emails: list[Person]) -> None:
    """Write the invitations and queue their emails (sent after the commit)."""
    organization = ctx.organization.name
    expires = on + datetime.timedelta(days=INVITATION_DAYS)
    renewed = chapter.invitations.filter(member__in=[m for _p, m in to_members],
                                         status=InvitationStatus.PENDING)
    renewed.delete()  # expired, never answered: replaced by the new one
    for _person, member in to_members:
        invitation = Invitation.objects.create(chapter=chapter, member=member, invited_by=by,
                                               expires_on=expires)
        member_mail(member, partial(_member_mail, invitation, organization),
                    kind="affiliation_invitation")
    email_expires = on + datetime.timedelta(days=settings.EMAIL_INVITATION_DAYS)
    chapter.email_invitations.filter(email__in=[p.email for p in to_emails],
                                     status=InvitationStatus.PENDING).delete()  # expired
    for person in to_emails:
        token = secrets.token_urlsafe(32)
        sent = EmailInvitation.objects.create(
            chapter=chapter, email=person.email, token_hash=token_hash(token), invited_by=by,
            expires_on=email_expires)
        _address_mail(ctx, sent, token, person.name)


def _member_mail(invitation: Invitation, organization: str) -> tuple[str, str]:
    names = {"name": invitation.member.display_name, "chapter": invitation.chapter.name,
             "org": organization, "path": site_link("invitations"),
             "date": invitation.expires_on.isoformat()}
    return (
        _("%(chapter)s is now a chapter of %(org)s: join it?") % names,
        _("Hello %(name)s,\n\n%(chapter)s became a chapter of %(org)s by the members' vote, "
          "and its list names you. You join the chapter only if you accept, on the site: "
          "%(path)s\n\nThe invitation is open until %(date)s. If you do not want to join, "
          "ignore it: nothing happens.") % names,
    )


def _address_mail(ctx: Context, invitation: EmailInvitation, token: str, name: str) -> None:
    """The same email whether or not the person ever signs up: how to join, and that nothing
    happens without accepting."""
    names = {"greeting": _("Hello %(name)s") % {"name": name} if name else _("Hello"),
             "chapter": invitation.chapter.name,
             "org": ctx.organization.name, "link": site_link("email_invitation", token),
             "signup": site_link("member_signup"), "date": invitation.expires_on.isoformat()}
    message_queue(
        to=invitation.email, kind="affiliation_invitation",
        subject=_("%(chapter)s is now a chapter of %(org)s: join it?") % names,
        body=_("%(greeting)s,\n\n%(chapter)s became a chapter of %(org)s by the members' vote, "
               "and its list names you. You become a member only if you accept:\n\n"
               "%(link)s\n\nFirst sign up with this email address (%(signup)s), then open the "
               "link again. The invitation is open until %(date)s.\n\nIf you do not want to "
               "join, ignore this email: no account is made and nothing happens.") % names)
