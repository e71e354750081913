from typing import TYPE_CHECKING

from django.contrib import admin

from chapterhouse.planner.models import PlanRun

if TYPE_CHECKING:  # generic for the type checker only (Django's class is not subscriptable)
    ModelAdmin = admin.ModelAdmin[PlanRun]
else:
    ModelAdmin = admin.ModelAdmin


@admin.register(PlanRun)
class PlanRunAdmin(ModelAdmin):
    list_display = ["pk", "status", "members", "radius_km", "min_size", "created_at",
                    "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["requested_by", "created_at", "started_at", "finished_at", "status",
                       "progress", "message", "members", "result"]
    exclude = ["reason"]  # shown worded, as `message`
