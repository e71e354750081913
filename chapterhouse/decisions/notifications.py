"""Emails to eligible voters: a poll opens, closes tomorrow, its result, or its withdrawal.

Each in the voter's language (their first language if the site has it), plain text with an
HTML alternative, through Django's email framework. Callers send on commit. Claiming a
notification is one UPDATE ... WHERE sent_at IS NULL, so two workers never both send it.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chapterhouse.decisions import rules
from chapterhouse.decisions.models import Participation, Poll
from chapterhouse.members.language import member_language
from chapterhouse.members.mail import site_link


def zone_of(member) -> ZoneInfo:
    return ZoneInfo(member.time_zone())


def _send(poll: Poll, what: str, recipients) -> int:
    messages = []
    link, results_link = site_link("poll_detail", poll.pk), site_link("poll_results", poll.pk)
    for member in recipients:
        zone = zone_of(member)
        with translation.override(member_language(member)), timezone.override(zone):
            context = {"poll": poll, "member": member, "link": link, "results_link": results_link,
                       "zone": zone.key, "result": poll.result}
            subject = {
                "opening": _("Poll open: %(title)s"),
                "reminder": _("Poll closes tomorrow: %(title)s"),
                "result": _("Poll result: %(title)s"),
                "withdrawn": _("Poll withdrawn: %(title)s"),
            }[what] % {"title": poll.title}
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string(f"decisions/email/{what}.txt", context),
                to=[member.email])
            message.attach_alternative(
                render_to_string(f"decisions/email/{what}.html", context), "text/html")
            messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def _claim(poll_id: int, field: str, now: datetime.datetime) -> bool:
    return bool(Poll.objects.filter(pk=poll_id, **{f"{field}__isnull": True})
                .update(**{field: now}))


def openings_send(*, now: datetime.datetime) -> int:
    """Tell the eligible voters of every poll that has opened (once per poll)."""
    sent = 0
    for poll in Poll.objects.open_at(now).filter(opening_sent_at__isnull=True):
        with transaction.atomic():
            if _claim(poll.pk, "opening_sent_at", now):
                voters = list(rules.eligible_voters(poll).select_related("place"))
                transaction.on_commit(lambda p=poll, v=voters: _send(p, "opening", v))
                sent += len(voters)
    return sent


def reminders_send(*, now: datetime.datetime) -> int:
    """A day before closing, remind the eligible voters who have not voted yet."""
    sent = 0
    soon = Poll.objects.open_at(now).filter(
        reminder_sent_at__isnull=True, closes_at__lte=now + datetime.timedelta(days=1))
    for poll in soon:
        with transaction.atomic():
            if _claim(poll.pk, "reminder_sent_at", now):
                voted = Participation.objects.filter(poll=poll).values("member_id")
                voters = list(rules.eligible_voters(poll).exclude(pk__in=voted)
                              .select_related("place"))
                transaction.on_commit(lambda p=poll, v=voters: _send(p, "reminder", v))
                sent += len(voters)
    return sent


def results_send(poll_id: int) -> int:
    """The frozen result, to everyone who was eligible (called on commit of the close)."""
    poll = Poll.objects.get(pk=poll_id)
    return _send(poll, "result", rules.eligible_voters(poll).select_related("place"))


def withdrawal_send(poll_id: int) -> int:
    """A withdrawn poll, to everyone who was eligible (called on commit of the withdrawal)."""
    poll = Poll.objects.get(pk=poll_id)
    return _send(poll, "withdrawn", rules.eligible_voters(poll).select_related("place"))
