from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskNotice(models.Model):
    """A health warning sent (domain/risk.py): one per chapter, month at stake and reason, so
    that the scheduled job tells a chapter's coordinators and organizer once about each. It
    names no member (the emails are in the outbox)."""

    chapter = models.ForeignKey("chapters.Chapter", verbose_name=_("chapter"),
                                on_delete=models.CASCADE, related_name="risk_notices")
    month = models.DateField(_("month"))  # its first day, in the chapter's zone
    code = models.CharField(_("reason"), max_length=32)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)  # the real time
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("health warning sent")
        verbose_name_plural = _("health warnings sent")
        constraints = [models.UniqueConstraint(fields=["chapter", "month", "code"],
                                               name="one_risk_notice_per_reason")]

    def __str__(self) -> str:
        return f"{self.chapter_id} {self.month:%Y-%m} {self.code}"
