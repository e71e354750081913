from django.contrib import admin

from chapterhouse.goals.models import GoalSet


@admin.register(GoalSet)
class GoalSetAdmin(admin.ModelAdmin):
    list_display = ["source", "target_members", "target_chapters", "target_continents",
                    "target_women_share", "deadline", "adopted_on"]
