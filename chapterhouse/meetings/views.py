"""Meetings pages: my meetings, a chapter's meetings, scheduling, RSVP, attendance, iCal feeds.

Each view parses the request, calls a service or selectors with the request's context, and
renders; refusals reach the person through `show_refusal`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.core.inputs import row_id
from chapterhouse.domain.qualification import Verdict
from chapterhouse.domain.timebounds import local_time
from chapterhouse.meetings import permissions, selectors, services
from chapterhouse.meetings.feeds import calendar_ical
from chapterhouse.meetings.forms import (
    AttendanceExtrasForm,
    MeetingCancelForm,
    MeetingEditForm,
    Repeat,
    RsvpForm,
    ScheduleForm,
    SeriesEndForm,
)
from chapterhouse.meetings.models import Answer, CalendarFeed, Meeting
from chapterhouse.members.language import member_language, viewer_zone
from chapterhouse.organizations.context import Context
from chapterhouse.verdicts.selectors import chapter_verdicts


def _feed_url(request: HttpRequest, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("meeting_feed", args=[feed.token]))


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings of every chapter I belong to or coordinate, with my answers."""
    ctx = context_of(request)
    return render(request, "meetings/my_meetings.html", {
        "meetings": selectors.meetings_mine(ctx),
        "coordinated": selectors.chapters_coordinated(ctx),
        "answers": Answer.choices,
        "feed_url": _feed_url(request, services.member_feed_ensure(member=ctx.actor.member)),
        "zone": viewer_zone(request.user, "UTC"),
    })


@login_required
def chapter_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    ctx = context_of(request)
    chapter = permissions.chapter_for_member(ctx, slug)
    page = selectors.chapter_meetings(ctx, chapter)
    return render(request, "meetings/chapter_meetings.html", {
        "chapter": chapter,
        "coordinating": page.coordinating,
        "is_member": page.is_member,
        "upcoming": page.upcoming,
        "past": page.past,
        "answers": Answer.choices,
        "feed_url": _feed_url(request, services.chapter_feed_ensure(chapter=chapter)),
        "zone": viewer_zone(request.user, chapter.place.timezone),
    })


@login_required
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    ctx = context_of(request)
    chapter = permissions.chapter_for_coordinator(ctx, slug)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.meeting_schedule(
                ctx, chapter=chapter, first_day=data["first_day"],
                start_time=data["start_time"], occurrences=data["occurrences"],
                last_weekday=data["repeat"] == Repeat.MONTHLY_LAST,
                duration_minutes=data["duration_minutes"], title=data["title"],
                venue=data["venue"])
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, translation.ngettext(
                "%(count)d meeting scheduled.", "%(count)d meetings scheduled.", len(created))
                % {"count": len(created)})
            return redirect("chapter_meetings", chapter.slug)
    return render(request, "meetings/schedule.html", {"chapter": chapter, "form": form})


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = context_of(request)
    meeting = permissions.meeting_for_member(ctx, meeting_id)
    page = selectors.meeting_page(ctx, meeting)
    return render(request, "meetings/detail.html", {
        "meeting": meeting,
        "chapter": meeting.chapter,
        "upcoming": page.upcoming,
        "is_member": page.is_member,
        "coordinating": page.coordinating,
        "rsvps": page.rsvps,
        "counts": page.counts,
        "my_answer": page.my_answer,
        "answers": Answer.choices,
        "zone": viewer_zone(request.user, meeting.chapter.place.timezone),
    })


