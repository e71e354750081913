"""Chapter pages: parse the request, call a service or selectors (chapters/, verdicts/),
render."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chapterhouse.chapters import permissions, selectors, services, stewardship
from chapterhouse.chapters.forms import RADIUS_CHOICES, StartChapterForm, VisionForm
from chapterhouse.chapters.models import Chapter, CoordinatorOffer
from chapterhouse.chapters.selectors import CoveringChapter, chapters_covering
from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.core.inputs import row_id
from chapterhouse.domain.roles import Capability
from chapterhouse.inbox.permissions import chapter_standing
from chapterhouse.members.language import viewer_zone
from chapterhouse.members.models import Member
from chapterhouse.splits.selectors import split_notice
from chapterhouse.verdicts.nearby import chapters_near_me
from chapterhouse.verdicts.risks import chapter_risk, risk_visible
from chapterhouse.verdicts.selectors import chapter_page
from chapterhouse.verdicts.selectors import meeting_attendance as attendance_of


def _shallow(data: Any) -> dict[str, Any]:
    """A dataclass's fields as template variables (not dataclasses.asdict, which copies)."""
    return {f.name: getattr(data, f.name) for f in fields(data)}


def chapter_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A chapter's page: description, local vision, meetings, verdict. Its roster, and the
    vision's edit history, only for those allowed to see members; the month-by-month verdict
    for its coordinators."""
    chapter = permissions.chapter_public(request, slug)
    ctx = context_of(request)
    page = chapter_page(ctx, chapter, roster_page=request.GET.get("members", 1))
    return render(request, "chapters/detail.html", {
        **_shallow(page), "viewer_zone": viewer_zone(request.user, chapter.place.timezone),
        # Its coordinators and organizer write to its people through the site (inbox).
        "may_write": chapter_standing(ctx.actor, chapter) is not None,
        **split_notice(ctx, chapter),
        # The health warning, for its coordinators and organizer only (verdicts/risks.py).
        "risk": chapter_risk(ctx, chapter) if risk_visible(ctx, chapter) else None,
    })


def meeting_attendance(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    """Who came to a meeting: names for the chapter's members; of gender only whether the
    meeting met the share (a count beside names would tell too much)."""
    chapter = permissions.chapter_for_member(request, slug)
    rule = context_of(request).organization.rule
    attendance = attendance_of(chapter, meeting_id, rule=rule)
    return render(request, "chapters/attendance.html", {
        **_shallow(attendance), "chapter": chapter, "rule": rule,
    })


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    """My invitations: the chapter and how many were invited, never who."""
    ctx = context_of(request)
    return render(request, "chapters/invitations.html", {
        "invitations": selectors.invitations_of(ctx.actor.member),
        "today": ctx.today(),
    })


def email_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link emailed to an invited address: log in (or sign up) with that address, then
    accept or decline. The token is the only key; an unknown one is a 404."""
    invitation = selectors.email_invitation_for_token(token)
    if invitation is None:
        raise Http404
    ctx = context_of(request)
    if request.method == "POST" and ctx.actor.is_member:
        accept = request.POST.get("answer") == "accept"
        try:
            services.email_invitation_answer(ctx, invitation=invitation, accept=accept)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            tell_answer(request, invitation.chapter, accept)
            if accept:
                return redirect("chapter_detail", invitation.chapter.slug)
            return redirect("invitations")
    return render(request, "chapters/email_invitation.html", {
        "invitation": invitation,
        "today": ctx.today(),
    })


@login_required
@require_POST
def invitation_respond(request: HttpRequest, invitation_id: int) -> HttpResponse:
    ctx = context_of(request)
    invitation = get_object_or_404(ctx.actor.member.invitations.select_related("chapter"),
                                   pk=invitation_id)
    accept = request.POST.get("answer") == "accept"
    try:
        services.invitation_answer(ctx, invitation=invitation, accept=accept)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        tell_answer(request, invitation.chapter, accept)
    return redirect("invitations")


def tell_answer(request: HttpRequest, chapter: Chapter, accept: bool) -> None:
    """What a member who answered an invitation (on the site or by email) is told."""
    if accept:
        messages.success(request, _("Welcome to %(chapter)s.") % {"chapter": chapter.name})
    else:
        messages.info(request, _("Invitation declined."))


