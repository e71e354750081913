from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from chapterhouse.members.models import Member
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

    def save_model(self, request: HttpRequest, obj: Resource, form: ModelForm[Any],
                   change: bool) -> None:
        if not change and isinstance(request.user, Member):
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
