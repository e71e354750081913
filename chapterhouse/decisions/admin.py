"""Admin: polls and their options are editable before they open; ballots and participation
are not registered at all (a secret ballot must not be browsable, even by staff)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chapterhouse.core.shares import SharesAsPercentages
from chapterhouse.decisions.models import EndorsementPlan, GoalProposal, Option, Poll


class OptionInline(admin.TabularInline[Option, Poll]):
    model = Option
    extra = 2


class GoalProposalInline(SharesAsPercentages, admin.StackedInline[GoalProposal, Poll]):
    share_fields = ("target_women_share",)
    model = GoalProposal
    extra = 0
    max_num = 1


class EndorsementPlanInline(admin.StackedInline[EndorsementPlan, Poll]):
    model = EndorsementPlan
    extra = 0
    max_num = 1
    autocomplete_fields = ["member", "place"]


@admin.register(Poll)
class PollAdmin(SharesAsPercentages, admin.ModelAdmin[Poll]):
    share_fields = ("quorum", "pass_threshold")
    list_display = ["title", "kind", "level", "chapter", "opens_at", "closes_at", "closed_at",
                    "secret"]
    list_filter = ["kind", "level", "secret"]
    list_select_related = ["chapter"]
    search_fields = ["title"]
    autocomplete_fields = ["chapter", "created_by"]
    readonly_fields = ["closed_at", "eligible_count", "result", "adopts_goal_set"]
    inlines = [OptionInline, GoalProposalInline, EndorsementPlanInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once a poll has votes, changing its options or rules would change their meaning (a
        # secret poll's first ballots wait sealed in its box: its participations tell).
        if obj is not None and (obj.closed_at or obj.participations.exists()
                                or obj.ballots.exists()):
            return [f.name for f in Poll._meta.fields]
        return self.readonly_fields
