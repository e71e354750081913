from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from chapterhouse.members.models import Member


@admin.register(Member)
class MemberAdmin(UserAdmin):
    """Gender is deliberately absent: it is shown only in aggregates, never per member."""

    ordering = ["display_name"]
    list_display = ["display_name", "email", "place", "willing_to_meet", "joined_on", "is_staff"]
    list_filter = ["willing_to_meet", "is_staff", "is_active", "place__continent_code"]
    search_fields = ["display_name", "email", "place__name"]
    autocomplete_fields = ["place"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "place", "languages", "willing_to_meet",
                                "joined_on"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                                    "user_permissions"]}),
        ("Dates", {"fields": ["last_login"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["email", "display_name", "place", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login"]
