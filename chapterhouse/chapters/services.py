"""Writes about chapters: a member asks to join (a coordinator answers), starts a chapter near
home and invites the members without a chapter around them; the planner founds one from a group;
invitations on the site and by email are answered; the local vision is edited.

Every service takes the context first (organizations/context.py): the actor is who acts and
their permission is checked here, and every date is the organization's (its clock). The daily
limits on invitations count real time: they are rate limits, not the organization's calendar.
Email is queued with the transaction (members.mail, the outbox) and sent after it commits.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chapterhouse.audit.services import Action, audit_bulk_created, audit_record
from chapterhouse.chapters.contact import contact_offer_on_join
from chapterhouse.chapters.models import (
    Chapter,
    ChapterMembership,
    EmailInvitation,
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Origin,
    VisionRevision,
    token_hash,
)
from chapterhouse.chapters.selectors import (
    chapters_covering,
    members_unaffiliated,
    unaffiliated_near,
)
from chapterhouse.domain.distance import great_circle_km
from chapterhouse.domain.roles import Capability
from chapterhouse.members.emails import normalize_email
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Organizer
from chapterhouse.outbox.services import message_queue

logger = logging.getLogger(__name__)

VISION_MAX = 20000
INVITATION_DAYS = 30
DEFAULT_RADIUS_KM = 25.0  # a chapter's default area (Chapter.radius_km)
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Invited:
    """How many were invited, and how many nearby members the daily limit left for later."""

    count: int
    waiting: int = 0


def _member(ctx: Context) -> Member:
    """The acting member; services that act for someone refuse a visitor or the system."""
    member: Member | None = ctx.actor.member
    if member is None:
        raise PermissionDenied
    return member


# Joining ---------------------------------------------------------------------------------------

def join_request_create(ctx: Context, *, chapter: Chapter) -> JoinRequest:
    """The actor asks to join; the chapter's coordinators are emailed once this commits."""
    member, on = _member(ctx), ctx.today()
    if chapter.is_member(member, on):
        raise ValidationError(_("You are already a member of %(chapter)s.")
                              % {"chapter": chapter.name})
    if chapter.join_requests.filter(member=member, status=JoinRequestStatus.PENDING).exists():
        raise ValidationError(_("You have already asked to join %(chapter)s; a coordinator "
                                "will answer.") % {"chapter": chapter.name})
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(chapter=chapter, member=member)
            coordinators = list(chapter.coordinators.filter(is_active=True))
            _tell_coordinators(join_request, coordinators)
    except IntegrityError:  # a double click: the first request stands
        raise ValidationError(_("You have already asked to join %(chapter)s; a coordinator "
                                "will answer.") % {"chapter": chapter.name}) from None
    logger.info("join request %s to chapter %s", join_request.pk, chapter.pk)
    return join_request


def join_request_answer(ctx: Context, *, join_request: JoinRequest, accept: bool) -> JoinRequest:
    """A coordinator accepts (the member joins today) or declines; the member is emailed
    either way."""
    chapter = join_request.chapter
    if not ctx.actor.may(Capability.CHAPTER_COORDINATE, chapter):
        raise ValidationError(_("Only the chapter's coordinators can answer join requests."))
    by, on = _member(ctx), ctx.today()
    if join_request.status != JoinRequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    with transaction.atomic():
        # Checked again under the row's lock: of two coordinators answering at once, the
        # second is told it was answered (and cannot turn an acceptance into a refusal).
        if not JoinRequest.objects.select_for_update().filter(
                pk=join_request.pk, status=JoinRequestStatus.PENDING).exists():
            raise ValidationError(_("This request has already been answered."))
        join_request.status = (JoinRequestStatus.ACCEPTED if accept
                               else JoinRequestStatus.DECLINED)
        join_request.answered_by = by
        join_request.answered_at = timezone.now()  # when it was written, not the org's date
        join_request.save(update_fields=["status", "answered_by", "answered_at"])
        if accept and not chapter.is_member(join_request.member, on):
            ChapterMembership.objects.create(chapter=chapter, member=join_request.member,
                                             joined_on=on)
        _tell_member(join_request)
    logger.info("join request %s %s by member %s", join_request.pk, join_request.status, by.pk)
    return join_request


