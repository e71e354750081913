"""Staff read and filter the audit log in the admin; nobody adds, changes or deletes an entry,
superusers included (django-auditlog's LogEntryAdmin still allows deleting in some paths)."""

from __future__ import annotations

from typing import Any

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class ExplicitActionFilter(admin.SimpleListFilter):
    """Actions recorded explicitly (exports, downloads, erasures, "Start it")."""

    title = _("recorded action")
    parameter_name = "recorded"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        names = (LogEntry.objects.exclude(changes_text="").order_by("changes_text")
                 .values_list("changes_text", flat=True).distinct())
        return [(name, name) for name in names]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(changes_text=self.value()) if self.value() else queryset


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ReadOnlyLogEntryAdmin(LogEntryAdmin):
    # The member model has no first or last name; search by who and what, never by gender.
    search_fields = ["object_repr", "changes_text", "actor__display_name", "actor__email"]
    list_filter = ["action", ExplicitActionFilter, *LogEntryAdmin.list_filter[1:]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LogEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: LogEntry | None = None) -> bool:
        return False
