"""Writes: a member's email preferences, one-click unsubscribe, and the digests.

`digests_send` is the scheduled job. For each member with entries waiting whose morning slot
(NOTICES_DIGEST_HOUR in their zone; weekly on NOTICES_DIGEST_WEEKDAY) has passed since the
entries were written, one transaction takes the entries (UPDATE ... WHERE digest IS NULL, so an
entry is in exactly one digest even with two runs at once), records the digest and queues its
email. A run killed halfway has sent whole digests or none of a member's; the next run goes on.
Members are read in pages by id, never all at once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapterhouse.members.language import member_language
from chapterhouse.members.models import Member
from chapterhouse.notices.kinds import CHOOSABLE, DIGEST_KIND, Category, Frequency
from chapterhouse.notices.labels import CATEGORY_LABELS
from chapterhouse.notices.models import Digest, DigestEntry, Preference
from chapterhouse.notices.routing import footer_add
from chapterhouse.notices.timing import last_slot
from chapterhouse.notices.tokens import ALL, Unsubscribe
from chapterhouse.outbox.services import Draft, messages_queue

if TYPE_CHECKING:
    from chapterhouse.organizations.context import Context

logger = logging.getLogger(__name__)

PAGE = 500  # members per page of the digest run


def preferences_set(ctx: Context, *, member: Member,
                    frequencies: dict[Category, Frequency]) -> None:
    """A member sets how often they get each category's emails (only their own)."""
    if ctx.actor.member is None or ctx.actor.member.pk != member.pk:
        raise ValidationError(_("You can only change your own email settings."))
    if any(category not in CHOOSABLE for category in frequencies):
        raise ValidationError(_("Emails about your account are always sent."))
    now = timezone.now()
    with transaction.atomic():
        for category, frequency in frequencies.items():
            Preference.objects.update_or_create(
                member=member, category=category,
                defaults={"frequency": Frequency(frequency), "updated_at": now})


def unsubscribe(request: Unsubscribe) -> list[Category]:
    """One-click unsubscribe (a signed token, no login): the category, or every one that can
    be turned off, set to "never". Returns the categories changed; unknown member: none."""
    member = Member.objects.filter(pk=request.member_id, erased_at__isnull=True).first()
    if member is None:
        return []
    categories = list(CHOOSABLE) if request.category == ALL else [Category(request.category)]
    now = timezone.now()
    with transaction.atomic():
        for category in categories:
            Preference.objects.update_or_create(
                member=member, category=category,
                defaults={"frequency": Frequency.NEVER, "updated_at": now})
        # What waits for a digest in those categories is not sent either.
        DigestEntry.objects.filter(member=member, digest__isnull=True,
                                   category__in=categories).delete()
    logger.info("member %s unsubscribed from %s", member.pk, request.category)
    return categories


def member_notices_erase(member: Member) -> None:
    """Erasure: preferences, digests and waiting entries go (each names what they were told)."""
    DigestEntry.objects.filter(member=member).delete()
    Digest.objects.filter(member=member).delete()
    Preference.objects.filter(member=member).delete()


def entries_forget(*, kind: str, links: list[str], but_member: Member) -> int:
    """Erasure of a sender: the entries still waiting for others' digests that point at these
    pages (their subjects name the sender) go; digests already sent keep what they said."""
    if not links:
        return 0
    return DigestEntry.objects.filter(kind=kind, link__in=links, digest__isnull=True).exclude(
        member=but_member).delete()[0]


def digests_purge(*, before: datetime.datetime) -> int:
    """Digests sent before `before` go with their entries, and so do entries written before it
    that never left (their member chose "never" since, or has no morning slot): a digest is a
    copy of emails that are gone too (the outbox keeps sent mail no longer). How many rows."""
    entries = DigestEntry.objects.filter(created_at__lt=before, digest__isnull=True).delete()[0]
    digests = Digest.objects.filter(created_at__lt=before).delete()[1]
    return entries + sum(digests.values())


@dataclass(frozen=True, slots=True)
class DigestsSent:
    digests: int
    entries: int


def _cutoff(member: Member, now: datetime.datetime) -> Q:
    """The member's entries due now: written before their last daily / weekly slot."""
    try:
        zone = ZoneInfo(member.time_zone())
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    hour = settings.NOTICES_DIGEST_HOUR
    daily = last_slot(now, zone, hour=hour)
    weekly = last_slot(now, zone, hour=hour, weekday=settings.NOTICES_DIGEST_WEEKDAY)
    return (Q(frequency=Frequency.DAILY, created_at__lt=daily)
            | Q(frequency=Frequency.WEEKLY, created_at__lt=weekly))


def digests_send(*, now: datetime.datetime | None = None) -> DigestsSent:
    """Send every digest due (the scheduled job; safe twice, or twice at once)."""
    now = now or timezone.now()
    digests = entries = 0
    after = 0
    while True:
        member_ids = list(DigestEntry.objects.filter(digest__isnull=True, member_id__gt=after)
                          .order_by("member_id").values_list("member_id", flat=True)
                          .distinct()[:PAGE])
        if not member_ids:
            break
        after = member_ids[-1]
        for member in Member.objects.filter(pk__in=member_ids).select_related("place"):
            taken = _digest_send(member, now)
            if taken:
                digests += 1
                entries += taken
    if digests:
        logger.info("digests: %d sent, carrying %d notice(s)", digests, entries)
    return DigestsSent(digests, entries)


def _digest_send(member: Member, now: datetime.datetime) -> int:
    """One member's digest, if anything is due: its entries, its record and its email commit
    together. Returns how many entries it carried."""
    with transaction.atomic():
        due = DigestEntry.objects.filter(_cutoff(member, now), member=member,
                                         digest__isnull=True)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True))
        if not ids:
            return 0
        digest = Digest.objects.create(member=member, created_at=now)
        taken = DigestEntry.objects.filter(pk__in=ids, digest__isnull=True).update(
            digest=digest)
        if not taken:  # another run took them between the read and the update
            digest.delete()
            return 0
        carried = list(digest.entries.order_by("category", "created_at", "pk"))
        digest.weekly = any(e.frequency == Frequency.WEEKLY for e in carried)
        digest.save(update_fields=["weekly"])
        messages_queue([_digest_draft(member, carried, weekly=digest.weekly)])
    return taken


def _digest_draft(member: Member, entries: list[DigestEntry], *, weekly: bool) -> Draft:
    order = {category: n for n, category in enumerate(CHOOSABLE)}
    entries = sorted(entries, key=lambda e: (order.get(Category(e.category), 99),
                                             e.created_at, e.pk))
    with translation.override(member_language(member)):
        groups = [{"label": CATEGORY_LABELS[Category(category)], "entries": list(items)}
                  for category, items in groupby(entries, key=lambda e: e.category)]
        count = len(entries)
        subject = (ngettext("Your weekly digest: %(count)d notice",
                            "Your weekly digest: %(count)d notices", count) if weekly else
                   ngettext("Your daily digest: %(count)d notice",
                            "Your daily digest: %(count)d notices", count)) % {"count": count}
        context = {"member": member, "groups": groups, "count": count, "weekly": weekly}
        draft = Draft(to=member.email, subject=subject, member=member, kind=DIGEST_KIND,
                      body=render_to_string("notices/email/digest.txt", context),
                      html_body=render_to_string("notices/email/digest.html", context))
    return footer_add(draft, ALL)
