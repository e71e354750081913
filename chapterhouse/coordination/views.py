"""Coordination calls: the list, starting one, the call page with every invitee's local time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.coordination import access, invitees, rotation, services
from chapterhouse.coordination.forms import CallForm, CandidateForm, NotesForm
from chapterhouse.coordination.models import Call
from chapterhouse.meetings import clock
from chapterhouse.members.access import may
from chapterhouse.members.roles import Capability


@login_required
def call_list(request):
    calls = (Call.objects.select_related("organizer")
             .annotate(signup_count=Count("signups", distinct=True),
                       first_candidate=Min("candidates__starts_at"))
             .order_by("-created_at"))
    mine = set(request.user.call_signups.values_list("call_id", flat=True))
    return render(request, "coordination/list.html", {
        "calls": calls, "mine": mine, "may_organize": may(request.user, Capability.CALL_CREATE),
        "zone": invitees.zone_name(request.user),
    })


@login_required
def call_create(request):
    if not may(request.user, Capability.CALL_CREATE):
        raise Http404
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = services.call_create(by=request.user, **data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Call created. Now propose candidate times."))
            return redirect("call_detail", call.pk)
    return render(request, "coordination/create.html", {"form": form})


@login_required
def call_detail(request, call_id: int):
    call = access.call_for_member(request, call_id)
    user = request.user
    candidates = list(call.candidates.all())
    people = invitees.call_invitees(call)
    participant = access.is_participant(user, call)
    table = invitees.zone_table([c.starts_at for c in candidates], people)
    plan = None
    if call.is_recurring and candidates and people:
        zones = [ZoneInfo(invitees.zone_name(p)) for p in people]
        bad = rotation.inconvenience([c.starts_at for c in candidates], zones)
        result = rotation.rotate(bad, len(people), call.occurrences)
        worst_zone = {invitees.zone_name(p): load
                      for p, load in zip(people, result.per_participant, strict=True)}
        plan = {
            "sequence": [(i + 1, candidates[i]) for i in result.sequence],
            "worst": result.worst,
            "per_zone": [(row.zone, worst_zone[row.zone]) for row in table],
        }
    is_organizer = access.is_organizer(user, call)
    signup = call.signups.filter(member=user).first()
    return render(request, "coordination/detail.html", {
        "call": call,
        "candidates": candidates,
        "table": table,
        "counts": invitees.inconvenient_counts(table),
        "invitee_count": len(people),
        "participant": participant,
        "signed_up": signup is not None,
        "waiting": signup is not None and signup.accepted_at is None,
        "pending": (list(call.signups.pending().select_related("member")
                         .order_by("signed_up_at", "pk")) if is_organizer else []),
        "is_organizer": is_organizer,
        "plan": plan,
        "zone": invitees.zone_name(user),
        "candidate_form": CandidateForm(),
        "notes_form": NotesForm(initial={"notes": call.notes}),
        "earliest": rotation.EARLIEST,
        "latest": rotation.LATEST,
    })


@login_required
@require_POST
def call_signup(request, call_id: int):
    call = access.call_for_member(request, call_id)
    signup = services.call_signup(call=call, member=request.user)
    if signup.accepted_at is None:
        messages.success(request, _("You asked to take part. The call's organizer will let you "
                                    "in; then you will see its notes and link."))
    else:
        messages.success(request, _("You are signed up for this call."))
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def signup_accept(request, call_id: int, signup_id: int):
    """The call's organizer (or staff) lets a member take part."""
    call = access.call_for_organizer(request, call_id)
    signup = get_object_or_404(call.signups.select_related("member"), pk=signup_id)
    services.signup_accept(signup=signup, now=clock.now())
    messages.success(request, _("%(name)s now takes part in this call.")
                     % {"name": signup.member.display_name})
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def call_leave(request, call_id: int):
    call = access.call_for_member(request, call_id)
    try:
        services.call_leave(call=call, member=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("You have left this call."))
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def candidate_add(request, call_id: int):
    call = access.call_for_organizer(request, call_id)
    form = CandidateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a date and a time."))
        return redirect("call_detail", call.pk)
    try:
        services.candidate_propose(call=call, by=request.user, day=form.cleaned_data["day"],
                                   time=form.cleaned_data["time"],
                                   zone=ZoneInfo(invitees.zone_name(request.user)), now=clock.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Candidate time added."))
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def candidate_remove(request, call_id: int, candidate_id: int):
    call = access.call_for_organizer(request, call_id)
    services.candidate_withdraw(candidate=get_object_or_404(call.candidates, pk=candidate_id))
    messages.info(request, _("Candidate time removed."))
    return redirect("call_detail", call.pk)


@login_required
@require_POST
def notes_save(request, call_id: int):
    call = access.call_for_organizer(request, call_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        services.call_notes_save(call=call, notes=form.cleaned_data["notes"], now=clock.now())
        messages.success(request, _("Notes saved."))
    else:
        messages.error(request, " ".join(form.errors["notes"]))
    return redirect("call_detail", call.pk)
