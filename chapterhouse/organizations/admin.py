from typing import Any

from django.contrib import admin, messages
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chapterhouse.core.shares import SharesAsPercentages
from chapterhouse.meetings.months import (
    chapter_months_progress,
    months_rebuild_queued,
    rule_key,
)
from chapterhouse.organizations.models import Organization


@admin.register(Organization)
class OrganizationAdmin(SharesAsPercentages, admin.ModelAdmin):
    share_fields = ("min_women_share",)
    list_display = ["name", "founded_on", "dashboard_public", "figures_as_of"]
    readonly_fields = ["verdicts"]
    fieldsets = [
        (None, {"fields": ["name", "founded_on", "dashboard_public", "figures_as_of",
                           "demo_clock"]}),
        ("Qualification rule", {
            "fields": ["min_attendees", "min_women_share", "qualifying_months", "counted_genders",
                       "at_risk_days", "verdicts"],
            "description": "A chapter qualifies on a date when, in each of the last "
                           "'qualifying months' whole calendar months, it held at least one "
                           "meeting with at least 'minimum attendees' attendees of whom at least "
                           "'minimum women's share' count toward participation.",
        }),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One install serves one organization.
        return not Organization.objects.exists()

    def save_model(self, request: HttpRequest, obj: Organization, form: ModelForm,
                   change: bool) -> None:
        # A new rule makes every chapter's stored months stale: at ten thousand chapters
        # rebuilding them takes minutes, so it is a task (meetings/months.py), not this request.
        before = Organization.objects.get(pk=obj.pk).rule if change else None
        with months_rebuild_queued():
            super().save_model(request, obj, form, change)
        if before is not None and rule_key(before) != rule_key(obj.rule):
            messages.info(request, _(
                "The qualification rule changed: every chapter's verdict is being recomputed "
                "in the background. Until a chapter's turn comes, pages recompute its verdict "
                "from its attendance. Progress is shown under the rule."))

    @admin.display(description=gettext_lazy("verdicts"))
    def verdicts(self, obj: Organization) -> Any:
        if obj.pk is None:
            return "–"
        progress = chapter_months_progress(obj.rule)
        if not progress.stale:
            return _("Up to date for this rule.")
        return _("Being recomputed for this rule: %(done)s of %(chapters)s chapters done "
                 "(reload to follow).") % {
            "done": number_format(progress.done, force_grouping=True),
            "chapters": number_format(progress.chapters, force_grouping=True)}
