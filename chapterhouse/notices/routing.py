"""What becomes of each email as it is queued (the outbox asks, see outbox.services.Router):
account mail and mail to an address without a member go as they are; the rest follows the
member's preference for its category: sent now with an unsubscribe footer, kept as an entry for
their daily or weekly digest, or dropped. Also the RFC 8058 headers as a message leaves."""

from __future__ import annotations

import dataclasses
import logging
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone, translation

from chapterhouse.members.language import member_language
from chapterhouse.members.mail import site_link
from chapterhouse.notices.kinds import DIGEST_KIND, Category, Frequency, category_of
from chapterhouse.notices.labels import CATEGORY_LABELS
from chapterhouse.notices.models import DigestEntry
from chapterhouse.notices.selectors import frequencies_for
from chapterhouse.notices.tokens import ALL, unsubscribe_token
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.outbox.services import Draft

logger = logging.getLogger(__name__)

_URL = re.compile(r"https?://[^\s<>\"')]+")


class UnknownKind(ImproperlyConfigured):
    """An email kind without a category (add it to notices/kinds.py)."""


def unsubscribe_link(member_id: int, category: str) -> str:
    return site_link("notices_unsubscribe", unsubscribe_token(member_id, category))


def _link_in(body: str) -> str:
    """The first link to this site in the email's text (what the digest entry points to)."""
    found = [url.rstrip(".,;:") for url in _URL.findall(body)]
    site = settings.SITE_URL.rstrip("/")
    ours = [url for url in found if site and url.startswith(site)]
    return (ours or found or [""])[0][:500]


def footer_add(draft: Draft, category: str) -> Draft:
    """The email with its footer: why it came, the settings page, the one-click unsubscribe."""
    member = draft.member
    assert member is not None
    with translation.override(member_language(member)):
        context = {
            "category": (CATEGORY_LABELS[Category(category)] if category != ALL else ""),
            "settings_link": site_link("notices_settings"),
            "unsubscribe_link": unsubscribe_link(member.pk, category),
        }
        text = render_to_string("notices/email/footer.txt", context)
        html = render_to_string("notices/email/footer.html", context) if draft.html_body else ""
    html_body = draft.html_body
    if html:
        at = html_body.lower().rfind("</body>")
        html_body = html_body[:at] + html + html_body[at:] if at >= 0 else html_body + html
    return dataclasses.replace(draft, body=draft.body.rstrip("\n") + "\n\n" + text,
                               html_body=html_body)


class NoticeRouter:
    def route(self, drafts: list[Draft]) -> list[Draft]:
        chosen = frequencies_for(
            draft.member.pk for draft in drafts
            if draft.member is not None and category_of(draft.kind) not in (None,
                                                                              Category.ACCOUNT))
        now = timezone.now()
        send: list[Draft] = []
        entries: list[DigestEntry] = []
        for draft in drafts:
            category = category_of(draft.kind)
            if category is None and draft.kind != DIGEST_KIND and draft.member is not None:
                if settings.NOTICES_STRICT_KINDS:
                    raise UnknownKind(f"The email kind {draft.kind!r} has no category: add it "
                                      "to chapterhouse/notices/kinds.py.")
                logger.error("notices: the email kind %r has no category; sent as it is",
                             draft.kind)
            if draft.member is None or category in (None, Category.ACCOUNT):
                send.append(draft)  # an address without an account, account mail, a digest
                continue
            frequency = chosen[draft.member.pk][category]
            if frequency == Frequency.IMMEDIATELY:
                send.append(footer_add(draft, category))
            elif frequency in (Frequency.DAILY, Frequency.WEEKLY):
                entries.append(DigestEntry(
                    member=draft.member, category=category, kind=draft.kind[:40],
                    frequency=frequency, subject=draft.subject[:300],
                    link=(draft.link or _link_in(draft.body))[:500],
                    created_at=now))
            # Frequency.NEVER: dropped
        DigestEntry.objects.bulk_create(entries, batch_size=500)
        return send

    def headers(self, message: OutboxMessage) -> dict[str, str]:
        """RFC 2369 / 8058 one-click unsubscribe on every email a member may turn off."""
        category = category_of(message.kind)
        if message.member_id is None or category == Category.ACCOUNT or (
                category is None and message.kind != DIGEST_KIND):
            return {}
        if not settings.SITE_URL:
            return {}
        link = unsubscribe_link(message.member_id, category or ALL)
        return {"List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
