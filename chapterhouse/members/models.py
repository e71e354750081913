from __future__ import annotations

import datetime

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chapterhouse.members.emails import normalize_email


class Gender(models.TextChoices):
    """Self-described, optional, shown only in aggregates."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NONBINARY = "nonbinary", _("Non-binary")
    OTHER = "other", _("Another description")


class MemberQuerySet(models.QuerySet):
    def active(self) -> MemberQuerySet:
        return self.filter(is_active=True)

    def unaffiliated(self, on: datetime.date) -> MemberQuerySet:
        """Members in no chapter on this date."""
        from chapterhouse.chapters.models import ChapterMembership

        current = ChapterMembership.objects.current(on).values("member_id")
        return self.exclude(pk__in=current)


class MemberManager(BaseUserManager.from_queryset(MemberQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> Member:
        if not email:
            raise ValueError("A member needs an email address.")
        member = self.model(email=normalize_email(email), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, email: str, password: str | None = None, **fields) -> Member:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("display_name", "Admin")
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> Member:
        return self.get(email=normalize_email(username or ""))


class Member(AbstractBaseUser, PermissionsMixin):
    """A member of the organization, and the account they log in with.

    Collects the minimum: a display name, an email, a city (never a street address),
    languages, an optional gender, and whether they would meet in person.
    """

    email = models.EmailField(_("email"), unique=True)
    display_name = models.CharField(_("display name"), max_length=100)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, e.g. en, es.")
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, blank=True,
        help_text=_("Optional. Used only in aggregate, for the women's participation rule."),
    )
    willing_to_meet = models.BooleanField(_("willing to meet in person"), default=False)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    # Accounts made by staff, imports or the demo are confirmed; self sign-up starts unconfirmed
    # and cannot log in until the emailed link is followed (see members/tokens.py).
    email_confirmed = models.BooleanField(_("email confirmed"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.display_name

    def time_zone(self, fallback: str = "UTC") -> str:
        """The zone of the member's city, in which they read times; `fallback` without one."""
        return self.place.timezone if self.place_id else fallback

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)
