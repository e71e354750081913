from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.admin_scale import AddRowsInline, ListedRowsInline
from chapterhouse.helpboard.models import Need, Offer


class OfferInline(ListedRowsInline):
    model = Offer
    related = ("member", "need")
    fields = ["member", "message"]
    readonly_fields = ["member"]


class AddOfferInline(AddRowsInline):
    model = Offer
    fields = ["member", "message"]
    autocomplete_fields = ["member"]
    verbose_name_plural = _("add offers")


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "posted_by", "chapter", "language", "region", "created_at",
                    "closed_at"]
    list_filter = ["language", "region"]
    list_select_related = ["posted_by", "chapter"]
    search_fields = ["title", "details"]
    autocomplete_fields = ["posted_by", "chapter"]
    inlines = [OfferInline, AddOfferInline]
