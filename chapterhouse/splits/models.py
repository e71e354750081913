"""A chapter split into neighbourhood chapters (docs/splits.md).

A `Split` is proposed (from the planner's split or typed by staff) and put to the chapter as a
proposal poll (`poll`, made by decisions/split_services.py). When the poll passes, each part
becomes a chapter (origin "split", the parent as its parent) and every member of the parent gets
a `SplitAnswer`: the part nearest their city by default, which they confirm, change, or decline
(no part) until `confirm_by`; after it those who did not answer are placed in their default.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    VOTING = "voting", _("Put to the chapter's vote")
    CONFIRMING = "confirming", _("Passed: members confirm their part")
    DONE = "done", _("Carried out")
    REJECTED = "rejected", _("Not adopted")


IN_PROGRESS = (Status.VOTING, Status.CONFIRMING)


class Source(models.TextChoices):
    PLANNER = "planner", _("The planner's proposed split")
    TYPED = "typed", _("Typed in")


class Split(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="+")
    parent = models.ForeignKey("chapters.Chapter", verbose_name=_("chapter"),
                               on_delete=models.CASCADE, related_name="splits")
    # The proposal poll (decisions); a split is always put to its chapter.
    poll = models.OneToOneField("decisions.Poll", on_delete=models.CASCADE,
                                related_name="split")
    source = models.CharField(_("from"), max_length=16, choices=Source.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.VOTING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    passed_on = models.DateField(_("passed on"), null=True, blank=True)
    confirm_by = models.DateField(_("members confirm by"), null=True, blank=True)
    done_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("split")
        verbose_name_plural = _("splits")
        constraints = [
            # A chapter has at most one split in progress (two submits at once: one wins).
            models.UniqueConstraint(fields=["parent"],
                                    condition=Q(status__in=["voting", "confirming"]),
                                    name="one_split_in_progress_per_chapter"),
        ]

    def __str__(self) -> str:
        return f"Split of {self.parent}"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS


class SplitPart(models.Model):
    split = models.ForeignKey(Split, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(_("name"), max_length=200)
    place = models.ForeignKey("places.Place", verbose_name=_("centre"),
                              on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    # The chapter it became, once the split passed.
    chapter = models.OneToOneField("chapters.Chapter", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="split_part")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("part of a split")
        verbose_name_plural = _("parts of a split")
        constraints = [
            models.UniqueConstraint(fields=["split", "name"], name="split_part_name_unique"),
            models.UniqueConstraint(fields=["split", "place"], name="split_part_place_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SplitAnswer(models.Model):
    """One member of the parent asked which part they belong to. `part` is their answer (None
    with `answered_at`: no part, they leave); `default` the part nearest their city, where
    they are placed if they have not answered by the split's `confirm_by`."""

    split = models.ForeignKey(Split, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="split_answers")
    default = models.ForeignKey(SplitPart, on_delete=models.CASCADE, related_name="+")
    part = models.ForeignKey(SplitPart, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="answers")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # A coordinator of the parent who chose to coordinate their part.
    coordinates = models.BooleanField(_("coordinates the part"), default=False)
    # Placed at the deadline, in `default`, without an answer.
    by_default = models.BooleanField(_("placed by default"), default=False)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        ordering = ["split", "pk"]
        verbose_name = _("split answer")
        verbose_name_plural = _("split answers")
        constraints = [
            models.UniqueConstraint(fields=["split", "member"], name="one_answer_per_split"),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.split}"