# Starting and founding -------------------------------------------------------------------------

def chapter_start(ctx: Context, *, name: str, description: str, radius_km: int,
                  invite: bool, despite_covering: bool = False) -> tuple[Chapter, Invited]:
    """A forming chapter at the actor's city, which they coordinate and belong to; with
    `invite`, members without a chapter within the radius get an invitation (by email and on
    the site; no one sees who else was invited), up to the daily limit. The founder becomes
    the coordinator of this chapter and gains no other role.

    No rival chapters by accident (issue 13): when the city lies inside an existing chapter's
    area, starting is refused (code "inside_area") unless `despite_covering` says the member
    saw the warning (and the offers to join it or propose a split) and goes ahead; then that
    chapter's coordinators are told by email."""
    if not ctx.actor.may(Capability.CHAPTER_START):
        raise ValidationError(_("Log in to start a chapter."))
    founder, on = _member(ctx), ctx.today()
    place = founder.place
    if place is None:
        raise ValidationError(_("Choose your city in your profile first."))
    current = founder.chapter_memberships.current(on).select_related("chapter").first()
    if current is not None:
        raise ValidationError(_("You are already a member of %(chapter)s. To start a "
                                "neighbourhood chapter, talk to its coordinators about a split.")
                              % {"chapter": current.chapter.name})
    name = name.strip() or place.name
    covering = chapters_covering(place.latitude, place.longitude)
    if covering and not despite_covering:
        raise ValidationError(
            _("%(place)s lies inside the area of %(chapter)s (%(km)d km from its home, within "
              "its %(radius)d km). Ask to join it or propose a split instead, or confirm that "
              "you want to start another chapter there.")
            % {"place": place.name, "chapter": covering[0].chapter.name,
               "km": round(covering[0].distance_km), "radius": covering[0].chapter.radius_km},
            code="inside_area")
    with transaction.atomic():
        chapter = Chapter.objects.create(
            name=name, slug=unique_slug(name), place=place, radius_km=radius_km,
            origin=Origin.FOUNDED, founded_on=on, description=description.strip(),
        )
        chapter.coordinators.add(founder)
        ChapterMembership.objects.create(chapter=chapter, member=founder, joined_on=on)
        invited = _invite_nearby(ctx, chapter=chapter, by=founder) if invite else Invited(0)
        for near in covering:
            _tell_covering_coordinators(near.chapter, chapter, near.distance_km)
    logger.info("chapter %s started by member %s, %d invited, %d waiting", chapter.pk,
                founder.pk, invited.count, invited.waiting)
    return chapter, invited


