"""Poll pages: parse, call a service or a selector, render. Every view that takes a poll id
goes through `_poll_visible`: a poll the actor may not see is "not found", so its existence is
not revealed."""

from __future__ import annotations

from typing import cast
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.context import context_of
from chapterhouse.core.errors import show_refusal
from chapterhouse.decisions import selectors, services
from chapterhouse.decisions.forms import (
    KIND_FIELDS,
    KIND_HELP,
    EndorsementForm,
    GoalProposalForm,
    PollForm,
    WithdrawForm,
)
from chapterhouse.decisions.models import Kind, Poll, Stance
from chapterhouse.decisions.notifications import zone_of
from chapterhouse.decisions.permissions import (
    poll_create_allowed_somewhere,
    poll_withdraw_allowed,
)
from chapterhouse.members.models import Member


def _zone(request: HttpRequest) -> ZoneInfo:
    """The logged-in member's time zone (every view here needs a login)."""
    return zone_of(cast(Member, request.user))


def _poll_visible(request: HttpRequest, poll_id: int) -> Poll:
    poll = selectors.poll_get_visible(context_of(request), poll_id)
    if poll is None:
        raise Http404
    return poll


@login_required
def poll_list(request: HttpRequest) -> HttpResponse:
    lists = selectors.polls_listed(context_of(request))
    return render(request, "decisions/list.html", {
        "groups": lists.groups, "zone": _zone(request).key,
        "may_create": lists.may_create, "chapters": lists.has_chapters,
    })


@login_required
def poll_detail(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _poll_visible(request, poll_id)
    page = selectors.poll_page(context_of(request), poll)
    return render(request, "decisions/detail.html", {
        "poll": poll, "options": page.options, "stances": Stance.choices, "now": page.now,
        "voted": page.voted, "eligible": page.eligible, "may_vote": page.may_vote,
        "result": page.result, "shown": page.shown, "own_ballot": page.own_ballot,
        "zone": _zone(request).key, "voters": page.voters,
        "min_named": selectors.MIN_NAMED_VOTERS, "waiting": page.waiting,
        "batch": selectors.batch_size(), "may_withdraw": page.may_withdraw,
        "ranks": page.ranks, "scores": page.scores,
    })


@login_required
@require_POST
def ballot_submit(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _poll_visible(request, poll_id)
    # The voter is always the logged-in member: any member or voter id in the form is ignored.
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        outcome = services.ballot_cast(context_of(request), poll=poll, data=data,
                                       receipt=request.POST.get("receipt", ""))
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("poll_detail", poll_id=poll.pk)
    if outcome.receipt:
        # Shown once, in this response only: never in a message, session or log.
        return render(request, "decisions/receipt.html", {"poll": poll,
                                                          "receipt": outcome.receipt})
    messages.success(request, _("Your vote was changed.") if outcome.changed
                     else _("Your vote was recorded."))
    return redirect("poll_detail", poll_id=poll.pk)


@login_required
@require_POST
def poll_withdraw(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _poll_visible(request, poll_id)
    ctx = context_of(request)
    if not poll_withdraw_allowed(ctx.actor, poll):
        raise Http404
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        show_refusal(request, ValidationError(list(form.errors["reason"])))
        return redirect("poll_detail", poll_id=poll.pk)
    try:
        services.poll_withdraw(ctx, poll=poll, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The poll was withdrawn."))
    return redirect("poll_detail", poll_id=poll.pk)


@login_required
def poll_results(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _poll_visible(request, poll_id)
    page = selectors.poll_results(context_of(request), poll)
    return render(request, "decisions/results.html", {
        "poll": poll, "result": page.result, "shown": page.shown,
        "open_ballots": page.open_ballots, "zone": _zone(request).key,
        "batch": selectors.batch_size(),
    })


@login_required
def poll_voters(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Who has voted, by name, once at least three have (never what they voted)."""
    poll = _poll_visible(request, poll_id)
    page = selectors.poll_voters(poll)
    return render(request, "decisions/voters.html", {
        "poll": poll, "count": page.count, "names": page.names,
        "min_named": selectors.MIN_NAMED_VOTERS, "unnamed": page.unnamed,
        "batched": page.batched, "batch": selectors.batch_size()})


@login_required
def poll_create(request: HttpRequest) -> HttpResponse:
    """Two steps: the kind of poll (`?kind=`), then the fields that kind uses."""
    ctx = context_of(request)
    if not poll_create_allowed_somewhere(ctx.actor):
        raise Http404
    kind = request.GET.get("kind") or request.POST.get("kind", "")
    if kind not in KIND_FIELDS:
        return render(request, "decisions/create.html", {
            "kinds": [(value, label, KIND_HELP[value]) for value, label in Kind.choices],
            "chosen": Kind.SINGLE})
    zone = _zone(request)
    with timezone.override(zone):
        form = PollForm(request.POST or None, kind=kind,
                        chapters=selectors.chapters_for_poll_creation(ctx),
                        staff=ctx.actor.is_staff)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                poll = services.poll_create(
                    ctx, options=form.option_labels(),
                    **{k: v for k, v in data.items() if k != "options"})
            except ValidationError as error:
                show_refusal(request, error, form)
            else:
                messages.success(request, _("The poll was created."))
                return redirect("poll_detail", poll_id=poll.pk)
    return render(request, "decisions/create.html", {
        "form": form, "zone": zone, "kind": kind, "kind_label": Kind(kind).label,
        "kind_help": KIND_HELP[kind]})


@login_required
def goal_proposal_new(request: HttpRequest) -> HttpResponse:
    """Staff put a goal set to the members; the dashboard adopts it if the proposal passes."""
    ctx = context_of(request)
    if not ctx.actor.is_staff:
        raise Http404
    zone = _zone(request)
    with timezone.override(zone):
        form = GoalProposalForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                poll = services.goal_proposal_create(ctx, targets=form.targets(),
                                                     **form.poll_fields())
            except ValidationError as error:
                show_refusal(request, error, form)
            else:
                messages.success(request, _("The goals were put to the members."))
                return redirect("poll_detail", poll_id=poll.pk)
    return render(request, "decisions/goals_new.html", {"form": form,
                                                        "zone": zone})


@login_required
def endorsement_new(request: HttpRequest) -> HttpResponse:
    """A member puts their organizing plan to their chapter as a proposal."""
    ctx = context_of(request)
    form = EndorsementForm(request.POST or None, chapters=selectors.chapters_joined(ctx))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.endorsement_propose(
                ctx, chapter=data["chapter"], hours_per_week=data["hours_per_week"],
                months=data["months"], starts_on=data["starts_on"],
                target_areas=data["target_areas"], reach_km=data["reach_km"])
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Your plan was put to the chapter."))
            return redirect("poll_detail", poll_id=poll.pk)
    return render(request, "decisions/endorse.html", {"form": form})
