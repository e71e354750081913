from django.contrib import admin
from django.http import HttpRequest

from chapterhouse.organizations.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "founded_on", "dashboard_public", "figures_as_of"]
    fieldsets = [
        (None, {"fields": ["name", "founded_on", "dashboard_public", "figures_as_of",
                           "demo_clock"]}),
        ("Qualification rule", {
            "fields": ["min_attendees", "min_women_share", "qualifying_months", "counted_genders"],
            "description": "A chapter qualifies on a date when, in each of the last "
                           "'qualifying months' whole calendar months, it held at least one "
                           "meeting with at least 'minimum attendees' attendees of whom at least "
                           "'minimum women's share' count toward participation.",
        }),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One install serves one organization.
        return not Organization.objects.exists()