@login_required
def chapter_list(request: HttpRequest) -> HttpResponse:
    """Chapters near me: those within reach, with distance, next meeting and verdict; how many
    members without a chapter live nearby (a count, never who); a form to start a chapter.
    POST starts one."""
    ctx = context_of(request)
    member = ctx.actor.member
    form = StartChapterForm(request.POST or None)
    covering: list[CoveringChapter] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            chapter, invited = services.chapter_start(
                ctx, name=data["name"], description=data["description"],
                radius_km=data["radius_km"], invite=data["invite"],
                despite_covering=data["despite_covering"])
        except ValidationError as error:
            if getattr(error, "code", None) == "inside_area" and member.place is not None:
                # Warn first: offer to join that chapter or propose a split; the form comes
                # back ready to start anyway.
                covering = chapters_covering(member.place.latitude, member.place.longitude)
                form = StartChapterForm({**request.POST.dict(), "despite_covering": "on"})
                form.is_valid()
            else:
                show_refusal(request, error)
        else:
            messages.success(request, ngettext(
                "%(chapter)s is forming. %(n)d member near you was invited.",
                "%(chapter)s is forming. %(n)d members near you were invited.", invited.count,
            ) % {"chapter": chapter.name, "n": invited.count})
            _tell_waiting(request, invited)
            return redirect("chapter_detail", chapter.slug)
    radius_km = nearby_radius(form)
    near = chapters_near_me(ctx, member, radius_km=radius_km)
    return render(request, "chapters/near_me.html", {
        "form": form, "place": member.place, "radius_km": radius_km, **_shallow(near),
        "covering": covering,
    })


def nearby_radius(form: StartChapterForm) -> int:
    """The radius the count of nearby members uses: the one chosen in the form, else 25 km."""
    allowed = {str(value) for value, _label in RADIUS_CHOICES}
    value = str(form["radius_km"].value())
    # Only the form's own choices: any radius would let a member map where unaffiliated members
    # live, which is the planner's (organizers and staff).
    return int(value) if value in allowed else 25


@login_required
@require_POST
def chapter_join(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = permissions.chapter_public(request, slug)
    try:
        services.join_request_create(context_of(request), chapter=chapter)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("You asked to join %(chapter)s. Its coordinators will "
                                    "answer; we email you.") % {"chapter": chapter.name})
    if request.POST.get("next") == "list":
        return redirect("chapter_list")
    return redirect("chapter_detail", chapter.slug)


@login_required
def chapter_join_requests(request: HttpRequest, slug: str) -> HttpResponse:
    """The chapter's coordinators see who asked to join: name, city and languages only."""
    chapter = permissions.chapter_for_coordinator(request, slug)
    requests = selectors.chapter_join_requests(chapter)
    return render(request, "chapters/join_requests.html", {
        "chapter": chapter, **_shallow(requests),
    })


