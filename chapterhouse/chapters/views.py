from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chapterhouse.chapters import access, email_invitations, joining, nearby
from chapterhouse.chapters.forms import StartChapterForm, VisionForm
from chapterhouse.chapters.invitations import invitation_answer
from chapterhouse.chapters.models import JoinRequestStatus
from chapterhouse.chapters.status import chapter_verdicts
from chapterhouse.meetings import clock
from chapterhouse.members.language import viewer_zone
from chapterhouse.organizations.models import Organization

VISION_HISTORY = 10


def chapter_detail(request, slug: str):
    """A chapter's page: description, local vision, meetings, verdict. Its roster, and the
    vision's edit history, only for those allowed to see members; the month-by-month verdict
    for its coordinators."""
    chapter = access.chapter_public(request, slug)
    organization = Organization.objects.current()
    on, now = organization.today, clock.now(organization)
    verdict = chapter_verdicts([chapter], rule=organization.rule, on=on)[chapter.pk]
    members_visible = access.can_see_members(request, chapter)
    coordinating = access.may_coordinate(request.user, chapter)
    past = (chapter.meetings.filter(starts_at__lt=now)
            .annotate(attendee_count=Count("attendances", distinct=True)
                      + Count("guests", distinct=True)).order_by("-starts_at")[:12])
    upcoming = chapter.meetings.filter(starts_at__gte=now).order_by("starts_at")[:6]
    revisions = list(chapter.vision_revisions.select_related("edited_by")
                     [:VISION_HISTORY if members_visible else 1])
    roster = None
    if members_visible:
        roster = (chapter.memberships.current(on).select_related("member__place")
                  .order_by("member__display_name"))
    user = request.user
    return render(request, "chapters/detail.html", {
        "chapter": chapter,
        "verdict": verdict,
        "meetings": past,
        "upcoming": upcoming,
        "viewer_zone": viewer_zone(request.user, chapter.place.timezone),
        "vision": revisions[0] if revisions else None,
        "vision_history": revisions if members_visible else [],
        "members_visible": members_visible,
        "is_member": user.is_authenticated and chapter.is_member(user, on),
        "coordinating": coordinating,
        "pending_request": user.is_authenticated and chapter.join_requests.filter(
            member=user, status=JoinRequestStatus.PENDING).exists(),
        "pending_requests": chapter.join_requests.filter(
            status=JoinRequestStatus.PENDING).count() if coordinating else 0,
        "roster": roster,
        "coordinators": chapter.coordinators.order_by("display_name"),
    })


def meeting_attendance(request, slug: str, meeting_id: int):
    """Who came to a meeting: names for the chapter's members; of gender only whether the
    meeting met the share (a count beside names would tell too much)."""
    chapter = access.chapter_for_member(request, slug)
    meeting = get_object_or_404(chapter.meetings, pk=meeting_id)
    organization = Organization.objects.current()
    rule = organization.rule
    attendees = list(meeting.attendances.select_related("member").order_by("member__display_name"))
    guests = list(meeting.guests.all())
    counted = (sum(1 for a in attendees if a.member.gender in rule.counted_genders)
               + sum(1 for g in guests if g.counts_toward_share))
    return render(request, "chapters/attendance.html", {
        "chapter": chapter,
        "meeting": meeting,
        "attendees": [a.member for a in attendees] + [g.name for g in guests],
        "counted": counted,
        "guests": len(guests),
        "rule": rule,
    })


@login_required
def invitation_list(request):
    """My invitations: the chapter and how many were invited, never who."""
    invitations = (request.user.invitations.select_related("chapter__place")
                   .annotate(invited=Count("chapter__invitations__member", distinct=True))
                   .order_by("-created_at"))
    return render(request, "chapters/invitations.html", {
        "invitations": invitations,
        "today": Organization.objects.current().today,
    })


