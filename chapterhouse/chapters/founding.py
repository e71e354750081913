"""Starting a forming chapter from a group of members, and inviting them to it."""

from __future__ import annotations

import datetime
from collections import Counter
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter, Invitation, Origin
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.places.models import Place

INVITATION_DAYS = 30


def unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "chapter"
    slug, n = base, 1
    while Chapter.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def chapter_found(*, members: list[Member], by: Member, on: datetime.date, min_size: int,
                  name: str | None = None) -> Chapter:
    """A forming chapter at the most common city of these (unaffiliated) members, who are
    invited to it; the founder coordinates it. Members who joined a chapter meanwhile are left
    out, and if fewer than `min_size` remain nothing is created."""
    free = list(Member.objects.filter(pk__in=[m.pk for m in members])
                .unaffiliated(on).select_related("place").order_by("pk"))
    if len(free) < min_size:
        raise ValidationError(
            _("Only %(free)d of these %(all)d members are still without a chapter; a chapter "
              "needs %(min)d. Run the planner again.")
            % {"free": len(free), "all": len(members), "min": min_size}
        )
    home_id = Counter(m.place_id for m in free if m.place_id).most_common(1)[0][0]
    home = Place.objects.get(pk=home_id)
    with transaction.atomic():
        chapter = Chapter.objects.create(
            name=name or home.name, slug=unique_slug(name or home.name), place=home,
            origin=Origin.FOUNDED, founded_on=on,
            description=_("A forming chapter proposed by the growth planner."),
        )
        chapter.coordinators.add(by)
        expires = on + datetime.timedelta(days=INVITATION_DAYS)
        invitations = Invitation.objects.bulk_create(
            Invitation(chapter=chapter, member=m, invited_by=by, expires_on=expires)
            for m in free
        )
        transaction.on_commit(lambda: invitations_send(invitations))
    return chapter


def invitations_send(invitations: list[Invitation]) -> None:
    """One email per invitee, in their language, listing no one else."""
    organization = Organization.objects.current().name
    link = site_link("invitations")
    for invitation in invitations:
        member = invitation.member
        member_mail(member, partial(_invitation_mail, invitation, organization, link))


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