def chapter_found(ctx: Context, *, members: list[Member], min_size: int,
                  organizer: Organizer | None = None, name: str | None = None,
                  radius_km: float = DEFAULT_RADIUS_KM) -> Chapter:
    """A forming chapter at the most common city of these members, who are invited to it,
    carried by `organizer` (Chapter.organizer; by default the actor's own, if they are an
    active organizer), who runs it until members take on the coordinator role. The actor gains
    no role by it: nobody becomes its coordinator. The planner's "Start it": for organizers and
    staff.

    Only members still without a chapter, with a confirmed email, willing to meet and living
    near that city are invited (a plan's group lies within `radius_km` of a meeting point, so
    within twice that of each other); if fewer than `min_size` remain, or more than a chapter
    may invite in a day, nothing is created."""
    if not ctx.actor.may(Capability.PLANNER_START):
        raise ValidationError(_("Only organizers and staff can start a chapter from the plan."))
    by, on = _member(ctx), ctx.today()
    if organizer is None:
        organizer = Organizer.objects.filter(member=by, active=True).first()
    if organizer is None or not organizer.active:
        raise ValidationError(_("Choose the active organizer who will carry this chapter."))
    free = list(members_unaffiliated(Member.objects.filter(pk__in=[m.pk for m in members])
                                     .active(), on)
                .filter(email_confirmed=True, willing_to_meet=True, place__isnull=False)
                .select_related("place").order_by("pk"))
    home = None
    if free:
        home = Counter(m.place for m in free if m.place).most_common(1)[0][0]
        free = [m for m in free if m.place and great_circle_km(
            home.latitude, home.longitude, m.place.latitude, m.place.longitude) <= 2 * radius_km]
    if home is None or len(free) < min_size:
        raise ValidationError(
            _("Only %(free)d of these %(all)d members can still be invited (without a "
              "chapter, willing to meet, living nearby); a chapter needs %(min)d. Run the "
              "planner again.")
            % {"free": len(free), "all": len(members), "min": min_size}
        )
    with transaction.atomic():
        chapter = Chapter.objects.create(
            name=name or home.name, slug=unique_slug(name or home.name), place=home,
            origin=Origin.FOUNDED, founded_on=on, organizer=organizer,
            description=_("A forming chapter proposed by the growth planner."),
        )
        if len(free) > invitations_left(chapter):
            raise ValidationError(
                _("This group has %(n)d members, more than the %(limit)d invitations a chapter "
                  "may send in a day. Nothing was created; run the planner with a smaller "
                  "radius.") % {"n": len(free), "limit": settings.CHAPTER_INVITATIONS_PER_DAY})
        expires = on + datetime.timedelta(days=INVITATION_DAYS)
        invitations = Invitation.objects.bulk_create(
            Invitation(chapter=chapter, member=m, invited_by=by, expires_on=expires)
            for m in free
        )
        audit_bulk_created(invitations)
        invitations_send(ctx, invitations)  # queued with the invitations, sent after commit
    logger.info("chapter %s founded from the plan by member %s, %d invited", chapter.pk, by.pk,
                len(invitations))
    return chapter


def unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "chapter"
    slug, n = base, 1
    while Chapter.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# Invitations on the site -----------------------------------------------------------------------

def chapter_invite_nearby(ctx: Context, *, chapter: Chapter) -> Invited:
    """Invite the members without a chapter in the chapter's area who are willing to meet and
    have no open invitation to it and have not declined one, nearest first, up to the
    chapter's daily limit. An invitation that expired unanswered is renewed (it was never
    declined) and counts as sent again. With the limit already reached nothing is sent."""
    if not ctx.actor.may(Capability.CHAPTER_INVITE, chapter):
        raise ValidationError(_("Only the chapter's coordinators can invite members."))
    by = _member(ctx)
    with transaction.atomic():
        invited = _invite_nearby(ctx, chapter=chapter, by=by)
    logger.info("chapter %s invited %d nearby members, %d waiting, by member %s", chapter.pk,
                invited.count, invited.waiting, by.pk)
    return invited


def _invite_nearby(ctx: Context, *, chapter: Chapter, by: Member) -> Invited:
    """chapter_invite_nearby's work, inside the caller's transaction (chapter_start invites
    from the chapter it has just created)."""
    on, now = ctx.today(), timezone.now()
    expires = on + datetime.timedelta(days=INVITATION_DAYS)
    left = invitations_left(chapter)  # locks the chapter: counted one at a time
    nearby = unaffiliated_near(chapter.place, radius_km=chapter.radius_km, on=on, exclude=by)
    answered_or_open = set(
        chapter.invitations.filter(Q(status=InvitationStatus.DECLINED)
                                   | Q(status=InvitationStatus.PENDING, expires_on__gte=on))
        .values_list("member_id", flat=True))
    fresh = [pk for pk in nearby if pk not in answered_or_open]
    if not fresh:
        return Invited(0)
    if left == 0:
        raise limit_reached_error()
    batch = fresh[:left]
    expired = chapter.invitations.filter(member_id__in=batch, status=InvitationStatus.PENDING)
    renewed = dict(expired.values_list("member_id", "pk"))  # member -> invitation
    expired.update(expires_on=expires, invited_by=by, created_at=now)
    invitations = Invitation.objects.bulk_create(
        Invitation(chapter=chapter, member_id=pk, invited_by=by, expires_on=expires)
        for pk in batch if pk not in renewed
    )
    audit_bulk_created(Invitation.objects.filter(pk__in=[i.pk for i in invitations])
                       .select_related("member", "chapter"))
    if renewed:
        audit_record(actor=by, action="invitations_renewed", target=chapter, kind=Action.UPDATE,
                     changes={"invitations": sorted(renewed.values())}, about=renewed)
    ids = [i.pk for i in invitations] + list(renewed.values())
    invitations_send(
        ctx, list(Invitation.objects.filter(pk__in=ids).select_related("member", "chapter__place")))
    return Invited(len(batch), len(fresh) - len(batch))


