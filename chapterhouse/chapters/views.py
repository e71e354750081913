from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.chapters import access
from chapterhouse.chapters.invitations import invitation_answer
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


@login_required
def invitation_list(request):
    """My invitations: the chapter and how many were invited, never who."""
    invitations = (request.user.invitations.select_related("chapter__place")
                   .annotate(invited=Count("chapter__invitations")).order_by("-created_at"))
    return render(request, "chapters/invitations.html", {
        "invitations": invitations,
        "today": Organization.objects.current().today,
    })


@login_required
@require_POST
def invitation_respond(request, invitation_id: int):
    invitation = get_object_or_404(request.user.invitations.select_related("chapter"),
                                   pk=invitation_id)
    accept = request.POST.get("answer") == "accept"
    try:
        invitation_answer(invitation=invitation, accept=accept,
                          on=Organization.objects.current().today)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if accept:
            messages.success(request, _("Welcome to %(chapter)s.")
                             % {"chapter": invitation.chapter.name})
        else:
            messages.info(request, _("Invitation declined."))
    return redirect("invitations")
