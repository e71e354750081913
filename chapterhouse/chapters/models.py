from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.constraints import ConstraintsOnFields


class Origin(models.TextChoices):
    FOUNDED = "founded", _("Founded by members")
    SPLIT = "split", _("Split from a larger chapter")
    AFFILIATED = "affiliated", _("An affiliated organization")


class Chapter(models.Model):
    """A local group; whether it qualifies is decided by its meetings (see qualification.py)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("home place"), on_delete=models.PROTECT,
        related_name="chapters",
    )
    radius_km = models.PositiveSmallIntegerField(
        _("area radius (km)"), default=25,
        help_text=_("How far from the home place members are expected to travel."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("split from"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices,
                              default=Origin.FOUNDED)
    affiliated_from = models.CharField(
        _("affiliated organization"), max_length=200, blank=True,
        help_text=_("For an affiliated chapter: the organization that converted."),
    )
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"))
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinators"), blank=True,
        related_name="coordinated_chapters",
    )
    organizer = models.ForeignKey(
        "organizing.Organizer", verbose_name=_("organizer"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="chapters",
        help_text=_("The organizer who carries this chapter from forming to qualifying."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200] or "chapter"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.origin == Origin.SPLIT and self.parent_id is None:
            raise ValidationError({"parent": _("A chapter split from another names its parent.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A chapter cannot be split from itself.")})
        if self.origin == Origin.AFFILIATED and not self.affiliated_from:
            raise ValidationError(
                {"affiliated_from": _("Name the organization that became this chapter.")}
            )

    def is_member(self, member: Any, on: datetime.date) -> bool:
        return self.memberships.current(on).filter(member=member).exists()


class MembershipQuerySet(models.QuerySet["ChapterMembership"]):
    def current(self, on: datetime.date) -> MembershipQuerySet:
        """Memberships in force on this date (history is kept: leaving sets left_on)."""
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class ChapterMembership(ConstraintsOnFields):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chapter_memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # When the membership was written (its acceptance), never editable: `joined_on` is a
    # date people may correct, but the votes a membership gives start from this moment.
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    CONSTRAINT_FIELDS = {"left_early": "left_on", "member_twice": "member"}

    class Meta:
        ordering = ["chapter", "joined_on"]
        verbose_name = _("chapter membership")
        verbose_name_plural = _("chapter memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_joining", violation_error_code="left_early",
                violation_error_message=_("A member cannot leave before joining."),
            ),
            models.UniqueConstraint(
                fields=["chapter", "member"], condition=Q(left_on__isnull=True),
                name="one_open_membership_per_chapter", violation_error_code="member_twice",
                violation_error_message=_("This member already belongs to this chapter."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.chapter}"

    def clean(self) -> None:
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("A member cannot leave before joining.")})


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Invitation(ConstraintsOnFields):
    """An on-site invitation to join a chapter. Invitees never see each other's emails."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(_("status"), max_length=16, choices=InvitationStatus.choices,
                              default=InvitationStatus.PENDING)

    CONSTRAINT_FIELDS = {"invited_twice": "member"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "member"],
                                    condition=Q(status="pending"),
                                    name="one_pending_invitation_per_chapter",
                                    violation_error_code="invited_twice",
                                    violation_error_message=_(
                                        "This member already has an invitation to this "
                                        "chapter waiting for an answer.")),
        ]

    def __str__(self) -> str:
        return f"{self.member} to {self.chapter}"


class EmailInvitation(models.Model):
    """An invitation to join a chapter sent to an email address (a newcomer met at a meeting).

    Nothing here says whether the address has an account: the person joins only by opening
    the emailed link, logging in (or signing up) with that address and accepting. Only a hash
    of the link's secret is stored.
    """

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE,
                                related_name="email_invitations")
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(_("status"), max_length=16, choices=InvitationStatus.choices,
                              default=InvitationStatus.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Who answered (the account logged in with the invited address).
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="email_invitations_answered",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email invitation")
        verbose_name_plural = _("email invitations")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "email"], condition=Q(status="pending"),
                                    name="one_pending_email_invitation_per_chapter"),
        ]

    def __str__(self) -> str:
        return f"invitation to {self.chapter}"


def token_hash(token: str) -> str:
    """What an EmailInvitation stores of its link's secret."""
    return hashlib.sha256(token.encode()).hexdigest()


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a coordinator")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """A member asking to join a chapter; one of its coordinators accepts or declines."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="join_requests")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=JoinRequestStatus.choices,
                              default=JoinRequestStatus.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "member"],
                                    condition=Q(status="pending"),
                                    name="one_pending_join_request_per_chapter"),
        ]

    def __str__(self) -> str:
        return f"{self.member} asks to join {self.chapter}"


class VisionRevision(models.Model):
    """One version of a chapter's local adaptation of the organization's vision; the newest is
    the current text, the older ones are its history."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE,
                                related_name="vision_revisions")
    text = models.TextField(_("local vision"), max_length=20000)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("edited at"), auto_now_add=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]
        get_latest_by = ["edited_at", "pk"]
        verbose_name = _("local vision revision")
        verbose_name_plural = _("local vision revisions")

    def __str__(self) -> str:
        return f"{self.chapter} vision of {self.edited_at:%Y-%m-%d}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CoordinatorOffer(models.Model):
    """A coordinator asks a member of the chapter to coordinate it with them, or to take it
    over (`handover`). Nobody becomes a coordinator without accepting; on a handover the giver
    stops coordinating only when the receiver accepts, so the chapter is never left without
    one."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE,
                                related_name="coordinator_offers")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="coordinator_offers")
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    handover = models.BooleanField(_("hand the role over"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=OfferStatus.choices,
                              default=OfferStatus.PENDING)
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coordinator offer")
        verbose_name_plural = _("coordinator offers")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "member"], condition=Q(status="pending"),
                                    name="one_pending_coordinator_offer_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.chapter}: coordinator offer to {self.member}"
