from django.db import models


class ScheduledSlot(models.Model):
    """One periodic job's one time slot, enqueued once: the unique marker that lets two
    schedulers run side by side without doubling any job (the second insert fails)."""

    name = models.CharField(max_length=64)
    slot = models.BigIntegerField()  # seconds since the epoch // the entry's interval
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"],
                                               name="jobs_one_enqueue_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} #{self.slot}"