@login_required
@require_POST
def join_request_answer(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    chapter = permissions.chapter_for_coordinator(request, slug)
    join_request = get_object_or_404(chapter.join_requests.select_related("member"),
                                     pk=request_id)
    accept = request.POST.get("answer") == "accept"
    try:
        services.join_request_answer(context_of(request), join_request=join_request,
                                     accept=accept)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        name = join_request.member.display_name
        messages.success(request, (_("%(name)s is now a member.") if accept
                                   else _("You declined %(name)s's request.")) % {"name": name})
    return redirect("chapter_join_requests", chapter.slug)


@login_required
def chapter_vision_edit(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = permissions.chapter_for_coordinator(request, slug)
    current = selectors.vision_current(chapter)
    form = VisionForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.vision_update(context_of(request), chapter=chapter,
                                   text=form.cleaned_data["text"])
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, _("The local vision is saved."))
            return redirect("chapter_detail", chapter.slug)
    return render(request, "chapters/vision_form.html", {"chapter": chapter, "form": form})


@login_required
@require_POST
def chapter_invite_nearby(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = permissions.chapter_for_coordinator(request, slug)
    try:
        invited = services.chapter_invite_nearby(context_of(request), chapter=chapter)
    except ValidationError as error:
        show_refusal(request, error)
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


def _tell_waiting(request: HttpRequest, invited: services.Invited) -> None:
    if invited.waiting:
        messages.info(request, ngettext(
            "The daily limit of invitations is reached: %(n)d more member nearby can be "
            "invited tomorrow.",
            "The daily limit of invitations is reached: %(n)d more members nearby can be "
            "invited tomorrow.", invited.waiting) % {"n": invited.waiting})


# Who carries the chapter: co-coordinators, handing over, stepping down, leaving ----------------

@login_required
@require_POST
def chapter_leave(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = permissions.chapter_public(request, slug)
    try:
        stewardship.membership_leave(context_of(request), chapter=chapter)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("You left %(chapter)s. What you took part in stays in its "
                                    "history.") % {"chapter": chapter.name})
    return redirect("chapter_detail", chapter.slug)


@login_required
def chapter_coordinators(request: HttpRequest, slug: str) -> HttpResponse:
    """Who coordinates; ask a member to coordinate too, or to take over; step down."""
    chapter = permissions.chapter_for_coordinator(request, slug)
    page = selectors.chapter_coordinators(context_of(request), chapter)
    return render(request, "chapters/coordinators.html", {"chapter": chapter, **_shallow(page)})


@login_required
@require_POST
def coordinator_offer_create(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = permissions.chapter_for_coordinator(request, slug)
    member_id = row_id(request.POST.get("member", ""))
    member = Member.objects.filter(pk=member_id).first() if member_id is not None else None
    handover = request.POST.get("handover") == "1"
    try:
        if member is None:
            raise ValidationError(_("Choose a member of the chapter."))
        stewardship.coordinator_offer_create(context_of(request), chapter=chapter,
                                             member=member, handover=handover)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, (
            _("%(name)s is asked to take over. You stay coordinator until they accept.")
            if handover else _("%(name)s is asked to coordinate with you. Nothing changes "
                               "until they accept.")) % {"name": member.display_name})
    return redirect("chapter_coordinators", chapter.slug)


@login_required
@require_POST
def coordinator_step_down(request: HttpRequest, slug: str) -> HttpResponse:
    chapter = permissions.chapter_for_coordinator(request, slug)
    try:
        stewardship.coordinator_step_down(context_of(request), chapter=chapter)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("chapter_coordinators", chapter.slug)
    messages.success(request, _("You no longer coordinate %(chapter)s; you are still a "
                                "member.") % {"chapter": chapter.name})
    return redirect("chapter_detail", chapter.slug)


@login_required
@require_POST
def coordinator_offer_answer(request: HttpRequest, slug: str, offer_id: int) -> HttpResponse:
    """The member asked answers; the offer is theirs alone (404 for anyone else)."""
    ctx = context_of(request)
    offer = get_object_or_404(
        ctx.actor.member.coordinator_offers.select_related("chapter", "offered_by"),
        pk=offer_id, chapter__slug=slug)
    accept = request.POST.get("answer") == "accept"
    try:
        stewardship.coordinator_offer_answer(ctx, offer=offer, accept=accept)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        if accept:
            messages.success(request, _("You now coordinate %(chapter)s.")
                             % {"chapter": offer.chapter.name})
        else:
            messages.info(request, _("You declined."))
    return redirect("chapter_detail", offer.chapter.slug)


@login_required
@require_POST
def coordinator_offer_withdraw(request: HttpRequest, slug: str, offer_id: int) -> HttpResponse:
    """Whoever made the offer, or staff, takes it back (404 for anyone else: an offer's
    existence is not revealed)."""
    ctx = context_of(request)
    offers = CoordinatorOffer.objects.select_related("chapter", "member")
    if not ctx.actor.is_staff:
        offers = offers.filter(offered_by=ctx.actor.member)
    offer = get_object_or_404(offers, pk=offer_id, chapter__slug=slug)
    try:
        stewardship.coordinator_offer_withdraw(ctx, offer=offer)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The offer to %(name)s is withdrawn.")
                         % {"name": offer.member.display_name})
    if ctx.actor.may(Capability.CHAPTER_COORDINATE, offer.chapter):
        return redirect("chapter_coordinators", offer.chapter.slug)
    return redirect("chapter_detail", offer.chapter.slug)
