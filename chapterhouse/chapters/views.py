from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from chapterhouse.chapters import access
from chapterhouse.chapters.status import chapter_verdicts
from chapterhouse.organizations.models import Organization


def chapter_detail(request, slug: str):
    """A chapter's verdict month by month; its roster only for those allowed to see it."""
    chapter = access.chapter_public(request, slug)
    organization = Organization.objects.current()
    on = organization.today
    verdict = chapter_verdicts([chapter], rule=organization.rule, on=on)[chapter.pk]
    members_visible = access.can_see_members(request, chapter)
    meetings = (
        chapter.meetings.filter(starts_at__date__lte=on)
        .annotate(attendee_count=Count("attendances"))
        .order_by("-starts_at")[:12]
    )
    roster = None
    if members_visible:
        roster = (chapter.memberships.current(on).select_related("member__place")
                  .order_by("member__display_name"))
    return render(request, "chapters/detail.html", {
        "chapter": chapter,
        "verdict": verdict,
        "meetings": meetings,
        "members_visible": members_visible,
        "roster": roster,
        "coordinators": chapter.coordinators.order_by("display_name"),
    })


def meeting_attendance(request, slug: str, meeting_id: int):
    """Who came to a meeting: names for the chapter's members; gender only as a count."""
    chapter = access.chapter_for_member(request, slug)
    meeting = get_object_or_404(chapter.meetings, pk=meeting_id)
    organization = Organization.objects.current()
    rule = organization.rule
    attendees = list(meeting.attendances.select_related("member").order_by("member__display_name"))
    counted = sum(1 for a in attendees if a.member.gender in rule.counted_genders)
    return render(request, "chapters/attendance.html", {
        "chapter": chapter,
        "meeting": meeting,
        "attendees": [a.member for a in attendees],
        "counted": counted,
        "rule": rule,
    })
