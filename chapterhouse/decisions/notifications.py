"""Emails to eligible voters: polls that opened or close tomorrow, a result, a withdrawal.

Each in the voter's language (their first language if the site has it), plain text with an
HTML alternative, queued in the outbox in the transaction that claims the notice, so a notice
is marked sent exactly when its messages are queued (the worker then delivers them). Claiming is
one UPDATE ... WHERE sent_at IS NULL, so two runs at once never both queue it. `notify_polls`
sends each member one digest per run, however many polls opened or close soon for them.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapterhouse.decisions.electorate import eligible_voters
from chapterhouse.decisions.models import Participation, Poll
from chapterhouse.members.language import member_language
from chapterhouse.members.mail import site_link
from chapterhouse.organizations.context import Context

if TYPE_CHECKING:
    from chapterhouse.members.models import Member
from chapterhouse.outbox.services import Draft, messages_queue

logger = logging.getLogger(__name__)


def zone_of(member: Member) -> ZoneInfo:
    return ZoneInfo(member.time_zone())


def _draft(poll: Poll, what: str, member: Member) -> Draft:
    zone = zone_of(member)
    with translation.override(member_language(member)), timezone.override(zone):
        context = {"poll": poll, "member": member, "link": site_link("poll_detail", poll.pk),
                   "results_link": site_link("poll_results", poll.pk), "zone": zone.key,
                   "result": poll.result}
        subject = {
            "opening": _("Poll open: %(title)s"),
            "reminder": _("Poll closes tomorrow: %(title)s"),
            "result": _("Poll result: %(title)s"),
            "withdrawn": _("Poll withdrawn: %(title)s"),
        }[what] % {"title": poll.title}
        return Draft(to=member.email, subject=subject, member=member, kind=f"poll_{what}",
                     body=render_to_string(f"decisions/email/{what}.txt", context),
                     html_body=render_to_string(f"decisions/email/{what}.html", context))


def _send(poll: Poll, what: str, recipients: Iterable[Member]) -> int:
    return len(messages_queue([_draft(poll, what, member) for member in recipients]))


def _claim(poll_id: int, field_name: str, now: datetime.datetime) -> bool:
    return bool(Poll.objects.filter(pk=poll_id, **{f"{field_name}__isnull": True})
                .update(**{field_name: now}))


@dataclass
class _Digest:
    member: Member
    opened: list[Poll] = field(default_factory=list)
    closing: list[Poll] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Notices:
    emails: int  # one per member told anything
    opened: int  # polls announced
    closing: int  # polls reminded


def poll_notices_send(ctx: Context, *, now: datetime.datetime | None = None) -> Notices:
    """Claim every poll that has opened, and every one closing within a day, on the
    organization's clock (`now`: another moment), and queue one email per member listing all
    of theirs: polls they may vote in that opened, and polls closing tomorrow they have not
    voted in. Claims and messages commit together."""
    now = now or ctx.now()
    digests: dict[int, _Digest] = {}
    with transaction.atomic():
        opened = [poll for poll in Poll.objects.open_at(now).filter(opening_sent_at__isnull=True)
                  .order_by("closes_at", "pk") if _claim(poll.pk, "opening_sent_at", now)]
        closing = [poll for poll in Poll.objects.open_at(now).filter(
            reminder_sent_at__isnull=True, closes_at__lte=now + datetime.timedelta(days=1))
            .order_by("closes_at", "pk") if _claim(poll.pk, "reminder_sent_at", now)]
        for poll in opened:
            for member in eligible_voters(poll).select_related("place"):
                digests.setdefault(member.pk, _Digest(member)).opened.append(poll)
        for poll in closing:
            voted = Participation.objects.filter(poll=poll).values("member_id")
            for member in eligible_voters(poll).exclude(pk__in=voted).select_related(
                    "place"):
                digest = digests.setdefault(member.pk, _Digest(member))
                if poll not in digest.opened:  # told just now that it opened, and when it closes
                    digest.closing.append(poll)
        messages_queue([_digest_draft(digest) for digest in digests.values()])
    if opened or closing:
        logger.info("poll notices: %d emails queued, %d polls opened, %d closing",
                    len(digests), len(opened), len(closing))
    return Notices(len(digests), len(opened), len(closing))


def _digest_draft(digest: _Digest) -> Draft:
    """One poll: the usual notice. Several: one email listing them all."""
    member = digest.member
    if len(digest.opened) + len(digest.closing) == 1:
        return (_draft(digest.opened[0], "opening", member) if digest.opened
                else _draft(digest.closing[0], "reminder", member))
    zone = zone_of(member)
    with translation.override(member_language(member)), timezone.override(zone):
        def listed(polls: list[Poll]) -> list[dict[str, Any]]:
            return [{"poll": poll, "link": site_link("poll_detail", poll.pk)} for poll in polls]
        context = {"member": member, "zone": zone.key, "opened": listed(digest.opened),
                   "closing": listed(digest.closing)}
        count = len(digest.opened) + len(digest.closing)
        subject = ngettext("%(count)d poll for you to vote in",
                           "%(count)d polls for you to vote in", count) % {"count": count}
        return Draft(to=member.email, subject=subject, member=member, kind="poll_digest",
                     body=render_to_string("decisions/email/digest.txt", context),
                     html_body=render_to_string("decisions/email/digest.html", context))


def results_send(poll_id: int) -> int:
    """The frozen result, to everyone who was eligible (queued in the close's transaction)."""
    poll = Poll.objects.get(pk=poll_id)
    return _send(poll, "result", eligible_voters(poll).select_related("place"))


def withdrawal_send(poll_id: int) -> int:
    """A withdrawn poll, to everyone who was eligible (queued in the withdrawal's transaction)."""
    poll = Poll.objects.get(pk=poll_id)
    return _send(poll, "withdrawn", eligible_voters(poll).select_related("place"))
