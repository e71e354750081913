from django.contrib import admin

from chapterhouse.coordination.models import Call, CandidateTime, Signup


class CandidateInline(admin.TabularInline):
    model = CandidateTime
    extra = 0
    fields = ["starts_at"]


class SignupInline(admin.TabularInline):
    model = Signup
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "scope", "continent", "organizer", "occurrences", "created_at"]
    list_filter = ["scope", "continent"]
    search_fields = ["title"]
    autocomplete_fields = ["organizer"]
    inlines = [CandidateInline, SignupInline]
