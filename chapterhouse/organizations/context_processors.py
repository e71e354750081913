from chapterhouse.members.access import may
from chapterhouse.members.roles import Capability
from chapterhouse.organizations.models import Organization


def organization(request):
    return {
        "organization": Organization.objects.current(),
        "may_plan": may(request.user, Capability.PLANNER_VIEW),
    }
