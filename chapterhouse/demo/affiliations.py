"""The demo's affiliations at every stage (decisions/affiliation.py): the sympathetic
organizations of demo/organizing.py moved along by the organizer persona, with their
history, plus two more groups: one whose agreement Toronto's members are voting on now, and
one that Melbourne's members voted down in January (back in conversation). The affiliated
stage is the Norwegian network's (the Oslo chapter); the demo creates no chapter.

Called by the demo generator after the decisions (which replace every poll); deterministic.
"""

from __future__ import annotations

import datetime

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.decisions import affiliation, services
from chapterhouse.decisions.electorate import eligible_voters
from chapterhouse.decisions.models import Poll
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizations.models import Organization
from chapterhouse.organizing.models import AffiliationStep, SympatheticOrganization
from chapterhouse.places.models import Place

ORGANIZER_EMAIL = "coordinator@demo.example.org"  # the letter's author (demo/seeding.py)
TORONTO, MELBOURNE = 6167865, 2158177
# name, steps typed by the organizer (stage, days before today, note)
HISTORY = {
    "Boston Solidarity Network": (
        ("contacted", 20, "Wrote to their general address; they meet on Thursdays."),),
    "Vancouver Tenants' Assembly": (
        ("contacted", 60, "Met two of them at the housing forum."),
        ("talking", 30, "They read the vision; questions about dues and local autonomy."),),
    "Chicago Workers' Reading Group": (
        ("contacted", 45, ""),
        ("declined", 10, "They prefer to stay a reading group; happy to share events."),),
}
NEW_GROUPS = (
    ("Toronto Mutual Aid Collective", TORONTO, 35),
    ("Melbourne Renters' Union", MELBOURNE, 25),
)


def seed_affiliations(*, today: datetime.date, organization: Organization,
                      organizer_email: str = ORGANIZER_EMAIL) -> None:
    organizer = Member.objects.get(email=organizer_email)
    noon = datetime.datetime.combine(today, datetime.time(12), tzinfo=datetime.UTC)
    groups = {g.name: g for g in SympatheticOrganization.objects.all()}
    for name, steps in HISTORY.items():
        group = groups.get(name)
        if group is None:
            continue
        for stage, days, note in steps:
            AffiliationStep.objects.create(organization=group, stage=stage, note=note,
                                           by=organizer, at=noon - datetime.timedelta(days))
        group.status = steps[-1][0]
        group.save(update_fields=["status"])
    norway = groups.get("Norwegian anarchist network")
    oslo = Chapter.objects.filter(affiliated_from="Norwegian anarchist network").first()
    if norway is not None and oslo is not None:
        joined = datetime.datetime.combine(oslo.founded_on, datetime.time(12),
                                           tzinfo=datetime.UTC)
        AffiliationStep.objects.create(
            organization=norway, stage="affiliated", at=joined,
            note="Became the Oslo chapter before the site recorded affiliations.")
    for name, place_id, size in NEW_GROUPS:
        groups[name] = SympatheticOrganization.objects.create(
            name=name, place=Place.objects.from_gazetteer(place_id), size=size,
            status="talking", contact=f"hello@{name.split()[0].lower()}.example.org")
        AffiliationStep.objects.create(organization=groups[name], stage="talking",
                                       by=organizer, at=noon - datetime.timedelta(40),
                                       note="Their assembly asked how to join.")
    ctx = context_for(organizer, organization)
    affiliation.affiliation_propose(ctx, organization=groups["Toronto Mutual Aid Collective"],
                                    note="They meet monthly at the same hall as our chapter.")
    _voted_down_in_january(ctx, groups["Melbourne Renters' Union"], noon)


def _voted_down_in_january(ctx: Context, group: SympatheticOrganization,
                           noon: datetime.datetime) -> None:
    """Melbourne's members voted on the union's affiliation in January and did not agree
    (they asked for more meetings together first): the union is back in conversation and
    may be proposed again. (The demo adds no chapter: its figures are the letter's.)"""
    poll = affiliation.affiliation_propose(
        ctx, organization=group, days=14, note="Two joint meetings so far.")
    opens = noon - datetime.timedelta(days=27)
    Poll.objects.filter(pk=poll.pk).update(opens_at=opens,
                                           closes_at=opens + datetime.timedelta(days=14))
    AffiliationStep.objects.filter(organization=group, stage="proposed").update(at=opens)
    poll.refresh_from_db()
    voters = list(eligible_voters(poll).order_by("pk")[:5])
    for i, voter in enumerate(voters):
        services.ballot_cast(context_for(voter, ctx.organization), poll=poll,
                             data={"stance": ["agree" if i < 2 else "disagree"]},
                             now=opens + datetime.timedelta(days=1, hours=i))
    services.poll_close(ctx, poll=poll, now=poll.closes_at, announce=False)
