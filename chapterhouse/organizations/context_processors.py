from chapterhouse.organizations.models import Organization
from chapterhouse.planner.access import may_plan


def organization(request):
    return {
        "organization": Organization.objects.current(),
        "may_plan": may_plan(request.user),
    }
