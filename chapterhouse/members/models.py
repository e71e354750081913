from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.gender import Gender
from chapterhouse.members.emails import normalize_email
from chapterhouse.members.validators import email_canonical_or_error


def recorded_on(day: datetime.date) -> datetime.datetime:
    """The `created_at` to give a row imported or seeded with a history (the demo, a test's
    personas): the start of its day, UTC. The product never passes one: a row's creation time
    is the moment it was written, so nobody can backdate it to gain a vote."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class MemberQuerySet(models.QuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        return self.filter(is_active=True)


class MemberManager(BaseUserManager.from_queryset(MemberQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Member:
        if not email:
            raise ValueError("A member needs an email address.")
        member: Member = self.model(email=email_canonical_or_error(email), **fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_superuser(self, email: str, password: str | None = None,
                         **fields: Any) -> Member:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("display_name", "Admin")
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> Member:
        member: Member = self.get(email=normalize_email(username or ""))
        return member


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
    # Issue 13, item 2: organizers see the address only if the member allows it; otherwise
    # they write through the site. Coordinators never see it.
    email_visible_to_organizers = models.BooleanField(
        _("organizers may see my email address"), default=False)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    # When the account was written: unlike `joined_on`, not editable anywhere, so it fixes
    # who may vote in a poll that opened before it (decisions/rules.py).
    created_at = models.DateTimeField(_("account created at"), default=timezone.now,
                                      editable=False)
    # Set when the member erased their account (members/erasure.py): the row stays as an
    # anonymous tombstone so past attendance, participations and posts keep their history.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    # Accounts made by staff, imports or the demo are confirmed; self sign-up starts unconfirmed
    # and cannot log in until the emailed link is followed (see members/tokens.py).
    email_confirmed = models.BooleanField(_("email confirmed"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    # A role (members/roles.py): staff appoint resource editors, who curate the shared library.
    is_resource_editor = models.BooleanField(
        _("resource editor"), default=False,
        help_text=_("May add to the shared resource library. Appointed by staff."))

    objects = MemberManager()
    _stored_email: str | None  # the email as read from the database (from_db)
    _stored_gender: str | None  # the gender as read (from_db): a change updates the verdicts

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        # The admin's change list: by name, then newest first (a million members; issue 12).
        verbose_name = _("member")
        verbose_name_plural = _("members")
        # The admin's list orders by name, then newest first (Django adds "-pk"): at a million
        # members, a page of 100 read from this index instead of sorting every row (2.2 s to
        # 0.07 s, issue 12).
        indexes = [models.Index(fields=["display_name", "-id"], name="member_by_name")]

    def __str__(self) -> str:
        return gettext("former member") if self.erased_at else self.display_name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def time_zone(self, fallback: str = "UTC") -> str:
        """The zone of the member's city, in which they read times; `fallback` without one."""
        place = self.place if self.place_id else None  # no query without a city
        return place.timezone if place is not None else fallback

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any],
                **kwargs: Any) -> Member:
        member = super().from_db(db, field_names, values, **kwargs)
        member._stored_email = member.__dict__.get("email")
        member._stored_gender = member.__dict__.get("gender")  # meetings/signals.py
        return member

    def _email_for_storage(self) -> str:
        """A new or changed email must pass members/emails.py; one stored before that rule
        existed is kept as it is (`chapterhouse check_emails` lists those)."""
        if self.email == getattr(self, "_stored_email", None) or self.erased_at is not None:
            return self.email  # an erased account's placeholder (…@erased.invalid) gets no mail
        return email_canonical_or_error(self.email)

    def clean(self) -> None:
        super().clean()
        try:
            self.email = self._email_for_storage()
        except ValidationError as error:
            raise ValidationError({"email": error}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "email" in update_fields:
            self.email = self._email_for_storage()
        super().save(*args, **kwargs)
        self._stored_email = self.email


class ImportedMember(models.Model):
    """A member who came in from a member list (`import_members`), until the invitation to set a
    password is sent: the consent the organization recorded, and when the invitation went out.
    Erasing the member deletes the row (services.member_erase)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, primary_key=True,
                                  related_name="import_record", verbose_name=_("member"))
    consented_on = models.DateField(_("consented on"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now, editable=False)
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("imported member")
        verbose_name_plural = _("imported members")
        indexes = [models.Index(fields=["invitation_sent_at"],
                                name="imported_member_invitation")]

    def __str__(self) -> str:
        return str(self.member)
