"""Meetings pages: my meetings, a chapter's meetings, scheduling, RSVP, attendance, iCal feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.chapters.access import (
    chapter_for_coordinator,
    chapter_for_member,
    may_coordinate,
)
from chapterhouse.chapters.email_invitations import email_invitation_send
from chapterhouse.chapters.status import chapter_verdicts
from chapterhouse.inputs import row_id
from chapterhouse.meetings import access, clock, feeds
from chapterhouse.meetings.attendance import attendance_replace, guest_record, guests_keep
from chapterhouse.meetings.forms import AttendanceExtrasForm, Repeat, RsvpForm, ScheduleForm
from chapterhouse.meetings.models import Answer, CalendarFeed, Meeting
from chapterhouse.meetings.scheduling import meeting_schedule, rsvp_set
from chapterhouse.members.language import member_language, viewer_zone
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization

PAST_SHOWN = 12


def _answer_counts():
    return {f"{a}_count": Count("rsvps", filter=Q(rsvps__answer=a)) for a in Answer.values}


def _feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("meeting_feed", args=[feed.token]))


@login_required
def my_meetings(request):
    """Upcoming meetings of every chapter I belong to or coordinate, with my answers."""
    now = clock.now()
    chapter_ids = feeds.member_chapter_ids(request.user, now.date())
    meetings = list(Meeting.objects.filter(chapter_id__in=chapter_ids).upcoming(now)
                    .select_related("chapter__place")[:50])
    answers = dict(request.user.rsvps.filter(meeting__in=meetings)
                   .values_list("meeting_id", "answer"))
    for meeting in meetings:
        meeting.my_answer = answers.get(meeting.pk, "")
    coordinated = request.user.coordinated_chapters.order_by("name")
    return render(request, "meetings/my_meetings.html", {
        "meetings": meetings,
        "coordinated": coordinated,
        "answers": Answer.choices,
        "feed_url": _feed_url(request, feeds.feed_for_member(request.user)),
        "zone": viewer_zone(request.user, "UTC"),
    })


@login_required
def chapter_meetings(request, slug: str):
    chapter = chapter_for_member(request, slug)
    now = clock.now()
    coordinating = may_coordinate(request.user, chapter)
    upcoming = list(chapter.meetings.upcoming(now).annotate(**_answer_counts())[:24])
    answers = dict(request.user.rsvps.filter(meeting__in=upcoming)
                   .values_list("meeting_id", "answer"))
    for meeting in upcoming:
        meeting.my_answer = answers.get(meeting.pk, "")
    past = chapter.meetings.past(now).annotate(
        attendee_count=Count("attendances", distinct=True) + Count("guests", distinct=True)
    )[:PAST_SHOWN]
    return render(request, "meetings/chapter_meetings.html", {
        "chapter": chapter,
        "coordinating": coordinating,
        "is_member": chapter.is_member(request.user, now.date()),
        "upcoming": upcoming,
        "past": past,
        "answers": Answer.choices,
        "feed_url": _feed_url(request, feeds.feed_for_chapter(chapter)),
        "zone": viewer_zone(request.user, chapter.place.timezone),
    })


@login_required
def schedule(request, slug: str):
    chapter = chapter_for_coordinator(request, slug)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = meeting_schedule(
                chapter=chapter, by=request.user, first_day=data["first_day"],
                start_time=data["start_time"], now=clock.now(),
                occurrences=data["occurrences"],
                last_weekday=data["repeat"] == Repeat.MONTHLY_LAST,
                duration_minutes=data["duration_minutes"], title=data["title"],
                venue=data["venue"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, translation.ngettext(
                "%(count)d meeting scheduled.", "%(count)d meetings scheduled.", len(created))
                % {"count": len(created)})
            return redirect("chapter_meetings", chapter.slug)
    return render(request, "meetings/schedule.html", {"chapter": chapter, "form": form})


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = access.meeting_for_member(request, meeting_id)
    chapter = meeting.chapter
    now = clock.now()
    coordinating = may_coordinate(request.user, chapter)
    rsvps = meeting.rsvps.select_related("member").order_by("answer", "member__display_name")
    counts = {a: 0 for a in Answer.values}
    for answer, n in meeting.rsvps.values_list("answer").annotate(n=Count("pk")).order_by():
        counts[answer] = n
    mine = meeting.rsvps.filter(member=request.user).values_list("answer", flat=True).first()
    return render(request, "meetings/detail.html", {
        "meeting": meeting,
        "chapter": chapter,
        "upcoming": meeting.starts_at > now,
        "is_member": chapter.is_member(request.user, now.date()),
        "coordinating": coordinating,
        "rsvps": rsvps if coordinating else None,
        "counts": [(value, label, counts[value]) for value, label in Answer.choices],
        "my_answer": mine or "",
        "answers": Answer.choices,
        "zone": viewer_zone(request.user, chapter.place.timezone),
    })


@login_required
@require_POST
def rsvp(request, meeting_id: int):
    meeting = access.meeting_for_member(request, meeting_id)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes, maybe or no."))
    else:
        try:
            rsvp_set(meeting=meeting, member=request.user, answer=form.cleaned_data["answer"],
                     now=clock.now())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your answer is saved."))
    next_url = request.POST.get("next", "")
    allowed = {reverse("my_meetings"), reverse("chapter_meetings", args=[meeting.chapter.slug])}
    if next_url in allowed:
        return redirect(next_url)
    return redirect("meeting_detail", meeting.pk)


def _verdict(chapter):
    organization = Organization.objects.current()
    return chapter_verdicts([chapter], rule=organization.rule, on=organization.today)[chapter.pk]


@login_required
def attendance(request, meeting_id: int):
    """One screen: tick who came, add a guest by name, invite someone by email, save, see the
    chapter's verdict. Nobody becomes a member here: an invitee joins by accepting."""
    meeting = access.meeting_for_coordinator(request, meeting_id)
    chapter = meeting.chapter
    now = clock.now()
    extras = AttendanceExtrasForm(request.POST or None)
    if request.method == "POST":
        # Malformed ids (huge, non-ASCII digits) are ignored rather than a server error.
        ids = [i for i in map(row_id, request.POST.getlist("present")) if i is not None]
        guest_ids = [i for i in map(row_id, request.POST.getlist("guest")) if i is not None]
        try:
            if not extras.is_valid():
                raise ValidationError([e for errors in extras.errors.values() for e in errors])
            data = extras.cleaned_data
            with transaction.atomic():  # a refused guest or invitation leaves the ticks unsaved
                added, removed = attendance_replace(
                    meeting=meeting, members=list(Member.objects.filter(pk__in=ids)), now=now)
                removed += guests_keep(meeting=meeting, guest_ids=guest_ids)
                if data["guest_name"]:
                    guest_record(meeting=meeting, name=data["guest_name"],
                                 counts_toward_share=data["guest_counts"], by=request.user,
                                 now=now)
                    added += 1
                if data["invite_email"]:
                    email_invitation_send(chapter=chapter, email=data["invite_email"],
                                          by=request.user, on=now.date())
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if data["invite_email"]:
                messages.success(request, _("An invitation to join %(chapter)s is on its way to "
                                            "that address. They join only if they accept.")
                                 % {"chapter": chapter.name})
            messages.success(request, _("Attendance saved: %(count)d present (%(added)d added, "
                                        "%(removed)d removed).")
                             % {"count": meeting.attendances.count() + meeting.guests.count(),
                                "added": added, "removed": removed})
            return redirect("meeting_attendance_edit", meeting.pk)
    on = meeting.local_start.date()
    present = set(meeting.attendances.values_list("member_id", flat=True))
    roster = list(Member.objects.filter(
        Q(pk__in=chapter.memberships.current(on).values("member_id")) | Q(pk__in=present))
        .order_by("display_name").only("pk", "display_name", "erased_at"))
    return render(request, "meetings/attendance.html", {
        "meeting": meeting,
        "chapter": chapter,
        "happened": meeting.starts_at <= now,
        "roster": roster,
        "present": present,
        "guests": list(meeting.guests.only("pk", "name")),
        "extras": extras,
        "verdict": _verdict(chapter),
        "zone": viewer_zone(request.user, chapter.place.timezone),
    })


