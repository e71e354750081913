"""Admin pieces that keep a page's cost independent of how many rows hang off an object
(issue 10: the New York City chapter's page held 306 member drop-downs and took 9.7 s).

Django's inlines do not paginate, and every editable row with a foreign key costs a query and a
widget (an autocomplete still fetches its chosen object, per row). So relations that grow with
an organization (a chapter's memberships, a meeting's attendance) are shown as a count and a
link to their own change list, filtered by the parent, which paginates, searches and filters;
smaller but unbounded ones (sign-ups, offers, RSVPs) list their rows read-only, their related
objects fetched in the same query, beside an empty inline that adds new rows.

We considered django-admin-inline-paginator(-plus): a paginated inline still renders one
widget (and one query) per row shown, and becomes a second place to edit the same rows; the
filtered change list needs no dependency."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def rows_link(model: type[Model], parent_field: str, parent: Model, count: int,
              summary: str) -> str:
    """'<summary> · View them · Add one': links to `model`'s change list filtered by `parent`
    (through `parent_field`) and to its add form with `parent` already chosen."""
    if parent.pk is None:
        return "—"
    opts = model._meta
    listed = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    return format_html(
        '{} · <a href="{}?{}">{}</a> · <a href="{}?{}">{}</a>',
        summary, listed, urlencode({f"{parent_field}__id__exact": parent.pk}),
        _("View them") if count else _("View the list"),
        add, urlencode({parent_field: parent.pk}), _("Add one"))


class ListedRowsInline(admin.TabularInline[Any, Any]):
    """Existing rows, read-only, their `related` objects joined in the one query (each row
    shows its own name, so include what the model's __str__ reads, the parent too)."""

    extra = 0
    related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class AddRowsInline(admin.TabularInline[Any, Any]):
    """Only the empty form that adds a row; existing rows are shown by a ListedRowsInline."""

    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).none()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
