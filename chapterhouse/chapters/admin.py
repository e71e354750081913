from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation
from chapterhouse.core.admin_scale import (
    ChosenRelatedFilter,
    EstimatedCountPaginator,
    rows_link,
)
from chapterhouse.organizations.models import Organization
from chapterhouse.places.admin import CONTINENT_FILTER


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "origin", "parent", "founded_on"]
    list_filter = ["origin", CONTINENT_FILTER]
    paginator = EstimatedCountPaginator
    list_select_related = ["place", "parent"]
    search_fields = ["name", "place__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["place", "parent", "coordinators"]
    # Memberships grow with the chapter (New York City: 300): a count and a link to their own
    # change list, not an inline of one drop-down per member (chapterhouse/core/admin_scale.py).
    readonly_fields = ["memberships_link"]

    @admin.display(description=gettext_lazy("memberships"))
    def memberships_link(self, chapter: Chapter) -> str:
        if chapter.pk is None:
            return "—"
        today = Organization.objects.current().today
        current = chapter.memberships.current(today).count()
        total = chapter.memberships.count()
        summary = _("%(current)d current, %(total)d in all") % {"current": current,
                                                                 "total": total}
        return rows_link(ChapterMembership, "chapter", chapter, total, summary)


@admin.register(ChapterMembership)
class ChapterMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "chapter", "joined_on", "left_on"]
    list_filter = [("chapter", ChosenRelatedFilter)]
    list_select_related = ["member", "chapter"]
    paginator = EstimatedCountPaginator
    # Newest first, along the primary key: the model's order (by chapter name) sorts a million
    # rows joined to their chapters on every page.
    ordering = ["-pk"]
    show_full_result_count = False  # one row per member and chapter: counting it twice is dear
    search_fields = ["member__display_name", "chapter__name"]
    autocomplete_fields = ["member", "chapter"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["member", "chapter", "status", "created_at", "expires_on"]
    list_filter = ["status", ("chapter", ChosenRelatedFilter)]
    list_select_related = ["member", "chapter"]
    show_full_result_count = False
    autocomplete_fields = ["member", "chapter", "invited_by"]
    search_fields = ["member__display_name", "chapter__name"]
