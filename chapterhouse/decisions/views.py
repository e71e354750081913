"""Poll pages. Every view that takes a poll id goes through `poll_for_member`: a poll the
member may not see is "not found", so its existence is not revealed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chapterhouse.chapters.models import Chapter
from chapterhouse.decisions import rules, selectors, services
from chapterhouse.decisions.forms import EndorsementForm, GoalProposalForm, PollForm, WithdrawForm
from chapterhouse.decisions.models import Ballot, Participation, Poll, ResultsShown, Stance
from chapterhouse.decisions.notifications import zone_of
from chapterhouse.organizations.models import Organization

MIN_NAMED_VOTERS = 3  # fewer than this, and names would say too much about a secret ballot


def poll_for_member(request, poll_id: int) -> Poll:
    poll = get_object_or_404(Poll.objects.select_related(
        "chapter", "organization", "goal_proposal", "endorsement__member", "adopts_goal_set"),
        pk=poll_id)
    if not rules.may_see(request.user, poll, timezone.localdate()):
        raise Http404
    return poll


def results_visible(poll: Poll, voted: bool) -> bool:
    if poll.is_withdrawn:
        return False
    return poll.is_closed or (poll.results_shown == ResultsShown.AFTER_VOTING and voted)


def describe(ballot: Ballot, labels: dict[int, str], kind: str) -> str:
    """A ballot in words: a stance, options in order (a ranking: first preference first) or
    option=score pairs."""
    if ballot.stance:
        return str(Stance(ballot.stance).label)
    if isinstance(ballot.marks, dict):
        return ", ".join(f"{labels.get(int(o), o)}={s}" for o, s in ballot.marks.items())
    return (" > " if kind == "ranked" else ", ").join(
        labels.get(o, str(o)) for o in ballot.marks)


@login_required
def poll_list(request):
    now = timezone.now()
    mine = Participation.objects.filter(poll=OuterRef("pk"), member=request.user)
    polls = (selectors.with_listed_voters(rules.visible_polls(request.user,
                                                               timezone.localdate()))
             .select_related("chapter").annotate(voted=Exists(mine)).order_by("-closes_at"))
    groups: dict[str, list[Poll]] = {"open": [], "upcoming": [], "closed": []}
    for poll in polls:
        state = ("closed" if poll.is_closed or poll.closes_at <= now
                 else "open" if poll.opens_at <= now else "upcoming")
        groups[state].append(poll)
    return render(request, "decisions/list.html", {
        "groups": groups, "zone": zone_of(request.user).key,
        "may_create": request.user.is_staff or request.user.coordinated_chapters.exists(),
        "chapters": request.user.chapter_memberships.current(timezone.localdate()).exists(),
    })


@login_required
def poll_detail(request, poll_id: int):
    poll = poll_for_member(request, poll_id)
    now = timezone.now()
    mine = Participation.objects.filter(poll=poll, member=request.user).first()
    voted = mine is not None
    # A secret ballot not yet counted waits sealed in the box, with the next batch's.
    waiting = (voted and poll.secret and not poll.is_closed
               and mine.pk > poll.published_through)
    eligible = rules.is_eligible(request.user, poll)
    may_vote = poll.is_open(now) and eligible and (not voted or poll.changeable)
    shown = results_visible(poll, voted)
    result = poll.result if poll.is_closed else (services.live_result(poll) if shown else None)
    options = list(poll.options.all())
    own_ballot = None
    if voted and not poll.secret:
        ballot = poll.ballots.filter(member=request.user).first()
        labels = {o.pk: o.label for o in options}
        own_ballot = describe(ballot, labels, poll.kind) if ballot else None
    return render(request, "decisions/detail.html", {
        "poll": poll, "options": options, "stances": Stance.choices, "now": now, "voted": voted,
        "eligible": eligible, "may_vote": may_vote, "result": result, "shown": shown,
        "own_ballot": own_ballot, "zone": zone_of(request.user).key,
        "voters": selectors.listed_participations(poll).count(), "min_named": MIN_NAMED_VOTERS,
        "waiting": waiting, "batch": services.batch_size(),
        "may_withdraw": not poll.is_closed and rules.may_withdraw(request.user, poll),
        "ranks": range(1, len(options) + 1),
        "scores": range(0, poll.max_score + 1),
    })


@login_required
@require_POST
def ballot_submit(request, poll_id: int):
    poll = poll_for_member(request, poll_id)
    # The voter is always the logged-in member: any member or voter id in the form is ignored.
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        outcome = services.ballot_cast(poll=poll, member=request.user, data=data,
                                       receipt=request.POST.get("receipt", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
def poll_withdraw(request, poll_id: int):
    poll = poll_for_member(request, poll_id)
    if not rules.may_withdraw(request.user, poll):
        raise Http404
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("poll_detail", poll_id=poll.pk)
    try:
        services.poll_withdraw(poll=poll, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The poll was withdrawn."))
    return redirect("poll_detail", poll_id=poll.pk)


@login_required
def poll_results(request, poll_id: int):
    poll = poll_for_member(request, poll_id)
    voted = Participation.objects.filter(poll=poll, member=request.user).exists()
    shown = results_visible(poll, voted)
    result = None
    if shown:
        result = poll.result if poll.is_closed else services.live_result(poll)
    open_ballots = None
    if shown and poll.is_closed and not poll.secret:
        labels = {o.pk: o.label for o in poll.options.all()}
        open_ballots = [(b.member.display_name, describe(b, labels, poll.kind)) for b in
                        poll.ballots.select_related("member").order_by("member__display_name")]
    return render(request, "decisions/results.html", {
        "poll": poll, "result": result, "shown": shown,
        "open_ballots": open_ballots, "zone": zone_of(request.user).key,
        "batch": services.batch_size(),
    })


@login_required
def poll_voters(request, poll_id: int):
    """Who has voted, by name, once at least three have (never what they voted). A secret
    poll lists only voters whose ballots are counted, so the list grows by whole batches."""
    poll = poll_for_member(request, poll_id)
    listed = selectors.listed_participations(poll)
    count = listed.count()
    names = None
    if count >= MIN_NAMED_VOTERS:
        names = list(listed.order_by("member__display_name")
                     .values_list("member__display_name", flat=True))
    # At a close after live results, fewer than k late voters are counted but not named.
    unnamed = (poll.participations.count() - count) if poll.is_closed and poll.secret else 0
    return render(request, "decisions/voters.html", {
        "poll": poll, "count": count, "names": names, "min_named": MIN_NAMED_VOTERS,
        "unnamed": unnamed,
        "batched": poll.secret and not poll.is_closed, "batch": services.batch_size()})


@login_required
def poll_create(request):
    user = request.user
    if not (user.is_staff or user.coordinated_chapters.exists()):
        raise Http404
    zone = zone_of(user)
    with timezone.override(zone):
        form = PollForm(request.POST or None, member=user)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                poll = services.poll_create(
                    by=user, organization=Organization.objects.current(),
                    options=form.option_labels(), **{k: v for k, v in data.items()
                                                    if k != "options"})
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The poll was created."))
                return redirect("poll_detail", poll_id=poll.pk)
    return render(request, "decisions/create.html", {"form": form, "zone": zone})


@login_required
def goal_proposal_new(request):
    """Staff put a goal set to the members; the dashboard adopts it if the proposal passes."""
    user = request.user
    if not user.is_staff:
        raise Http404
    zone = zone_of(user)
    with timezone.override(zone):
        form = GoalProposalForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                poll = services.goal_proposal_create(
                    by=user, organization=Organization.objects.current(),
                    targets=form.targets(), **form.poll_fields())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The goals were put to the members."))
                return redirect("poll_detail", poll_id=poll.pk)
    return render(request, "decisions/goals_new.html", {"form": form,
                                                        "zone": zone})


@login_required
def endorsement_new(request):
    """A member puts their organizing plan to their chapter as a proposal."""
    chapters = Chapter.objects.filter(
        pk__in=request.user.chapter_memberships.current(timezone.localdate())
        .values("chapter_id")).order_by("name")
    form = EndorsementForm(request.POST or None, chapters=chapters)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.endorsement_propose(
                by=request.user, chapter=data["chapter"],
                hours_per_week=data["hours_per_week"], months=data["months"],
                starts_on=data["starts_on"], target_areas=data["target_areas"],
                reach_km=data["reach_km"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your plan was put to the chapter."))
            return redirect("poll_detail", poll_id=poll.pk)
    return render(request, "decisions/endorse.html", {"form": form})
