from django.contrib import admin
from django.http import HttpRequest

from chapterhouse.core.admin_scale import fixed_values_filter
from chapterhouse.places.models import Continent, Place

# The continent of a member's or chapter's place, offered from the fixed list of continents.
CONTINENT_FILTER = fixed_values_filter(
    "place__continent_code", Place._meta.get_field("continent_code").verbose_name,
    list(Continent.choices))


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country_name", "continent_code", "timezone", "population"]
    list_filter = ["continent_code"]
    show_full_result_count = False
    search_fields = ["name", "country_name"]
    readonly_fields = [
        "geonameid", "name", "country_code", "country_name", "continent_code",
        "timezone", "latitude", "longitude", "population",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Places come from the gazetteer when a member or chapter chooses a city.
        return False
