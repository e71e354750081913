from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chapterhouse.coordination.models import Call, CandidateTime, Signup
from chapterhouse.core.admin_scale import AddRowsInline, ListedRowsInline


class CandidateInline(admin.TabularInline):
    model = CandidateTime
    extra = 0
    fields = ["starts_at"]


class SignupInline(ListedRowsInline):
    model = Signup
    related = ("member", "call")
    fields = ["member", "accepted_at"]
    readonly_fields = ["member"]


class AddSignupInline(AddRowsInline):
    model = Signup
    related = ("member", "call")
    fields = ["member", "accepted_at"]
    autocomplete_fields = ["member"]
    verbose_name_plural = _("add sign-ups")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "scope", "continent", "organizer", "occurrences", "created_at"]
    list_filter = ["scope", "continent"]
    list_select_related = ["organizer"]
    search_fields = ["title"]
    autocomplete_fields = ["organizer"]
    inlines = [CandidateInline, SignupInline, AddSignupInline]