def email_invitation(request, token: str):
    """The link emailed to an invited address: log in (or sign up) with that address, then
    accept or decline. The token is the only key; an unknown one is a 404."""
    invitation = email_invitations.email_invitation_for_token(token)
    if invitation is None:
        raise Http404
    if request.method == "POST" and request.user.is_authenticated:
        accept = request.POST.get("answer") == "accept"
        try:
            email_invitations.email_invitation_answer(
                invitation=invitation, member=request.user, accept=accept,
                on=Organization.objects.current().today)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            tell_answer(request, invitation.chapter, accept)
            if accept:
                return redirect("chapter_detail", invitation.chapter.slug)
            return redirect("invitations")
    return render(request, "chapters/email_invitation.html", {
        "invitation": invitation,
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
        tell_answer(request, invitation.chapter, accept)
    return redirect("invitations")


def tell_answer(request, chapter, accept: bool) -> None:
    """What a member who answered an invitation (on the site or by email) is told."""
    if accept:
        messages.success(request, _("Welcome to %(chapter)s.") % {"chapter": chapter.name})
    else:
        messages.info(request, _("Invitation declined."))


@login_required
def chapter_list(request):
    """Chapters near me: those within reach, with distance, next meeting and verdict; how many
    members without a chapter live nearby (a count, never who); a form to start a chapter.
    POST starts one."""
    member = request.user
    organization = Organization.objects.current()
    on = organization.today
    form = StartChapterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            chapter, invited = joining.chapter_start(
                founder=member, name=data["name"], description=data["description"],
                radius_km=data["radius_km"], invite=data["invite"], on=on)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, ngettext(
                "%(chapter)s is forming. %(n)d member near you was invited.",
                "%(chapter)s is forming. %(n)d members near you were invited.", invited.count,
            ) % {"chapter": chapter.name, "n": invited.count})
            _tell_waiting(request, invited)
            return redirect("chapter_detail", chapter.slug)
    context = {"form": form, "place": member.place, "nearby": [], "unaffiliated": 0,
               "radius_km": nearby_radius(form), "member_chapters": [], "requested": set()}
    if member.place_id:
        context["nearby"] = nearby.chapters_near(member.place, rule=organization.rule, on=on,
                                                 now=clock.now(organization))
        context["unaffiliated"] = len(nearby.unaffiliated_near(
            member.place, radius_km=context["radius_km"], on=on, exclude=member))
        context["member_chapters"] = set(
            member.chapter_memberships.current(on).values_list("chapter_id", flat=True))
        context["requested"] = set(member.join_requests.filter(
            status=JoinRequestStatus.PENDING).values_list("chapter_id", flat=True))
    return render(request, "chapters/near_me.html", context)


def nearby_radius(form: StartChapterForm) -> int:
    """The radius the count of nearby members uses: the one chosen in the form, else 25 km."""
    allowed = {str(value) for value, _label in form.fields["radius_km"].choices}
    value = str(form["radius_km"].value())
    # Only the form's own choices: any radius would let a member map where unaffiliated members
    # live, which is the planner's (organizers and staff).
    return int(value) if value in allowed else 25


@login_required
@require_POST
def chapter_join(request, slug: str):
    chapter = access.chapter_public(request, slug)
    try:
        joining.join_request_create(chapter=chapter, member=request.user,
                                    on=Organization.objects.current().today)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You asked to join %(chapter)s. Its coordinators will "
                                    "answer; we email you.") % {"chapter": chapter.name})
    if request.POST.get("next") == "list":
        return redirect("chapter_list")
    return redirect("chapter_detail", chapter.slug)


@login_required
def chapter_join_requests(request, slug: str):
    """The chapter's coordinators see who asked to join: name, city and languages only."""
    chapter = access.chapter_for_coordinator(request, slug)
    pending = list(chapter.join_requests.filter(status=JoinRequestStatus.PENDING)
                   .select_related("member__place").order_by("created_at"))
    names = dict(settings.LANGUAGES)
    for join_request in pending:
        join_request.language_labels = [str(names.get(code, code))
                                        for code in join_request.member.languages or []]
    answered = (chapter.join_requests.exclude(status=JoinRequestStatus.PENDING)
                .select_related("member", "answered_by").order_by("-answered_at")[:20])
    return render(request, "chapters/join_requests.html", {
        "chapter": chapter, "pending": pending, "answered": answered,
    })


@login_required
@require_POST
def join_request_answer(request, slug: str, request_id: int):
    chapter = access.chapter_for_coordinator(request, slug)
    join_request = get_object_or_404(chapter.join_requests.select_related("member"),
                                     pk=request_id)
    accept = request.POST.get("answer") == "accept"
    try:
        joining.join_request_answer(join_request=join_request, accept=accept, by=request.user,
                                    on=Organization.objects.current().today)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = join_request.member.display_name
        messages.success(request, (_("%(name)s is now a member.") if accept
                                   else _("You declined %(name)s's request.")) % {"name": name})
    return redirect("chapter_join_requests", chapter.slug)


@login_required
def chapter_vision_edit(request, slug: str):
    chapter = access.chapter_for_coordinator(request, slug)
    current = chapter.vision_revisions.first()
    form = VisionForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            joining.vision_update(chapter=chapter, text=form.cleaned_data["text"],
                                  by=request.user)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("The local vision is saved."))
            return redirect("chapter_detail", chapter.slug)
    return render(request, "chapters/vision_form.html", {"chapter": chapter, "form": form})


@login_required
@require_POST
def chapter_invite_nearby(request, slug: str):
    chapter = access.chapter_for_coordinator(request, slug)
    try:
        invited = joining.chapter_invite_nearby(chapter=chapter, by=request.user,
                                                on=Organization.objects.current().today)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("chapter_detail", chapter.slug)
    if invited.count:
        messages.success(request, ngettext(
            "%(n)d member without a chapter was invited.",
            "%(n)d members without a chapter were invited.", invited.count)
            % {"n": invited.count})
        _tell_waiting(request, invited)
    else:
        messages.info(request, _("Everyone without a chapter in this area is already invited."))
    return redirect("chapter_detail", chapter.slug)


def _tell_waiting(request, invited: joining.Invited) -> None:
    if invited.waiting:
        messages.info(request, ngettext(
            "The daily limit of invitations is reached: %(n)d more member nearby can be "
            "invited tomorrow.",
            "The daily limit of invitations is reached: %(n)d more members nearby can be "
            "invited tomorrow.", invited.waiting) % {"n": invited.waiting})
