"""A member joins a chapter (asks; a coordinator answers) or starts one near home and invites
the members without a chapter around them. Also the chapter's local vision document."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.audit.services import Action, audit_bulk_created, audit_record
from chapterhouse.chapters.access import may_coordinate
from chapterhouse.chapters.founding import INVITATION_DAYS, invitations_send, unique_slug
from chapterhouse.chapters.invitations import invitations_left, limit_reached_error
from chapterhouse.chapters.models import (
    Chapter,
    ChapterMembership,
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Origin,
    VisionRevision,
)
from chapterhouse.chapters.nearby import unaffiliated_near
from chapterhouse.members.access import may
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.members.roles import Capability

VISION_MAX = 20000


def join_request_create(*, chapter: Chapter, member: Member, on: datetime.date) -> JoinRequest:
    """Ask to join; the chapter's coordinators are emailed once this commits."""
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
    return join_request


def join_request_answer(*, join_request: JoinRequest, accept: bool, by: Member,
                        on: datetime.date) -> None:
    """Accept (the member joins on `on`) or decline; the member is emailed either way."""
    chapter = join_request.chapter
    if not may_coordinate(by, chapter):
        raise ValidationError(_("Only the chapter's coordinators can answer join requests."))
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
        join_request.answered_at = timezone.now()
        join_request.save(update_fields=["status", "answered_by", "answered_at"])
        if accept and not chapter.is_member(join_request.member, on):
            ChapterMembership.objects.create(chapter=chapter, member=join_request.member,
                                             joined_on=on)
        _tell_member(join_request)


@dataclass(frozen=True, slots=True)
class Invited:
    """How many were invited, and how many nearby members the daily limit left for later."""

    count: int
    waiting: int = 0


def chapter_start(*, founder: Member, name: str, description: str, radius_km: int,
                  invite: bool, on: datetime.date,
                  now: datetime.datetime | None = None) -> tuple[Chapter, Invited]:
    """A forming chapter at the founder's city, which they coordinate and belong to; with
    `invite`, members without a chapter within the radius get an invitation (by email and on
    the site; no one sees who else was invited), up to the daily limit. The founder becomes
    the coordinator of this chapter and gains no other role."""
    if not may(founder, Capability.CHAPTER_START):
        raise ValidationError(_("Log in to start a chapter."))
    if founder.place_id is None:
        raise ValidationError(_("Choose your city in your profile first."))
    current = founder.chapter_memberships.current(on).select_related("chapter").first()
    if current is not None:
        raise ValidationError(_("You are already a member of %(chapter)s. To start a "
                                "neighbourhood chapter, talk to its coordinators about a split.")
                              % {"chapter": current.chapter.name})
    name = name.strip() or founder.place.name
    with transaction.atomic():
        chapter = Chapter.objects.create(
            name=name, slug=unique_slug(name), place=founder.place, radius_km=radius_km,
            origin=Origin.FOUNDED, founded_on=on, description=description.strip(),
        )
        chapter.coordinators.add(founder)
        ChapterMembership.objects.create(chapter=chapter, member=founder, joined_on=on)
        invited = (chapter_invite_nearby(chapter=chapter, by=founder, on=on, now=now)
                   if invite else Invited(0))
    return chapter, invited


def chapter_invite_nearby(*, chapter: Chapter, by: Member, on: datetime.date,
                          now: datetime.datetime | None = None) -> Invited:
    """Invite the members without a chapter in the chapter's area who are willing to meet and
    have no open invitation to it and have not declined one, nearest first, up to the
    chapter's daily limit. An invitation that expired unanswered is renewed (it was never
    declined) and counts as sent again. With the limit already reached nothing is sent."""
    if not may(by, Capability.CHAPTER_INVITE, chapter=chapter):
        raise ValidationError(_("Only the chapter's coordinators can invite members."))
    now = now or timezone.now()
    expires = on + datetime.timedelta(days=INVITATION_DAYS)
    with transaction.atomic():
        left = invitations_left(chapter, now=now)  # locks the chapter: counted one at a time
        nearby = unaffiliated_near(chapter.place, radius_km=chapter.radius_km, on=on,
                                   exclude=by)
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
            list(Invitation.objects.filter(pk__in=ids).select_related("member", "chapter__place")))
    return Invited(len(batch), len(fresh) - len(batch))


def vision_update(*, chapter: Chapter, text: str, by: Member) -> VisionRevision:
    """A new version of the chapter's local vision; the old ones stay as its history."""
    if not may_coordinate(by, chapter):
        raise ValidationError(_("Only the chapter's coordinators can edit its local vision."))
    text = text.replace("\r\n", "\n").strip()
    if len(text) > VISION_MAX:
        raise ValidationError(_("Keep the local vision under %(max)d characters.")
                              % {"max": VISION_MAX})
    current = chapter.vision_revisions.order_by("-edited_at", "-pk").first()
    if current is not None and current.text == text:
        raise ValidationError(_("Nothing changed, so nothing was saved."))
    return VisionRevision.objects.create(chapter=chapter, text=text, edited_by=by)


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


def _tell_member(join_request: JoinRequest) -> None:
    chapter = join_request.chapter
    accepted = join_request.status == JoinRequestStatus.ACCEPTED
    path = site_link("chapter_detail", chapter.slug) if accepted else site_link("chapter_list")
    member_mail(join_request.member, lambda: (
        (_("Welcome to %(chapter)s") if accepted
         else _("Your request to join %(chapter)s")) % {"chapter": chapter.name},
        (_("Hello %(name)s,\n\nYou are now a member of %(chapter)s. See its next meetings: "
           "%(path)s") if accepted else
         _("Hello %(name)s,\n\nThe coordinators of %(chapter)s could not accept your request "
           "this time. You can start a chapter near you instead: %(path)s"))
        % {"name": join_request.member.display_name, "chapter": chapter.name,
           "path": path},
    ), kind="join_answer")
