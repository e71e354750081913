from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chapterhouse.places.models import Continent


class NeedQuerySet(models.QuerySet["Need"]):
    def open(self) -> NeedQuerySet:
        return self.filter(closed_at__isnull=True)

    def matching(self, *, region: str = "", language: str = "") -> NeedQuerySet:
        needs = self
        if region:
            needs = needs.filter(region=region)
        if language:
            needs = needs.filter(language=language)
        return needs


class Need(models.Model):
    """Something a member or a chapter asks others for: "we need someone who has run a first
    meeting", "translate our flyer into Turkish"."""

    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="needs")
    chapter = models.ForeignKey(
        "chapters.Chapter", verbose_name=_("on behalf of"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="needs",
        help_text=_("Leave empty to ask for yourself."),
    )
    title = models.CharField(_("what do you need?"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                help_text=_("The language the helper needs to speak."))
    # Copied from the chapter's or member's city when posted, so the board filters cheaply.
    region = models.CharField(_("region"), max_length=2, blank=True,
                              choices=Continent.choices)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return self.title


class Offer(models.Model):
    """A member's offer to help; seen by the asker (and the chapter's coordinators) only."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="offers")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="offers")
    message = models.TextField(_("your offer"), max_length=2000)
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    # The conversation between the asker and this helper, once either of them wrote (inbox).
    thread = models.OneToOneField("inbox.Thread", verbose_name=_("conversation"),
                                  on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="help_offer")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [models.UniqueConstraint(fields=["need", "member"], name="offer_once")]

    def __str__(self) -> str:
        return f"{self.member} for {self.need}"