@login_required
@require_POST
def rsvp(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = context_of(request)
    meeting = permissions.meeting_for_member(ctx, meeting_id)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes, maybe or no."))
    else:
        try:
            services.rsvp_set(ctx, meeting=meeting, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Your answer is saved."))
    next_url = request.POST.get("next", "")
    allowed = {reverse("my_meetings"), reverse("chapter_meetings", args=[meeting.chapter.slug])}
    if next_url in allowed:
        return redirect(next_url)
    return redirect("meeting_detail", meeting.pk)


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Change a meeting's time, place and description; beside it, cancel it or end its
    series. For the chapter's coordinators and staff (404 for everyone else)."""
    ctx = context_of(request)
    meeting = permissions.meeting_for_coordinator(ctx, meeting_id)
    start = local_time(meeting.starts_at, meeting.chapter.place.zone)
    form = MeetingEditForm(request.POST or None, initial={
        "title": meeting.title, "day": start.date(), "start_time": start.time(),
        "duration_minutes": meeting.duration_minutes, "venue": meeting.venue,
        "description": meeting.description})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.meeting_edit(
                ctx, meeting=meeting, day=data["day"], start_time=data["start_time"],
                duration_minutes=data["duration_minutes"], title=data["title"],
                venue=data["venue"], description=data["description"])
        except ValidationError as error:
            meeting.refresh_from_db()
            show_refusal(request, error, form)
        else:
            messages.success(request, translation.ngettext(
                "The meeting is changed; %(count)d member who said they would come is told.",
                "The meeting is changed; %(count)d members who said they would come are told.",
                changed.told) % {"count": changed.told})
            return redirect("meeting_detail", meeting.pk)
    return render(request, "meetings/edit.html", {
        "meeting": meeting, "chapter": meeting.chapter, "form": form,
        "cancel_form": MeetingCancelForm(),
        "series_form": SeriesEndForm(initial={"from_day": ctx.today()}),
        "zone": viewer_zone(request.user, meeting.chapter.place.timezone),
    })


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = context_of(request)
    meeting = permissions.meeting_for_coordinator(ctx, meeting_id)
    form = MeetingCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Keep the note under %(max)d characters.")
                       % {"max": services.NOTE_MAX})
        return redirect("meeting_edit", meeting.pk)
    try:
        cancelled = services.meeting_cancel(ctx, meeting=meeting, note=form.cleaned_data["note"])
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("meeting_edit", meeting.pk)
    messages.success(request, translation.ngettext(
        "The meeting is cancelled; %(count)d member who said they would come is told.",
        "The meeting is cancelled; %(count)d members who said they would come are told.",
        cancelled.told) % {"count": cancelled.told})
    return redirect("meeting_detail", meeting.pk)


@login_required
@require_POST
def series_end(request: HttpRequest, meeting_id: int) -> HttpResponse:
    ctx = context_of(request)
    meeting = permissions.meeting_for_coordinator(ctx, meeting_id)
    form = SeriesEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the day from which the series ends."))
        return redirect("meeting_edit", meeting.pk)
    try:
        ended = services.series_end(ctx, meeting=meeting, from_day=form.cleaned_data["from_day"])
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("meeting_edit", meeting.pk)
    messages.success(request, _series_ended_message(ended))
    return redirect("chapter_meetings", meeting.chapter.slug)


def _series_ended_message(ended: services.SeriesEnded) -> str:
    """One whole sentence per figure, each with its plural forms (some languages have
    several), rather than "meeting(s)"."""
    ngettext = translation.ngettext
    sentences = [ngettext(
        "The series is ended: %(count)d later meeting is removed.",
        "The series is ended: %(count)d later meetings are removed.",
        ended.removed) % {"count": ended.removed}]
    if ended.cancelled:
        sentences.append(ngettext(
            "%(count)d meeting that members had answered is kept in the history, cancelled.",
            "%(count)d meetings that members had answered are kept in the history, cancelled.",
            ended.cancelled) % {"count": ended.cancelled})
        sentences.append(ngettext(
            "%(count)d member who said they would come is told.",
            "%(count)d members who said they would come are told.",
            ended.told) % {"count": ended.told})
    return " ".join(sentences)


def _verdict(ctx: Context, chapter: Chapter) -> Verdict:
    verdicts = chapter_verdicts([chapter], rule=ctx.organization.rule, on=ctx.today())
    return verdicts[chapter.pk]


@login_required
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One screen: tick who came, add a guest by name, invite someone by email, save, see the
    chapter's verdict. Nobody becomes a member here: an invitee joins by accepting."""
    ctx = context_of(request)
    meeting = permissions.meeting_for_coordinator(ctx, meeting_id)
    chapter = meeting.chapter
    extras = AttendanceExtrasForm(request.POST or None)
    if request.method == "POST":
        # Malformed ids (huge, non-ASCII digits) are ignored rather than a server error.
        ids = [i for i in map(row_id, request.POST.getlist("present")) if i is not None]
        guest_ids = [i for i in map(row_id, request.POST.getlist("guest")) if i is not None]
        try:
            if not extras.is_valid():
                raise ValidationError([e for errors in extras.errors.values() for e in errors])
            data = extras.cleaned_data
            saved = services.attendance_save(
                ctx, meeting=meeting, member_ids=ids, guest_ids=guest_ids,
                guest_name=data["guest_name"], guest_counts=data["guest_counts"],
                invite_email=data["invite_email"])
        except ValidationError as error:
            show_refusal(request, error)
        else:
            if saved.invited:
                messages.success(request, _("An invitation to join %(chapter)s is on its way to "
                                            "that address. They join only if they accept.")
                                 % {"chapter": chapter.name})
            messages.success(request, _("Attendance saved: %(count)d present (%(added)d added, "
                                        "%(removed)d removed).")
                             % {"count": saved.present, "added": saved.added,
                                "removed": saved.removed})
            return redirect("meeting_attendance_edit", meeting.pk)
    roster = selectors.attendance_roster(ctx, meeting)
    return render(request, "meetings/attendance.html", {
        "meeting": meeting,
        "chapter": chapter,
        "happened": roster.happened,
        "roster": roster.roster,
        "present": roster.present,
        "guests": roster.guests,
        "extras": extras,
        "verdict": _verdict(ctx, chapter),
        "zone": viewer_zone(request.user, chapter.place.timezone),
    })


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An iCal feed by its secret token: no session, so calendar apps can subscribe."""
    ctx = context_of(request)
    found = selectors.feed_find(token)
    if found is None:
        raise Http404
    meetings = selectors.feed_meetings(ctx, found)
    language = member_language(found.member) if found.member is not None else None

    def url_for(meeting: Meeting) -> str:
        return request.build_absolute_uri(reverse("meeting_detail", args=[meeting.pk]))

    with translation.override(language or translation.get_language()):
        if found.member is not None:
            name = _("%(name)s's meetings") % {"name": found.member.display_name}
        else:
            name = found.chapter.name if found.chapter is not None else ""
        body = calendar_ical(name=name, meetings=meetings, stamp=ctx.now(), url_for=url_for)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def my_feed_regenerate(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    services.feed_regenerate(ctx, feed=services.member_feed_ensure(member=ctx.actor.member))
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("my_meetings")


@login_required
@require_POST
def chapter_feed_regenerate(request: HttpRequest, slug: str) -> HttpResponse:
    ctx = context_of(request)
    chapter = permissions.chapter_for_coordinator(ctx, slug)
    services.feed_regenerate(ctx, feed=services.chapter_feed_ensure(chapter=chapter))
    messages.success(request, _("The chapter's calendar has a new address; the old one no "
                                "longer works."))
    return redirect("chapter_meetings", chapter.slug)