def invitations_left(chapter: Chapter) -> int:
    """How many invitations the chapter may still send in the last 24 hours (a renewed
    invitation counts again: it is sent again). Call it inside the transaction that creates
    them: it locks the chapter's row, so twenty requests at once are counted one after
    another and together never pass the limit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invitations_left() counts inside the sending transaction.")
    _lock(chapter)
    sent = chapter.invitations.filter(created_at__gt=timezone.now() - DAY).count()
    return max(0, settings.CHAPTER_INVITATIONS_PER_DAY - sent)


def _lock(chapter: Chapter) -> None:
    # A no-op UPDATE rather than SELECT ... FOR UPDATE: PostgreSQL locks the row and SQLite
    # takes its write lock here, before the count, on both.
    Chapter.objects.filter(pk=chapter.pk).update(radius_km=F("radius_km"))


def limit_reached_error() -> ValidationError:
    return ValidationError(
        _("This chapter has sent its %(limit)d invitations for today. Nothing was sent; try "
          "again tomorrow.") % {"limit": settings.CHAPTER_INVITATIONS_PER_DAY},
        code="invitation_limit")


def invitations_send(ctx: Context, invitations: list[Invitation]) -> None:
    """One email per invitee, in their language, listing no one else."""
    organization = ctx.organization.name
    link = site_link("invitations")
    for invitation in invitations:
        member_mail(invitation.member, partial(_invitation_mail, invitation, organization, link),
                    kind="chapter_invitation")


def invitation_answer(ctx: Context, *, invitation: Invitation, accept: bool) -> Invitation:
    """The invitee accepts (joins the chapter today) or declines; an expired or answered
    invitation is refused."""
    member, on = _member(ctx), ctx.today()
    if invitation.member_id != member.pk:
        raise PermissionDenied
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    if invitation.expires_on < on:
        raise ValidationError(_("This invitation expired on %(date)s. Ask the chapter for a new "
                                "one.") % {"date": invitation.expires_on.isoformat()})
    with transaction.atomic():
        # Checked again under the row's lock (answered a moment ago in another tab: refused).
        if not Invitation.objects.select_for_update().filter(
                pk=invitation.pk, status=InvitationStatus.PENDING).exists():
            raise ValidationError(_("This invitation has already been answered."))
        invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        invitation.save(update_fields=["status"])
        if accept and not invitation.chapter.is_member(member, on):
            ChapterMembership.objects.create(chapter=invitation.chapter, member=member,
                                             joined_on=on)
            contact_offer_on_join(invitation.chapter, member, invitation.invited_by)
    logger.info("invitation %s %s", invitation.pk, invitation.status)
    return invitation


# Invitations by email --------------------------------------------------------------------------
# A coordinator invites a newcomer by address; they join only by accepting. The coordinator
# learns nothing about the address: sending never looks up an account, so the screen, its
# message and its timing are the same whether or not someone has signed up with it. The person
# opens the emailed link, logs in (or signs up, then opens it again) with that address, and
# accepts or declines. A membership made this way starts when it is accepted.

def email_invitation_send(ctx: Context, *, chapter: Chapter, email: str) -> None:
    """Email an invitation to join `chapter` to this address, unless one is already waiting
    there or was declined (a "no" is respected). Returns nothing on purpose: whatever happens,
    the coordinator is told the same thing."""
    if not ctx.actor.may(Capability.CHAPTER_COORDINATE, chapter):
        raise ValidationError(_("Only the chapter's coordinators can invite members."))
    by, on = _member(ctx), ctx.today()
    address = normalize_email(email or "")
    if not address:
        raise ValidationError(_("Enter an email address."))
    limit = settings.CHAPTER_EMAIL_INVITATIONS_PER_DAY
    if transaction.get_connection().in_atomic_block:
        # Lock the chapter's row before counting (as invitations_left does), so requests at
        # once are counted one after another and together never pass the limit.
        _lock(chapter)
    if chapter.email_invitations.filter(created_at__gt=timezone.now() - DAY).count() >= limit:
        logger.info("email invitation refused: chapter %s reached its daily limit", chapter.pk)
        raise ValidationError(_("%(chapter)s has sent %(limit)d email invitations in the last "
                                "day; send more tomorrow.")
                              % {"chapter": chapter.name, "limit": limit})
    waiting_or_declined = chapter.email_invitations.filter(email=address).filter(
        Q(status=InvitationStatus.DECLINED)
        | Q(status=InvitationStatus.PENDING, expires_on__gte=on))
    if waiting_or_declined.exists():
        return
    token = secrets.token_urlsafe(32)
    expires = on + datetime.timedelta(days=settings.EMAIL_INVITATION_DAYS)
    try:
        with transaction.atomic():
            # An expired, unanswered one is replaced by the new one.
            chapter.email_invitations.filter(email=address,
                                             status=InvitationStatus.PENDING).delete()
            invitation = EmailInvitation.objects.create(
                chapter=chapter, email=address, token_hash=token_hash(token), invited_by=by,
                expires_on=expires)
            _send_email_invitation(ctx, invitation, token)  # queued, sent after commit
    except IntegrityError:  # the same address invited a moment ago by another coordinator
        return
    logger.info("email invitation %s from chapter %s", invitation.pk, chapter.pk)


def email_invitation_answer(ctx: Context, *, invitation: EmailInvitation,
                            accept: bool) -> EmailInvitation:
    """The actor accepts (joins the chapter today, recorded now) or declines. Only the account
    with the invited address may answer: a forwarded link enrols nobody else."""
    member, on = _member(ctx), ctx.today()
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    if invitation.expires_on < on:
        raise ValidationError(_("This invitation expired on %(date)s. Ask the chapter for a new "
                                "one.") % {"date": invitation.expires_on.isoformat()})
    if normalize_email(member.email) != invitation.email:
        raise ValidationError(_("This invitation was sent to another email address. Log in "
                                "with the account of that address to answer it."))
    status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    with transaction.atomic():
        updated = EmailInvitation.objects.filter(
            pk=invitation.pk, status=InvitationStatus.PENDING).update(
            status=status, answered_at=timezone.now(), answered_by=member)
        if not updated:  # answered a moment ago in another tab
            raise ValidationError(_("This invitation has already been answered."))
        if accept and not invitation.chapter.is_member(member, on):
            ChapterMembership.objects.create(chapter=invitation.chapter, member=member,
                                             joined_on=on)
            contact_offer_on_join(invitation.chapter, member, invitation.invited_by)
    invitation.status = status
    logger.info("email invitation %s %s by member %s", invitation.pk, status, member.pk)
    return invitation


# The local vision ------------------------------------------------------------------------------

def vision_update(ctx: Context, *, chapter: Chapter, text: str) -> VisionRevision:
    """A new version of the chapter's local vision; the old ones stay as its history."""
    if not ctx.actor.may(Capability.CHAPTER_COORDINATE, chapter):
        raise ValidationError(_("Only the chapter's coordinators can edit its local vision."))
    text = text.replace("\r\n", "\n").strip()
    if len(text) > VISION_MAX:
        raise ValidationError(_("Keep the local vision under %(max)d characters.")
                              % {"max": VISION_MAX})
    current = chapter.vision_revisions.order_by("-edited_at", "-pk").first()
    if current is not None and current.text == text:
        raise ValidationError(_("Nothing changed, so nothing was saved."))
    return VisionRevision.objects.create(chapter=chapter, text=text, edited_by=_member(ctx))


