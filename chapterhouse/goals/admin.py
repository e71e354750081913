from django.contrib import admin

from chapterhouse.core.shares import SharesAsPercentages
from chapterhouse.goals.models import GoalSet


@admin.register(GoalSet)
class GoalSetAdmin(SharesAsPercentages, admin.ModelAdmin):
    share_fields = ("target_women_share",)
    list_display = ["source", "target_members", "target_chapters", "target_continents",
                    "target_women_share", "deadline", "adopted_on"]
