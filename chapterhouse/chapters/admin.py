from django.contrib import admin

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation


class MembershipInline(admin.TabularInline):
    model = ChapterMembership
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "origin", "parent", "founded_on"]
    list_filter = ["origin", "place__continent_code"]
    search_fields = ["name", "place__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["place", "parent", "coordinators"]
    inlines = [MembershipInline]


@admin.register(ChapterMembership)
class ChapterMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "chapter", "joined_on", "left_on"]
    list_filter = ["chapter"]
    search_fields = ["member__display_name", "chapter__name"]
    autocomplete_fields = ["member", "chapter"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["member", "chapter", "status", "created_at", "expires_on"]
    list_filter = ["status", "chapter"]
    autocomplete_fields = ["member", "chapter", "invited_by"]
    search_fields = ["member__display_name", "chapter__name"]
