from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from chapterhouse.chapters.qualification import Status
from chapterhouse.decisions.services import goal_set_source
from chapterhouse.goals import progress as goal_progress
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.snapshot import measure
from chapterhouse.organizations.models import Organization

STATUS_ORDER = {Status.QUALIFYING: 0, Status.LAPSED: 1, Status.FORMING: 2}


def dashboard(request):
    """Where the organization stands against the goals its members voted for."""
    organization = Organization.objects.current()
    if not organization.dashboard_public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    measurement = measure(organization)
    goal_set = GoalSet.objects.filter(organization=organization).current()
    progress = None
    if goal_set is not None:
        targets = goal_progress.Targets(
            members=goal_set.target_members,
            chapters=goal_set.target_chapters,
            continents=goal_set.target_continents,
            women_share=float(goal_set.target_women_share),
            deadline=goal_set.deadline,
        )
        progress = goal_progress.progress(measurement.snapshot, targets)
    rows = sorted(measurement.chapters,
                  key=lambda r: (STATUS_ORDER[r.verdict.status], r.chapter.name))
    return render(request, "dashboard/dashboard.html", {
        "measurement": measurement,
        "goal_set": goal_set,
        "progress": progress,
        "figures": {f.kind.value: f for f in progress.figures} if progress else {},
        "rows": rows,
        "rule": organization.rule,
        "goal_source": goal_set_source(goal_set) if goal_set else None,
    })
