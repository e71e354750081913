"""The convention page (/convention/): readiness, the apportionment of delegates among the
qualifying chapters with the staff's settings, the delegates and the sessions; and a
session's page with its weighted count, votes and proxies."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_of
from chapterhouse.convention import selectors, services
from chapterhouse.convention.forms import (
    CandidacyForm,
    ElectionForm,
    ProxyForm,
    SessionForm,
    SettingsForm,
    VoteForm,
)
from chapterhouse.convention.models import (
    Delegate,
    DelegateCandidate,
    DelegateElection,
    Session,
)
from chapterhouse.core.errors import show_refusal


def convention(request: HttpRequest) -> HttpResponse:
    """Readiness, the delegates' apportionment (and, for staff, its settings), delegates and
    sessions. Public when the dashboard is."""
    ctx = context_of(request)
    if not ctx.organization.dashboard_public and not ctx.actor.is_member:
        return redirect_to_login(request.get_full_path())
    organization = ctx.organization
    chosen = selectors.settings_current(organization)
    form = None
    if ctx.actor.is_staff:
        form = SettingsForm(request.POST or None, initial=SettingsForm.initial_from(chosen))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            women, quorum = form.shares()
            try:
                services.convention_settings_update(
                    ctx, seats=data["seats"], floor=data["floor"], method=data["method"],
                    weighting=data["weighting"], women_share=women, quorum=quorum)
            except ValidationError as error:
                show_refusal(request, error, form)
            else:
                messages.success(request, _("The convention settings were saved."))
                return redirect("convention")
    elif request.method == "POST":
        raise Http404
    members = ctx.actor.is_member
    # None while another request computes the organization's first figures: the page says so
    # rather than every visitor measuring it again.
    measured = selectors.measured_served(organization)
    return render(request, "convention/convention.html", {
        "computing": measured is None,
        "readiness": (selectors.readiness_current(organization, measured)
                      if measured is not None else None),
        "apportionment": (selectors.apportionment_current(organization, measured)
                          if measured is not None else None),
        "form": form,
        "session_form": SessionForm() if ctx.actor.is_staff else None,
        "delegates": selectors.delegates_listed(organization) if members else [],
        "elections": (selectors.elections_listed(organization, ctx.actor.member,
                                                 staff=ctx.actor.is_staff) if members else []),
        "candidacies": [(c, CandidacyForm(initial={"counts_as_woman": c.counts_as_woman},
                                          prefix=f"c{c.pk}"))
                        for c in selectors.candidacies_open(ctx.actor.member, ctx.now())],
        "sessions": selectors.sessions_listed(organization) if members else [],
        "may_hold": (None if ctx.actor.is_staff else ctx.actor.coordinated_chapter_ids),
    })


@login_required
@require_POST
def delegate_confirm(request: HttpRequest, delegate_id: int) -> HttpResponse:
    ctx = context_of(request)
    delegate = get_object_or_404(Delegate, pk=delegate_id, organization=ctx.organization)
    try:
        services.delegate_confirm(ctx, delegate=delegate)
    except ValidationError as error:
        show_refusal(request, error)
    return redirect("convention")


@login_required
@require_POST
def candidacy(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """The candidate declares for the share rule, or withdraws; only they (others: 404)."""
    ctx = context_of(request)
    found = get_object_or_404(DelegateCandidate, pk=candidate_id,
                              election__organization=ctx.organization, member=ctx.actor.member)
    form = CandidacyForm(request.POST, prefix=f"c{found.pk}")
    try:
        if request.POST.get("action") == "withdraw":
            services.candidacy_withdraw(ctx, candidate=found)
            messages.success(request, _("You have withdrawn from the election."))
        elif form.is_valid():
            services.candidacy_declare(ctx, candidate=found,
                                       counts_as_woman=form.cleaned_data["counts_as_woman"])
            messages.success(request, _("Your candidacy was saved."))
        else:
            raise ValidationError(_("Nothing to do."))
    except ValidationError as error:
        show_refusal(request, error)
    return redirect("convention")


@login_required
@require_POST
def election_count(request: HttpRequest, election_id: int) -> HttpResponse:
    ctx = context_of(request)
    election = get_object_or_404(DelegateElection, pk=election_id,
                                 organization=ctx.organization)
    try:
        services.delegate_election_count(ctx, election=election)
    except ValidationError as error:
        show_refusal(request, error)
    return redirect("convention")


@login_required
@require_POST
def session_new(request: HttpRequest) -> HttpResponse:
    ctx = context_of(request)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the session votes on (at most 200 characters)."))
        return redirect("convention")
    try:
        session = services.session_open(ctx, title=form.cleaned_data["title"])
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("convention")
    return redirect("convention_session", session_id=session.pk)


@login_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    """A session: its count in weight, and the actor's vote, proxy given or held."""
    ctx = context_of(request)
    found = get_object_or_404(Session, pk=session_id, organization=ctx.organization)
    page = selectors.session_page(ctx.organization, found, ctx.actor.member)
    vote_form = VoteForm(initial={"choice": page.my_vote})
    proxy_form = ProxyForm(holders=page.holders)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "vote":
                vote_form = VoteForm(request.POST)
                if vote_form.is_valid():
                    target = vote_form.cleaned_data["for_delegate"]
                    services.session_vote(
                        ctx, session=found, choice=vote_form.cleaned_data["choice"],
                        for_delegate=(get_object_or_404(Delegate, pk=target,
                                                        organization=ctx.organization)
                                      if target else None))
                    messages.success(request, _("Your vote was recorded."))
                    return redirect("convention_session", session_id=found.pk)
            elif action == "proxy":
                proxy_form = ProxyForm(request.POST, holders=page.holders)
                if proxy_form.is_valid():
                    services.proxy_give(ctx, session=found,
                                        holder=proxy_form.cleaned_data["holder"])
                    messages.success(request, _("Your proxy was given."))
                    return redirect("convention_session", session_id=found.pk)
            elif action == "close":
                services.session_close(ctx, session=found)
                return redirect("convention_session", session_id=found.pk)
            else:
                raise ValidationError(_("Nothing to do."))
        except ValidationError as error:
            show_refusal(request, error)
            return redirect("convention_session", session_id=found.pk)
    return render(request, "convention/session.html", {
        "page": page, "vote_form": vote_form, "proxy_form": proxy_form,
        "is_staff": ctx.actor.is_staff})


@login_required
def election_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Hold a chapter's delegate election: staff or its coordinators (others: 404)."""
    ctx = context_of(request)
    chapter = get_object_or_404(Chapter, slug=slug)
    if not (ctx.actor.is_staff or ctx.actor.coordinates(chapter)):
        raise Http404
    seats = selectors.seats_open(ctx.organization, chapter)
    form = ElectionForm(request.POST or None,
                        members=selectors.chapter_members(chapter, ctx.today()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = ctx.now()
        try:
            election = services.delegate_election_open(
                ctx, chapter=chapter, opens_at=now,
                closes_at=now + datetime.timedelta(days=data["days"]),
                candidates=list(data["candidates"]))
        except ValidationError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("The delegate election is open."))
            return redirect("poll_detail", poll_id=election.poll_id)
    return render(request, "convention/election_new.html",
                  {"form": form, "chapter": chapter, "seats": seats})
