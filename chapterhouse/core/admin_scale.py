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

from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
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


# Change lists of tables with millions of rows (issue 12): counting, filters and ordering. --

ESTIMATED_ABOVE = 100_000  # rows: an unfiltered change list above this shows an estimate


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered change list from PostgreSQL's statistics (pg_class.reltuples, kept
    by ANALYZE and autovacuum) when the table holds more than ESTIMATED_ABOVE rows: an exact
    COUNT(*) of ten million attendance rows takes most of a second on every page. Filtered
    lists, small tables and SQLite count exactly; one query either way."""

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.query.where or rows.query.distinct:
            return super().count
        connection = connections[rows.db]
        if connection.vendor != "postgresql":
            return super().count
        table = connection.ops.quote_name(rows.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "  # noqa: S608
                f"ELSE (SELECT COUNT(*) FROM {table}) END "
                "FROM pg_class WHERE oid = %s::regclass",
                [ESTIMATED_ABOVE, rows.model._meta.db_table])
            found = cursor.fetchone()
        return int(found[0]) if found else super().count


class ChosenRelatedFilter(admin.RelatedFieldListFilter):
    """Filter by a related object (a chapter, a meeting) without listing them all in the side
    bar: Django's filter lists every chapter, ten thousand links on each page. Only the object
    chosen is shown; the links from its own page choose it (rows_link)."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        if not self.lookup_val:
            return []
        return field.get_choices(include_blank=False,
                                 limit_choices_to={"pk__in": list(self.lookup_val)})

    def has_output(self) -> bool:
        # Django drops a filter without output, and with it the filtering it already took
        # from the address: with one chapter listed, the list would show every chapter's rows.
        return bool(self.lookup_val) or super().has_output()


def fixed_values_filter(field_path: str, title: Any, choices: list[tuple[str, Any]]
                        ) -> type[admin.SimpleListFilter]:
    """A filter on `field_path` offering these values: Django's filter on a related field's
    values reads them with a DISTINCT over every row (a million members joined to places)."""

    class Filter(admin.SimpleListFilter):
        parameter_name = field_path

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
            return choices

        def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
            value = self.value()
            return queryset.filter(**{field_path: value}) if value else queryset

    Filter.title = title
    return Filter
