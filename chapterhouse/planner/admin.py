from django.contrib import admin

from chapterhouse.planner.models import PlanRun


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "members", "radius_km", "min_size", "created_at",
                    "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["requested_by", "created_at", "started_at", "finished_at", "status",
                       "progress", "message", "members", "result"]
