from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

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
    exclude = ["reason", "page", "centres", "unaffiliated"]  # `reason` shown worded (`message`)

    def get_queryset(self, request: HttpRequest) -> QuerySet[PlanRun]:
        # The list never shows a result: megabytes a run at scale, not read for nothing.
        queryset = super().get_queryset(request)
        return queryset if self._is_change_page(request) else queryset.defer(
            "result", "page", "centres", "unaffiliated")

    @staticmethod
    def _is_change_page(request: HttpRequest) -> bool:
        return bool(request.resolver_match and request.resolver_match.url_name
                    and request.resolver_match.url_name.endswith("_change"))
