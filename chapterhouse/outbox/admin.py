"""Staff see every outgoing email and its state, read-only: failed ones (every attempt used)
with their last error, to fix the address or the server and send again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chapterhouse.outbox.models import OutboxMessage, State
from chapterhouse.outbox.services import delivery_after_commit


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ["created_at", "to", "subject", "kind", "state", "attempts",
                    "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["state", "kind", "created_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    raw_id_fields = ["member"]
    list_select_related = False
    show_full_result_count = False  # counting millions of sent messages on every page is slow
    actions = ["send_again"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest,
                              obj: OutboxMessage | None = None) -> bool:
        return False

    @admin.action(description=_("Try the selected failed emails again"),
                  permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        with transaction.atomic():
            count = queryset.filter(state=State.FAILED).update(
                state=State.PENDING, attempts=0, next_attempt_at=timezone.now())
            if count:
                delivery_after_commit()
        self.message_user(request, ngettext("%(n)d email will be sent again.",
                                            "%(n)d emails will be sent again.", count)
                          % {"n": count}, messages.SUCCESS)
