from django.contrib import admin

from chapterhouse.helpboard.models import Need, Offer


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "posted_by", "chapter", "language", "region", "created_at",
                    "closed_at"]
    list_filter = ["language", "region"]
    search_fields = ["title", "details"]
    autocomplete_fields = ["posted_by", "chapter"]
    inlines = [OfferInline]