def feed(request, token: str):
    """An iCal feed by its secret token: no session, so calendar apps can subscribe."""
    found = get_object_or_404(CalendarFeed.objects.select_related("member", "chapter"),
                              token=token)
    if found.member_id is not None and not found.member.is_active:
        raise Http404
    now = clock.now()
    meetings = feeds.feed_meetings(found, now)
    language = member_language(found.member) if found.member_id else None
    with translation.override(language or translation.get_language()):
        name = (found.chapter.name if found.chapter_id
                else _("%(name)s's meetings") % {"name": found.member.display_name})
        body = feeds.calendar_ical(
            name=name, meetings=meetings, stamp=now,
            url_for=lambda m: request.build_absolute_uri(reverse("meeting_detail",
                                                                 args=[m.pk])))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def my_feed_regenerate(request):
    feeds.feed_regenerate(feed=feeds.feed_for_member(request.user))
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("my_meetings")


@login_required
@require_POST
def chapter_feed_regenerate(request, slug: str):
    chapter = chapter_for_coordinator(request, slug)
    feeds.feed_regenerate(feed=feeds.feed_for_chapter(chapter))
    messages.success(request, _("The chapter's calendar has a new address; the old one no "
                                "longer works."))
    return redirect("chapter_meetings", chapter.slug)
