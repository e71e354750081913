from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.reasons import explain


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PlanRunQuerySet(models.QuerySet["PlanRun"]):
    def latest_done(self) -> PlanRun | None:
        return self.filter(status=RunStatus.DONE).order_by("-finished_at").first()


class PlanRun(models.Model):
    """One run of the growth planner over the organization's members: a background job.

    The result is stored as the planner's JSON so the page can show it without re-running; what
    it has to say (a split's reasons, why a candidate has no organizer) it keeps as reason codes
    (planner/reasons.py), as does `reason`, the run's progress or why it failed: the page words
    them in the reader's language.
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.FloatField(default=0.0)  # 0..1
    reason = models.JSONField(null=True, blank=True)  # Reason.as_json(): progress, failure
    radius_km = models.FloatField(_("travel radius (km)"), default=25.0)
    min_size = models.PositiveSmallIntegerField(_("minimum size"), default=5)
    members = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    # The lease (docs/tasks.md): a running run's worker renews it as it progresses; a queued run
    # should be taken by then. Past it, the sweep queues the run again or, after the last
    # attempt, fails it. `attempts` also fences writes: a worker whose run was taken over
    # (a newer attempt) can no longer write to it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = PlanRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan run")
        verbose_name_plural = _("plan runs")

    def __str__(self) -> str:
        return f"Plan {self.pk} ({self.status})"

    @property
    def message(self) -> str:
        """The run's progress, or why it failed, in the active language ("" if nothing)."""
        return explain(self.reason) if self.reason else ""

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    def is_stalled(self, now: datetime.datetime) -> bool:
        """Queued or running past its lease (or without one, from before leases existed): its
        worker stopped, or none is running."""
        return self.is_active and (self.claimed_until is None or self.claimed_until < now)
