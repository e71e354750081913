"""Coordination calls: the list, starting one, the call page with every invitee's local time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.context import context_of
from chapterhouse.coordination import invitees, permissions, rotation, selectors, services
from chapterhouse.coordination.forms import CallForm, CandidateForm, NotesForm
from chapterhouse.core.errors import show_refusal
from chapterhouse.domain.roles import Capability


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    return render(request, "coordination/list.html", {
        "calls": selectors.calls_listed(),
        "mine": selectors.call_ids_signed_up(ctx),
        "may_organize": ctx.actor.may(Capability.CALL_CREATE),
        "zone": invitees.zone_name(ctx.actor.member),
    })


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    if not ctx.actor.may(Capability.CALL_CREATE):
        raise Http404
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(ctx, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Call created. Now propose candidate times."))
            return redirect("call_detail", call.pk)
    return render(request, "coordination/create.html", {"form": form})


@login_required
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    ctx = context_of(request)
    call = permissions.call_for_member(ctx, call_id)
    page = selectors.call_page(ctx, call)
    return render(request, "coordination/detail.html", {
        "call": call,
        "candidates": page.candidates,
        "table": page.table,
        "counts": page.counts,
        "invitee_count": page.invitee_count,
        "participant": page.participant,
        "signed_up": page.signed_up,
        "waiting": page.waiting,
        "pending": page.pending,
        "is_organizer": page.is_organizer,
        "plan": page.plan,
        "zone": invitees.zone_name(ctx.actor.member),
        "candidate_form": CandidateForm(),
        "notes_form": NotesForm(initial={"notes": call.notes}),
        "earliest": rotation.EARLIEST,
        "latest": rotation.LATEST,
    })


@login_required
@require_POST
def call_signup(request: HttpRequest, call_id: int) -> HttpResponse:
    ctx = context_of(request)
    call = permissions.call_for_member(ctx, call_id)
    try:
        signup = services.call_signup(ctx, call=call)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("call_detail", call.pk)
    if signup.accepted_at is None:
        messages.success(request, _("You asked to take part. The call's organizer will let you "
                                    "in; then you will see its notes and link."))
    else:
        messages.success(request, _("You are signed up for this call."))
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def signup_accept(request: HttpRequest, call_id: int, signup_id: int) -> HttpResponse:
    """The call's organizer (or staff) lets a member take part."""
    ctx = context_of(request)
    call = permissions.call_for_organizer(ctx, call_id)
    signup = get_object_or_404(call.signups.select_related("member", "call"), pk=signup_id)
    services.signup_accept(ctx, signup=signup)
    messages.success(request, _("%(name)s now takes part in this call.")
                     % {"name": signup.member.display_name})
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def call_leave(request: HttpRequest, call_id: int) -> HttpResponse:
    ctx = context_of(request)
    call = permissions.call_for_member(ctx, call_id)
    try:
        services.call_leave(ctx, call=call)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.info(request, _("You have left this call."))
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def candidate_add(request: HttpRequest, call_id: int) -> HttpResponse:
    ctx = context_of(request)
    call = permissions.call_for_organizer(ctx, call_id)
    form = CandidateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a date and a time."))
        return redirect("call_detail", call.pk)
    try:
        services.candidate_propose(ctx, call=call, day=form.cleaned_data["day"],
                                   time=form.cleaned_data["time"],
                                   zone=ZoneInfo(invitees.zone_name(ctx.actor.member)))
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Candidate time added."))
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def candidate_remove(request: HttpRequest, call_id: int, candidate_id: int) -> HttpResponse:
    ctx = context_of(request)
    call = permissions.call_for_organizer(ctx, call_id)
    services.candidate_withdraw(
        ctx, candidate=get_object_or_404(call.candidates.select_related("call"), pk=candidate_id))
    messages.info(request, _("Candidate time removed."))
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def notes_save(request: HttpRequest, call_id: int) -> HttpResponse:
    ctx = context_of(request)
    call = permissions.call_for_organizer(ctx, call_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        services.call_notes_save(ctx, call=call, notes=form.cleaned_data["notes"])
        messages.success(request, _("Notes saved."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors["notes"]))
    return redirect("call_detail", call.pk)
