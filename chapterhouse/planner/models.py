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
    # What the page shows of a finished run, written once when it finishes (plan_run_store):
    # the summary, splits, recruits, the countries' totals and the candidates' bounds (`page`),
    # the candidates' centres and the unaffiliated members by city as packed float arrays for
    # the map and the sympathetic groups, and one PlanCandidate row per candidate. The page
    # never reads `result` (34 MB at a million members), which stays for "Start it" of runs
    # stored before the rows, and for the record.
    page = models.JSONField(null=True, blank=True)
    centres = models.BinaryField(null=True, blank=True)  # float64 lat, lon per candidate
    unaffiliated = models.BinaryField(null=True, blank=True)  # float64 lat, lon, members
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


class PlanCandidate(models.Model):
    """One candidate chapter of a finished run, as the page lists, sorts and filters it (a
    page of 25 at a time) and as "Start it" founds it. Its members are ids, never shown."""

    run = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="candidates")
    index = models.PositiveIntegerField()  # its place in the run's result, from 0
    place = models.CharField(max_length=200)  # its members' most common city
    country = models.CharField(max_length=2, blank=True)  # that city's country code
    country_name = models.CharField(max_length=200, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    size = models.PositiveIntegerField()
    women = models.PositiveIntegerField()
    max_travel_km = models.FloatField()
    organizer = models.ForeignKey("organizing.Organizer", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    organizer_km = models.FloatField(null=True, blank=True)
    starts = models.DateField(null=True, blank=True)
    start_by = models.DateField(null=True, blank=True)
    counts_by_deadline = models.BooleanField(null=True)
    accepted = models.CharField(max_length=200, blank=True)  # slug of the chapter made from it
    unassigned = models.JSONField(null=True, blank=True)  # Reason.as_json(): why no organizer
    members = models.JSONField(default=list)  # member ids, as the run stored them

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"],
                                               name="plan_candidate_once_per_run")]
        indexes = [  # the page's sorts and filters within one run
            models.Index(fields=["run", "size", "index"], name="plan_candidate_by_size"),
            models.Index(fields=["run", "country", "size"], name="plan_candidate_by_country"),
            models.Index(fields=["run", "place", "index"], name="plan_candidate_by_place"),
            models.Index(fields=["run", "lat", "lon"], name="plan_candidate_by_position"),
        ]

    def __str__(self) -> str:
        return f"Candidate {self.index + 1} of plan {self.run_id}"