# Mail ------------------------------------------------------------------------------------------

def _tell_coordinators(join_request: JoinRequest, coordinators: list[Member]) -> None:
    for coordinator in coordinators:
        member_mail(coordinator, partial(_join_request_mail, join_request, coordinator),
                    kind="join_request")


def _join_request_mail(join_request: JoinRequest, coordinator: Member) -> tuple[str, str]:
    names = {"coordinator": coordinator.display_name, "name": join_request.member.display_name,
             "chapter": join_request.chapter.name,
             "path": site_link("chapter_join_requests", join_request.chapter.slug)}
    return (
        _("%(name)s asks to join %(chapter)s") % names,
        _("Hello %(coordinator)s,\n\n%(name)s asks to join %(chapter)s. Accept or decline "
          "on the chapter's requests page: %(path)s") % names,
    )


def _tell_covering_coordinators(existing: Chapter, started: Chapter, km: float) -> None:
    """A member started a chapter inside `existing`'s area after the warning: its coordinators
    are told, so two groups in one city talk rather than compete."""
    names = {"chapter": existing.name, "new": started.name, "km": round(km),
             "path": site_link("chapter_detail", started.slug)}
    for coordinator in existing.coordinators.filter(is_active=True):
        def mail(coordinator: Member = coordinator) -> tuple[str, str]:
            return (
                _("A new chapter started inside the area of %(chapter)s") % names,
                _("Hello %(name)s,\n\nA member started the chapter %(new)s %(km)d km from "
                  "%(chapter)s, inside its area, after being offered to join %(chapter)s or "
                  "propose a split. You may want to talk to them: %(path)s")
                % {**names, "name": coordinator.display_name},
            )
        member_mail(coordinator, mail, kind="chapter_started_inside_area")


