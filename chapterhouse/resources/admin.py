from django.contrib import admin
from django.db import models

from chapterhouse.resources.forms import CheckedUploadForm
from chapterhouse.resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = CheckedUploadForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "kind", "language", "added_at"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "description"]
    readonly_fields = ["added_by", "added_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
