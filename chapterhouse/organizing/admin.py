from django.contrib import admin

from chapterhouse.organizing.models import Organizer, SympatheticOrganization


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin[Organizer]):
    list_display = ["member", "place", "hours_per_week", "starts_on", "months", "reach_km",
                    "endorsed_by", "active"]
    list_filter = ["active", "endorsed_by"]
    list_select_related = ["member", "place", "endorsed_by"]
    autocomplete_fields = ["member", "place", "endorsed_by"]
    search_fields = ["member__display_name", "place__name"]


@admin.register(SympatheticOrganization)
class SympatheticOrganizationAdmin(admin.ModelAdmin[SympatheticOrganization]):
    list_display = ["name", "place", "size", "status"]
    list_filter = ["status"]
    list_select_related = ["place"]
    autocomplete_fields = ["place"]
    search_fields = ["name", "place__name"]