def _tell_member(join_request: JoinRequest) -> None:
    chapter = join_request.chapter
    accepted = join_request.status == JoinRequestStatus.ACCEPTED
    path = site_link("chapter_detail", chapter.slug) if accepted else site_link("chapter_list")

    def mail() -> tuple[str, str]:
        names = {"name": join_request.member.display_name, "chapter": chapter.name,
                 "path": path}
        if accepted:
            return (_("Welcome to %(chapter)s") % names,
                    _("Hello %(name)s,\n\nYou are now a member of %(chapter)s. See its next "
                      "meetings: %(path)s") % names)
        return (_("Your request to join %(chapter)s") % names,
                _("Hello %(name)s,\n\nThe coordinators of %(chapter)s could not accept your "
                  "request this time. You can start a chapter near you instead: %(path)s")
                % names)

    member_mail(join_request.member, mail, kind="join_answer")


def _invitation_mail(invitation: Invitation, organization: str, link: str) -> tuple[str, str]:
    return (
        _("You are invited to start a chapter in %(place)s")
        % {"place": invitation.chapter.place.name},
        _("Hello %(name)s,\n\nMembers of %(org)s who live near you are starting a "
          "chapter in %(place)s, and you are invited. See the invitation on the site: "
          "%(path)s\n\nThe invitation is open until %(date)s.")
        % {"name": invitation.member.display_name, "org": organization,
           "place": invitation.chapter.place.name, "path": link,
           "date": invitation.expires_on.isoformat()},
    )


def _send_email_invitation(ctx: Context, invitation: EmailInvitation, token: str) -> None:
    """The same email whether or not the address has an account: it says how to do both."""
    names = {"chapter": invitation.chapter.name,
             "org": ctx.organization.name,
             "link": site_link("email_invitation", token),
             "signup": site_link("member_signup"),
             "date": invitation.expires_on.isoformat()}
    message_queue(
        to=invitation.email, kind="email_invitation",
        subject=_("You are invited to join %(chapter)s") % names,
        body=_("Hello,\n\nA coordinator of %(chapter)s, a chapter of %(org)s, invites you to "
               "join it. You join only if you accept:\n\n%(link)s\n\nIf you have no "
               "account yet, sign up with this email address first (%(signup)s), then open "
               "the link again. The invitation is open until %(date)s.\n\nIf you do not "
               "want to join, ignore this email: nothing happens.") % names)
