"""Starting a forming chapter from a group of members, and inviting them to it."""

from __future__ import annotations

import datetime
from collections import Counter
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chapterhouse.audit.services import audit_bulk_created
from chapterhouse.chapters.invitations import invitations_left
from chapterhouse.chapters.models import Chapter, Invitation, Origin
from chapterhouse.members.access import may
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.members.roles import Capability
from chapterhouse.organizations.models import Organization
from chapterhouse.places.distance import great_circle_km
from chapterhouse.places.models import Place

INVITATION_DAYS = 30
DEFAULT_RADIUS_KM = 25.0  # a chapter's default area (Chapter.radius_km)


def unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "chapter"
    slug, n = base, 1
    while Chapter.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def chapter_found(*, members: list[Member], by: Member, on: datetime.date, min_size: int,
                  name: str | None = None, radius_km: float = DEFAULT_RADIUS_KM) -> Chapter:
    """A forming chapter at the most common city of these members, who are invited to it;
    the founder coordinates it. The planner's "Start it": for organizers and staff.

    Only members still without a chapter, with a confirmed email, willing to meet and living
    near that city are invited (a plan's group lies within `radius_km` of a meeting point, so
    within twice that of each other); if fewer than `min_size` remain, or more than a chapter
    may invite in a day, nothing is created."""
    if not may(by, Capability.PLANNER_START):
        raise ValidationError(_("Only organizers and staff can start a chapter from the plan."))
    free = list(Member.objects.filter(pk__in=[m.pk for m in members])
                .active().unaffiliated(on).filter(email_confirmed=True, willing_to_meet=True,
                                                   place__isnull=False)
                .select_related("place").order_by("pk"))
    home = None
    if free:
        home_id = Counter(m.place_id for m in free).most_common(1)[0][0]
        home = Place.objects.get(pk=home_id)
        free = [m for m in free if great_circle_km(home.latitude, home.longitude,
                                                   m.place.latitude, m.place.longitude)
                <= 2 * radius_km]
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
            origin=Origin.FOUNDED, founded_on=on,
            description=_("A forming chapter proposed by the growth planner."),
        )
        chapter.coordinators.add(by)
        if len(free) > invitations_left(chapter, now=timezone.now()):
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
        invitations_send(invitations)  # queued with the invitations, sent after commit
    return chapter


def invitations_send(invitations: list[Invitation]) -> None:
    """One email per invitee, in their language, listing no one else."""
    organization = Organization.objects.current().name
    link = site_link("invitations")
    for invitation in invitations:
        member = invitation.member
        member_mail(member, partial(_invitation_mail, invitation, organization, link),
                    kind="chapter_invitation")


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
